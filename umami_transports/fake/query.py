"""The query string of the data routes: date range, unit, timezone, comparison and filters.

``withDateRange(filterParams)`` of ``src/lib/schema.ts`` for validation; ``getRequestDateRange``,
``getCompareDate`` (``src/lib/date.ts``) and ``parseFilterValue`` (``src/lib/params.ts``) for meaning.
A filter value is ``op.value`` for the operators eq, neq, c, dnc, re, nre, and plain values are
split on commas (any matches). The other operators make the server's SQL fail: an unhandled 500.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

from umami_transports.fake.app import Abort, Call, bare, json_reply
from umami_transports.fake.validation import MISSING, Issues

__all__ = [
    "EVENT_FILTERS", "SESSION_FILTERS", "DataQuery", "Filter", "compare_window", "filter_list", "ilike", "like", "parse_query",
    "unchecked_query", "zone",
]  # fmt: skip

#: Filter parameter -> event column (website_event).
EVENT_FILTERS = {
    "path": "url_path", "referrer": "referrer_domain", "title": "page_title", "query": "url_query", "hostname": "hostname",
    "event": "event_name", "tag": "tag", "utmSource": "utm_source", "utmMedium": "utm_medium", "utmCampaign": "utm_campaign",
    "utmContent": "utm_content", "utmTerm": "utm_term",
}  # fmt: skip
#: Filter parameter -> session column (joined on session_id: the session's first-event attributes).
SESSION_FILTERS = {
    "os": "os", "browser": "browser", "device": "device", "country": "country", "region": "region", "city": "city",
    "language": "language", "distinctId": "distinct_id",
}  # fmt: skip
UNITS = ("year", "month", "day", "hour", "minute")
#: The date parameters of ``withDateRange`` that are checked (startAt and endAt always are).
DATE_PARAMS = ("timezone", "unit", "compare")
_OPERATORS = ("eq", "neq", "c", "dnc", "re", "nre")
_BROKEN_OPERATORS = ("s", "ns", "t", "f", "gt", "lt", "gte", "lte", "bf", "af")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Filter:
    name: str
    column: str
    operator: str
    values: tuple[str, ...]
    on_session: bool


@dataclass
class DataQuery:
    start: datetime
    end: datetime
    unit: str | None
    timezone: tzinfo
    compare: str | None
    filters: list[Filter] = field(default_factory=list)
    match_any: bool = False
    event_type: int | None = None
    exclude_bounce: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    #: The ``timezone`` parameter as given (None without one): the server's date labels depend on it.
    timezone_name: str | None = None


def zone(name: str) -> tzinfo | None:
    """The IANA timezone ``name``, or None if there is no such zone."""
    if name.lower() in ("utc", "etc/utc", "gmt", "etc/gmt", "z"):
        return timezone.utc
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # noqa: BLE001 - any failure means "not a timezone" (bad key, no tz database)
        return None


def _moment(milliseconds: float) -> datetime:
    try:
        return _EPOCH + timedelta(milliseconds=milliseconds)
    except OverflowError:
        return datetime.max.replace(tzinfo=timezone.utc) if milliseconds > 0 else datetime.min.replace(tzinfo=timezone.utc)


def compare_window(compare: str, start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """``getCompareDate``: the previous period (length in whole minutes, truncated) or the year before."""
    if compare == "yoy":
        return _minus_year(start), _minus_year(end)
    minutes = timedelta(minutes=int((end - start).total_seconds() / 60))
    return start - minutes, end - minutes


def _minus_year(moment: datetime) -> datetime:
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - 1, day=28)


def parse_query(
    call: Call,
    extra: Callable[[Issues, dict[str, str]], dict[str, Any]] | None = None,
    *,
    required: bool = True,
    dated: tuple[str, ...] = DATE_PARAMS,
    int_range: bool = False,
    filtered: bool = True,
) -> DataQuery:
    """Validate the query string (400 with zod's envelope), then give it meaning.

    ``required``: ``withDateRange``'s rule (startAt+endAt or startDate+endDate). ``dated``: which of
    ``timezone``, ``unit`` and ``compare`` the schema has (the others are stripped unchecked). ``int_range``:
    ``startAt`` and ``endAt`` are ``z.coerce.number().int()``, required (the event and session data routes).
    ``filtered``: the schema has ``filterParams`` (else filters are stripped unchecked).
    """
    query, issues = call.query, Issues()
    if int_range:
        for name in ("startAt", "endAt"):
            if name not in query:
                issues.add((name,), "Invalid input: expected number, received NaN")
    start_at = issues.number(("startAt",), query.get("startAt", MISSING), integer=int_range)
    end_at = issues.number(("endAt",), query.get("endAt", MISSING), integer=int_range)
    tz_name = query.get("timezone") if "timezone" in dated else None
    if tz_name is not None and zone(tz_name) is None:
        issues.add(("timezone",), "Invalid timezone")
    unit = query.get("unit") if "unit" in dated else None
    if unit is not None and unit not in UNITS:
        issues.add(("unit",), "Invalid unit")
    compare = issues.choice(("compare",), query.get("compare", MISSING) if "compare" in dated else MISSING, ("prev", "yoy"), optional=True)
    filters = query if filtered else {}
    for name in ("segment", "cohort"):
        issues.uuid((name,), filters.get(name, MISSING))
    event_type = issues.number(("eventType",), filters.get("eventType", MISSING), integer=True, positive=True)
    match = issues.choice(("match",), filters.get("match", MISSING), ("all", "any"), optional=True)
    extras = extra(issues, query) if extra else {}
    has_at = start_at is not MISSING and end_at is not MISSING
    if required and not issues and not has_at and not ("startDate" in query and "endDate" in query):
        issues.add((), "Either startAt+endAt or startDate+endDate must be provided")
    if issues:
        raise Abort(json_reply(issues.envelope(), 400))
    start = _moment(start_at) if start_at is not MISSING else _EPOCH
    end = _moment(end_at) if end_at is not MISSING else _EPOCH
    return DataQuery(
        start, end, unit, (zone(tz_name) if tz_name else None) or timezone.utc, compare if isinstance(compare, str) else None,
        _filters(filters), match == "any", event_type if isinstance(event_type, int) else None,
        bool(filters.get("excludeBounce")), {**extras, "has_range": has_at}, tz_name,
    )  # fmt: skip


def unchecked_query(call: Call, start: datetime, end: datetime) -> DataQuery:
    """A route without a schema (realtime): the raw filters over ``start``-``end``; a timezone
    PostgreSQL does not know breaks the SQL (an unhandled 500)."""
    query = call.query
    tz_name = query.get("timezone")
    tz = zone(tz_name) if tz_name else timezone.utc
    if tz is None:
        raise Abort(bare(500))
    event_type = query.get("eventType", "")
    return DataQuery(
        start, end, query.get("unit"), tz, None, _filters(query), query.get("match") == "any",
        int(event_type) if event_type.isdigit() else None, bool(query.get("excludeBounce")), {"has_range": True}, tz_name,
    )  # fmt: skip


def ilike(value: str | None, pattern: str) -> bool:
    """PostgreSQL's ``value ilike pattern``: '%' any run, '_' any one character, '\\' escapes; NULL never matches."""
    return _like(value, pattern, re.IGNORECASE)


def like(value: str | None, pattern: str) -> bool:
    """PostgreSQL's ``value like pattern``: as :func:`ilike`, but letter case counts."""
    return _like(value, pattern, 0)


def _like(value: str | None, pattern: str, flags: int) -> bool:
    if value is None:
        return False
    parts = re.findall(r"\\.|%|_|[^%_\\]+|\\", pattern, re.DOTALL)
    regex = "".join(
        ".*" if part == "%" else "." if part == "_" else re.escape(part[-1] if part.startswith("\\") else part) for part in parts
    )
    return re.fullmatch(regex, value, flags | re.DOTALL) is not None


def require_range(data: DataQuery) -> None:
    """Only startAt/endAt make the range: startDate/endDate alone query an Invalid Date (an unhandled 500)."""
    if not data.extra.get("has_range"):
        raise Abort(bare(500))


def filter_list(query: dict[str, str]) -> list[Filter]:
    """The column filters of ``query`` (eventType, match and excludeBounce are read apart); a broken
    operator is an unhandled 500."""
    return _filters(query)


def _filters(query: dict[str, str]) -> list[Filter]:
    found: list[Filter] = []
    for key, raw in query.items():
        name = re.sub(r"\d+$", "", key)  # os1, os2: more filters on the same column
        column = EVENT_FILTERS.get(name) or SESSION_FILTERS.get(name)
        if column is None or (name != key and key not in query):
            continue
        operator, value = "eq", raw
        prefixed = re.match(r"^([a-z]+)\.(.*)$", raw, re.DOTALL)
        if prefixed and prefixed.group(1) in _OPERATORS + _BROKEN_OPERATORS:
            operator, value = prefixed.group(1), prefixed.group(2)
        if operator in _BROKEN_OPERATORS:
            raise Abort(bare(500))
        values = tuple(value.split(",")) if operator in ("eq", "neq") else (value,)
        found.append(Filter(name, column, operator, values, name in SESSION_FILTERS))
    return found
