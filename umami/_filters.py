"""What the friendly methods share: the filters by their Python names, the literal types, and
turning an answer into its model (an unexpected shape is an UnexpectedResponseError)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, Literal, TypedDict, Union

from umami_core import UnexpectedResponseError

__all__ = [
    "Comparison", "Filters", "MetricType", "TimeUnit", "parse_answer", "parse_first", "parse_item", "wire_filters", "without_none",
]  # fmt: skip

#: What metrics() counts.
MetricType = Literal[
    "path", "entry", "exit", "referrer", "domain", "title", "query", "event", "tag", "hostname", "browser", "os", "device", "screen",
    "language", "country", "region", "city", "channel", "utmSource", "utmMedium", "utmCampaign", "utmContent", "utmTerm",
]  # fmt: skip
#: A time series' bucket.
TimeUnit = Literal["minute", "hour", "day", "month", "year"]
#: The period a series is compared with: the one before, or the same a year before.
Comparison = Literal["prev", "yoy"]

FilterValue = Union[str, Sequence[str], None]


class Filters(TypedDict, total=False):
    """The filters of Umami's reads (v3), by their Python names; ``url`` and ``host`` are the spec's names
    for ``path`` and ``hostname``. A list (or a comma-separated string) matches any of its values."""

    path: FilterValue
    url: FilterValue
    referrer: FilterValue
    title: FilterValue
    query: FilterValue
    event: FilterValue
    hostname: FilterValue
    host: FilterValue
    os: FilterValue
    browser: FilterValue
    device: FilterValue
    country: FilterValue
    region: FilterValue
    city: FilterValue
    language: FilterValue
    tag: FilterValue
    distinct_id: FilterValue
    utm_source: FilterValue
    utm_medium: FilterValue
    utm_campaign: FilterValue
    utm_content: FilterValue
    utm_term: FilterValue
    segment: FilterValue
    cohort: FilterValue


#: Python names whose contract name differs (the others are the same).
_WIRE = {
    "url": "path", "host": "hostname", "distinct_id": "distinctId", "utm_source": "utmSource", "utm_medium": "utmMedium",
    "utm_campaign": "utmCampaign", "utm_content": "utmContent", "utm_term": "utmTerm",
}  # fmt: skip


def wire_filters(filters: Filters) -> dict[str, Any]:
    """The filters under the contract's names (an unknown name goes through, for call() to refuse with a suggestion)."""
    return {_WIRE.get(name, name): value for name, value in filters.items()}


def without_none(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` without its None values: an update sends only what it changes."""
    return {name: value for name, value in body.items() if value is not None}


def _model(name: str) -> Any:
    """The model class ``name`` from the analytics, management or report models."""
    from umami_core import analytics, management, report_models

    return getattr(analytics, name, None) or getattr(management, name, None) or getattr(report_models, name)


@functools.cache
def _adapter(model: str) -> Any:
    """A pydantic TypeAdapter for ``model``, a model of umami_core.analytics management or report_models by name, or ``list[Name]``."""
    import pydantic  # the models and pydantic load on first use

    if model == "list[list[int]]":
        return pydantic.TypeAdapter(list[list[int]])
    if model.startswith("list[") and model.endswith("]"):
        return pydantic.TypeAdapter(list[_model(model[5:-1])])  # type: ignore[arg-type, misc]
    return pydantic.TypeAdapter(_model(model))


def parse_answer(model: str, answer: Any, operation_id: str) -> Any:
    """``answer`` as ``model`` (a name, see _adapter); an answer of another shape is an UnexpectedResponseError."""
    import pydantic

    try:
        return _adapter(model).validate_python(answer)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "top level"
        raise UnexpectedResponseError(f"Umami's answer to {operation_id} is not a {model}: {first['msg']} at {where}") from None


def parse_first(model: str, answer: Any, operation_id: str) -> Any:
    """The first row of a list as ``model`` (the model's defaults for an empty list): some reads answer a
    one-row list, and creating a team answers the team and its owner's membership."""
    if not isinstance(answer, list):
        raise UnexpectedResponseError(f"Umami's answer to {operation_id} is not a list")
    return parse_answer(model, answer[0] if answer else {}, operation_id)


def parse_item(model: str, item: Any) -> Any:
    """One item of a paged list as ``model``."""
    return parse_answer(model, item, "a paged list")
