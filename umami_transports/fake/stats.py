"""The numbers: row selection, website stats, chart units and series, active visitors (umami-server.md, section c).

Pure functions over the stored rows. ``select`` applies the date range (inclusive at both ends),
the filters and ``excludeBounce``; session filters (and ``referrer``, as the server's ``parseFilters``
does) join the session row, so events whose session row is missing drop.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

from umami_transports.fake.query import DataQuery, Filter
from umami_transports.fake.store import CUSTOM_EVENT, PAGE_VIEW, PERFORMANCE, Event, Session

__all__ = ["active_visitors", "bucket", "chart_unit", "minimum_unit", "select", "series", "website_stats"]

Sessions = Mapping[str, Session]
#: The units a chart may use, finest first (``getAllowedUnits`` of ``src/lib/date.ts``).
CHART_UNITS = ("minute", "hour", "day", "month", "year")


def _value(event: Event, session: Session | None, flt: Filter) -> str | None:
    if flt.on_session:
        return None if session is None else getattr(session, flt.column)
    if flt.column.startswith("utm_"):
        return event.utm.get(flt.column)
    return getattr(event, flt.column)  # type: ignore[no-any-return]


def _matches(event: Event, session: Session | None, flt: Filter) -> bool:
    value = _value(event, session, flt)
    if value is None:  # SQL: NULL matches no operator
        return False
    if flt.name == "referrer" and event.hostname is not None and value == re.sub(r"^www.", "", event.hostname):
        return False
    needle = flt.values[0]
    if flt.operator == "eq":
        return value in flt.values
    if flt.operator == "neq":
        return value not in flt.values
    if flt.operator in ("c", "dnc"):
        return (needle.lower() in value.lower()) == (flt.operator == "c")
    return (re.search(needle, value, re.IGNORECASE) is not None) == (flt.operator == "re")


def bounce_free_visits(events: Iterable[Event], start: datetime, end: datetime) -> set[tuple[str, str]]:
    """``excludeBounce``'s join: (session, visit) pairs with more than one page view in the range, before any filter."""
    views = Counter(
        (event.session_id, event.visit_id) for event in events if event.event_type == PAGE_VIEW and start <= event.created_at <= end
    )
    return {visit for visit, count in views.items() if count > 1}


def select(
    events: Sequence[Event], sessions: Sessions, query: DataQuery, start: datetime, end: datetime, *, bounce_join: bool = True
) -> list[Event]:
    """Events in ``[start, end]`` that pass the query's filters (all of them, or any with match=any).

    ``bounce_join``: whether the server's query for this route has the ``excludeBounce`` join.
    """
    joined = any(flt.on_session or flt.name == "referrer" for flt in query.filters)
    kept = bounce_free_visits(events, start, end) if query.exclude_bounce and bounce_join else None
    chosen = []
    for event in events:
        if not start <= event.created_at <= end:
            continue
        if kept is not None and (event.session_id, event.visit_id) not in kept:
            continue
        session = sessions.get(event.session_id)
        if joined and session is None:
            continue
        if query.event_type is not None and event.event_type != query.event_type:
            continue
        results = [_matches(event, session, flt) for flt in query.filters]
        if results and not (any(results) if query.match_any else all(results)):
            continue
        chosen.append(event)
    return chosen


def website_stats(events: Iterable[Event], exclude_bounce: bool = False) -> dict[str, int]:
    """``getWebsiteStats``: custom events and performance samples do not count; a visit of one view is a bounce."""
    visits: dict[tuple[str, str], list[datetime]] = defaultdict(list)
    for event in events:
        if event.event_type not in (CUSTOM_EVENT, PERFORMANCE):
            visits[(event.session_id, event.visit_id)].append(event.created_at)
    return {
        "pageviews": sum(len(times) for times in visits.values()),
        "visitors": len({session for session, _ in visits}),
        "visits": len({visit for _, visit in visits}),
        "bounces": 0 if exclude_bounce else sum(1 for times in visits.values() if len(times) == 1),
        "totaltime": sum(int((max(times) - min(times)).total_seconds()) for times in visits.values()),
    }


def bucket(moment: datetime, unit: str, zone: tzinfo) -> datetime:
    """The start of the ``unit`` that holds ``moment``, in ``zone`` (PostgreSQL's ``date_trunc``)."""
    local = moment.astimezone(zone)
    local = local.replace(second=0, microsecond=0)
    if unit in ("year", "month", "day", "hour"):
        local = local.replace(minute=0)
    if unit in ("year", "month", "day"):
        local = local.replace(hour=0)
    if unit in ("year", "month"):
        local = local.replace(day=1)
    return local.replace(month=1) if unit == "year" else local


def minimum_unit(start: datetime, end: datetime) -> str:
    """``getMinimumUnit`` (``src/lib/date.ts``), with date-fns' truncated differences in the server's zone (UTC)."""
    start, end = start.astimezone(timezone.utc), end.astimezone(timezone.utc)
    if int((end - start) / timedelta(minutes=1)) <= 60:
        return "minute"
    if int((end - start) / timedelta(days=1)) <= 30:
        return "hour"
    months = (end.year - start.year) * 12 + end.month - start.month
    return "day" if months <= 7 else "month" if months <= 24 else "year"


def chart_unit(requested: str | None, start: datetime, end: datetime) -> str:
    """``getRequestDateRange``: the requested unit if the range allows it, else the minimum unit."""
    minimum = minimum_unit(start, end)
    allowed = CHART_UNITS[CHART_UNITS.index("month" if minimum == "year" else minimum) :]
    return requested if requested in allowed else minimum


def date_label(moment: datetime, unit: str, zone: tzinfo, utc: bool) -> str:
    """``getDateSQL``: ``2026-12-04T11:05:00Z`` without a timezone (or 'utc'), else local ``2026-12-04 11:05:00``."""
    start = bucket(moment, unit, timezone.utc if utc else zone)
    return start.strftime("%Y-%m-%dT%H:%M:00Z" if utc else "%Y-%m-%d %H:%M:00")


def is_utc_format(timezone_name: str | None) -> bool:
    """The server formats buckets as UTC when the query has no timezone or exactly 'utc' (``getDateSQL``)."""
    return timezone_name in (None, "utc")


def series(events: Iterable[Event], unit: str, zone: tzinfo, utc: bool = False) -> dict[str, list[dict[str, Any]]]:
    """The pageviews chart: views and distinct sessions per unit, only units with data, oldest first."""
    views: Counter[str] = Counter()
    visitors: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.event_type not in (CUSTOM_EVENT, PERFORMANCE):
            key = date_label(event.created_at, unit, zone, utc)
            views[key] += 1
            visitors[key].add(event.session_id)
    keys = sorted(views)
    return {"pageviews": [{"x": key, "y": views[key]} for key in keys], "sessions": [{"x": key, "y": len(visitors[key])} for key in keys]}


def active_visitors(events: Iterable[Event], now: datetime) -> int:
    """Distinct sessions with any event (custom events too) in the last five minutes."""
    since = now - timedelta(minutes=5)
    return len({event.session_id for event in events if event.created_at >= since})
