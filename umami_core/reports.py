"""The reports (funnel, goal, journey, retention, UTM, revenue, attribution, breakdown) as Umami 3.1 runs them.

The contract (API 3.3.1) has no report operations: newer servers read reports with GET routes whose
complex parameters (a funnel's steps) have no documented query encoding. Umami 3.1 runs each report
with ``POST /api/reports/{type}`` and a JSON body (``reportResultSchema`` in ``src/lib/schema.ts``)::

    {"websiteId": ..., "type": "funnel", "filters": {"path": "/x", ...},
     "parameters": {"startDate": <epoch ms>, "endDate": <epoch ms>, "steps": [...], "window": 60}}

Newer servers keep those routes. They are added here as operations outside the contract
(``runFunnelReport``...) so ``call()`` and the friendly methods reach them through the one flow:
the website, the date range and the filters come as named parameters, like every other read, and
the report's own parameters as the body.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from umami_core.config import Config
from umami_core.errors import ValidationError
from umami_core.http import Request
from umami_core.operations_model import Operation
from umami_core.validation import check_date_range, require_datetime, require_website_id

__all__ = ["REPORT_FILTERS", "REPORT_IDS", "REPORT_OPERATIONS", "REPORT_TYPES", "normalise_steps", "report_request"]

REPORT_TYPES = ("funnel", "goal", "journey", "retention", "utm", "revenue", "attribution", "breakdown")

#: ``filterParams`` of Umami 3.1 (``src/lib/schema.ts``): what the ``filters`` object takes.
REPORT_FILTERS = (
    "path", "referrer", "title", "query", "os", "browser", "device", "country", "region", "city", "tag", "hostname",
    "distinctId", "language", "event", "utmSource", "utmMedium", "utmCampaign", "utmContent", "utmTerm", "segment", "cohort",
)  # fmt: skip

_NAMED = ("websiteId", "startAt", "endAt", *REPORT_FILTERS)
REPORT_OPERATIONS: tuple[Operation, ...] = tuple(
    Operation(f"run{kind.capitalize()}Report", "POST", f"/api/reports/{kind}", (), _NAMED, has_body=True, authenticated=True)
    for kind in REPORT_TYPES
)
REPORT_IDS = frozenset(operation.id for operation in REPORT_OPERATIONS)

_STEP_TYPES = ("path", "event")


def report_request(config: Config, operation: Operation, params: Mapping[str, Any], body: Any, encode: Callable[[str, Any], str | None]
) -> Request:
    """The POST of a report: ``params`` (already under the contract's names) become the body's website,
    date range and filters; ``body`` its parameters. ``encode(name, value)`` turns a filter value into text."""
    if body is not None and not isinstance(body, Mapping):
        raise ValidationError(f"{operation.id}: the body is the report's parameters, a dict.")
    website_id = require_website_id(params.get("websiteId"), config.website_id)
    start, end = require_datetime("start_at", params.get("startAt")), require_datetime("end_at", params.get("endAt"))
    check_date_range(start, end)
    filters = {name: text for name in REPORT_FILTERS if (text := encode(name, params.get(name))) is not None}
    parameters = {"startDate": start, "endDate": end, **dict(body or {})}
    if "steps" in parameters and operation.path.endswith("/funnel"):
        parameters["steps"] = normalise_steps(parameters["steps"])
    config.require_credential()
    payload = {"websiteId": website_id, "type": operation.path.rsplit("/", 1)[1], "filters": filters, "parameters": parameters}
    try:
        return Request.post(config.data_url(operation.path.removeprefix("/api")), config.data_headers(), payload)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            f"The parameters of {operation.id} cannot be sent as JSON ({type(exc).__name__}): pass dicts, lists, strings and numbers."
        ) from None


def normalise_steps(steps: Any) -> list[dict[str, Any]]:
    """A funnel's steps as Umami takes them: each ``("path", "/pricing")``, ``("event", "signup")`` or
    a dict ``{"type": ..., "value": ..., "filters": [...]}``; from 2 to 8 of them."""
    if isinstance(steps, (str, bytes, Mapping)) or not hasattr(steps, "__iter__"):
        raise ValidationError("steps must be a list of (type, value) pairs, e.g. [('path', '/'), ('event', 'signup')].")
    out: list[dict[str, Any]] = []
    for step in steps:
        if isinstance(step, Mapping):
            kind, value, rest = step.get("type"), step.get("value"), {k: v for k, v in step.items() if k not in ("type", "value")}
        elif isinstance(step, (tuple, list)) and len(step) == 2:
            (kind, value), rest = step, {}
        else:
            raise ValidationError(f"A funnel step is a (type, value) pair or a dict, got {step!r:.60}.")
        if kind not in _STEP_TYPES:
            raise ValidationError(f"A funnel step's type is 'path' or 'event', got {kind!r:.40}.")
        if not isinstance(value, str) or not value:
            raise ValidationError(f"A funnel step's value is a non-empty string (a path or an event name), got {value!r:.40}.")
        out.append({"type": kind, "value": value, **rest})
    if not 2 <= len(out) <= 8:
        raise ValidationError(f"A funnel has from 2 to 8 steps, got {len(out)}.")
    return out
