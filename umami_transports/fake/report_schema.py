"""The body of a report run, validated as Umami v3.1.0's ``reportResultSchema`` (``src/lib/schema.ts``).

The schema is ``z.intersection(z.object({websiteId, filters}), reportTypeSchema)``: zod runs both
sides and reports the left side's issues first. ``reportTypeSchema`` is a discriminated union on
``type``, so every report route takes a body of any report type; unknown keys are stripped.
Messages are zod 4's (``z.treeifyError`` in the 400 envelope). Taken from the source, not recorded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from umami_transports.fake.app import Abort, json_reply
from umami_transports.fake.query import UNITS, zone
from umami_transports.fake.validation import MISSING, Issues, js_number, received

__all__ = ["FIELDS", "REPORT_TYPES", "ReportBody", "parse_body"]

REPORT_TYPES = ("attribution", "breakdown", "funnel", "goal", "journey", "performance", "retention", "revenue", "utm")
#: ``filterParams``, in the schema's order; all strings but these.
FILTER_STRINGS = ("path", "referrer", "title", "query", "os", "browser", "device", "country", "region", "city", "tag", "hostname",
                  "distinctId", "language", "event", "utmSource", "utmMedium", "utmCampaign", "utmContent", "utmTerm")  # fmt: skip
#: ``fieldsParam``: the breakdown fields.
FIELDS = FILTER_STRINGS
_MAX_DATE_MS = 8.64e15
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_ISO = re.compile(
    r"^([+-]\d{6}|\d{4})(?:-(\d\d)(?:-(\d\d))?)?"
    r"(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?(Z|[+-]\d\d:\d\d)?)?$"
)


@dataclass(frozen=True)
class ReportBody:
    """A valid body: ``filters`` as zod passed them, ``params`` the report's parameters (dates as datetimes)."""

    website_id: str
    type: str
    filters: dict[str, Any]
    params: dict[str, Any]


def js_date(value: object) -> datetime | None:
    """``new Date(value)`` (``z.coerce.date()``), None for an Invalid Date. Strings: the ISO formats
    (date-only is UTC; without an offset, the server's zone, UTC); V8's other formats are not read."""
    if value is None:
        return _EPOCH
    if isinstance(value, (bool, int, float)):
        number = float(value)
        if not math.isfinite(number) or abs(number) > _MAX_DATE_MS:
            return None
        return _EPOCH + timedelta(milliseconds=math.trunc(number))
    if not isinstance(value, str):
        return None
    found = _ISO.match(value.strip())
    if not found:
        return None
    year, month, day, hour, minute, second, fraction, offset = found.groups()
    try:
        moment = datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0), int(second or 0),
                          int((fraction or "0").ljust(3, "0")[:3]) * 1000, tzinfo=timezone.utc)  # fmt: skip
    except ValueError:
        return None
    if offset and offset != "Z":
        sign = 1 if offset[0] == "+" else -1
        moment -= sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))
    return moment


class _Checks(Issues):
    """``Issues`` with the schema's other types: required numbers, dates, enums and arrays."""

    def date(self, path: tuple[str | int, ...], value: object) -> Any:
        moment = None if value is MISSING else js_date(value)  # new Date(undefined) is an Invalid Date too
        if moment is None:
            self.add(path, "Invalid input: expected date, received Date")
            return MISSING
        return moment

    def required_number(self, path: tuple[str | int, ...], value: object, **limits: Any) -> Any:
        if value is MISSING or math.isinf(js_number(value)):  # z.number() takes finite numbers only
            self.add(path, "Invalid input: expected number, received " + ("NaN" if value is MISSING else "number"))
            return MISSING
        return self.number(path, value, **limits)

    def array(self, path: tuple[str | int, ...], value: object, minimum: int = 0, maximum: int | None = None,
              item: Callable[[tuple[str | int, ...], object], Any] | None = None) -> Any:  # fmt: skip
        if not isinstance(value, list):
            self.add(path, f"Invalid input: expected array, received {received(value)}")
            return MISSING
        items = [item((*path, index), element) if item else element for index, element in enumerate(value)]
        if len(value) < minimum:  # zod checks the length even when items failed
            self.add(path, f"Too small: expected array to have >={minimum} items")
        if maximum is not None and len(value) > maximum:
            self.add(path, f"Too big: expected array to have <={maximum} items")
        return items

    def timezone(self, path: tuple[str | int, ...], value: object) -> Any:
        name = self.string(path, value)
        if isinstance(name, str) and zone(name) is None:
            self.add(path, "Invalid timezone")
            return MISSING
        return "Asia/Kolkata" if name == "Asia/Calcutta" else name  # normalizeTimezone

    def unit(self, path: tuple[str | int, ...], value: object) -> Any:
        unit = self.string(path, value)
        if isinstance(unit, str) and unit not in UNITS:
            self.add(path, "Invalid unit")
            return MISSING
        return unit


def _filters(checks: _Checks, value: object) -> dict[str, Any]:
    body = checks.object(("filters",), value)
    if body is None:
        return {}
    kept: dict[str, Any] = {}
    for name in FILTER_STRINGS:
        kept[name] = checks.string(("filters", name), body.get(name, MISSING))
    for name in ("segment", "cohort"):
        kept[name] = checks.uuid(("filters", name), body.get(name, MISSING))
    kept["eventType"] = checks.number(("filters", "eventType"), body.get("eventType", MISSING), integer=True, positive=True)
    kept["excludeBounce"] = checks.string(("filters", "excludeBounce"), body.get("excludeBounce", MISSING))
    kept["match"] = checks.choice(("filters", "match"), body.get("match", MISSING), ("all", "any"), optional=True)
    return {name: value for name, value in kept.items() if value is not MISSING}


def _step(checks: _Checks, path: tuple[str | int, ...], value: object) -> Any:
    body = checks.object(path, value)
    if body is None:
        return MISSING
    step: dict[str, Any] = {"type": checks.choice((*path, "type"), body.get("type", MISSING), ("path", "event")),
                            "value": checks.string((*path, "value"), body.get("value", MISSING), optional=False)}  # fmt: skip
    if "filters" in body:
        step["filters"] = checks.array((*path, "filters"), body["filters"], item=lambda at, item: _step_filter(checks, at, item))
    return step


def _step_filter(checks: _Checks, path: tuple[str | int, ...], value: object) -> Any:
    body = checks.object(path, value)
    if body is None:
        return MISSING
    prop = checks.string((*path, "property"), body.get("property", MISSING), optional=False)
    if isinstance(prop, str) and not prop:
        checks.add((*path, "property"), "Too small: expected string to have >=1 characters")
    return {"property": prop, "operator": checks.choice((*path, "operator"), body.get("operator", MISSING), ("eq", "neq", "c", "dnc")),
            "value": checks.string((*path, "value"), body.get("value", MISSING), optional=False)}  # fmt: skip


def _parameters(checks: _Checks, kind: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """One report type's ``parameters``, in the schema's key order."""
    at: Callable[[str], tuple[str, str]] = lambda name: ("parameters", name)  # noqa: E731 - a short path builder
    get: Callable[[str], Any] = lambda name: body.get(name, MISSING)  # noqa: E731
    params: dict[str, Any] = {"startDate": checks.date(at("startDate"), get("startDate")),
                              "endDate": checks.date(at("endDate"), get("endDate"))}  # fmt: skip
    if kind == "goal":
        params["type"] = checks.string(at("type"), get("type"), optional=False)
        params["value"] = checks.string(at("value"), get("value"), optional=False)
    elif kind == "funnel":
        params["window"] = checks.required_number(at("window"), get("window"), positive=True)
        params["steps"] = checks.array(at("steps"), get("steps"), 2, 8, item=lambda path, item: _step(checks, path, item))
    elif kind == "journey":
        params["steps"] = checks.required_number(at("steps"), get("steps"), minimum=2, maximum=7)
        params["startStep"] = checks.string(at("startStep"), get("startStep"))
        params["endStep"] = checks.string(at("endStep"), get("endStep"))
        params["eventType"] = checks.number(at("eventType"), get("eventType"), integer=True, positive=True)
    elif kind in ("retention", "performance", "revenue"):
        if kind != "retention":
            params["unit"] = checks.unit(at("unit"), get("unit"))
        params["timezone"] = checks.timezone(at("timezone"), get("timezone"))
        if kind == "performance":
            params["metric"] = checks.choice(at("metric"), get("metric"), ("lcp", "inp", "cls", "fcp", "ttfb"), optional=True)
        if kind == "revenue":
            params["currency"] = checks.string(at("currency"), get("currency"), optional=False)
            params["compare"] = checks.choice(at("compare"), get("compare"), ("prev", "yoy"), optional=True)
    elif kind == "attribution":
        params["model"] = checks.choice(at("model"), get("model"), ("first-click", "last-click"))
        params["type"] = checks.choice(at("type"), get("type"), ("path", "event"))
        params["step"] = checks.string(at("step"), get("step"), optional=False)
        params["currency"] = checks.string(at("currency"), get("currency"))
    elif kind == "breakdown":
        params["fields"] = checks.array(at("fields"), get("fields"), item=lambda path, item: checks.choice(path, item, FIELDS))
    return {name: value for name, value in params.items() if value is not MISSING}


def parse_body(raw: object) -> ReportBody:
    """The valid body, or Abort with zod's 400 (checked before the caller is authenticated)."""
    checks = _Checks()
    website_id, filters, kind, params = "", {}, "", {}
    if isinstance(raw, dict):  # left: {websiteId, filters}
        website_id = checks.string(("websiteId",), raw.get("websiteId", MISSING), optional=False)
        if isinstance(website_id, str):
            website_id = checks.uuid(("websiteId",), website_id)
        filters = _filters(checks, raw.get("filters", MISSING))
    else:
        checks.add((), f"Invalid input: expected object, received {received(raw)}")
    if isinstance(raw, dict):  # right: the discriminated union on type
        kind = raw.get("type", MISSING)
        if not isinstance(kind, str) or kind not in REPORT_TYPES:
            checks.add(("type",), "Invalid input")
        else:
            body = checks.object(("parameters",), raw.get("parameters", MISSING))
            params = _parameters(checks, kind, body) if body is not None else {}
    else:
        checks.add((), f"Invalid input: expected object, received {received(raw)}")
    if checks:
        raise Abort(json_reply(checks.envelope(), 400))
    return ReportBody(str(website_id), str(kind), filters, params)
