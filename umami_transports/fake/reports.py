"""The report computations over the stored rows: funnel, goal, journey, retention, UTM and breakdown.

Each follows the PostgreSQL query of ``src/queries/sql/reports/get*.ts`` in Umami v3.1.0 (the shapes
come from that source, not from recordings). The filters of the body are applied to the rows the
query's ``filterQuery`` reaches; ``excludeBounce`` is not (no report query has the bounce join).
JSON types follow Prisma: ``count()`` is a number, a ``sum()`` of counts a numeric (a string), a
float a number (NaN and Infinity become null, as ``JSON.stringify`` writes them).
Where PostgreSQL leaves the order of ties open, the fake breaks them by the grouped values.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from umami_transports.fake.query import DataQuery, like
from umami_transports.fake.stats import date_label, select
from umami_transports.fake.store import CUSTOM_EVENT, PAGE_VIEW, Event, Revenue, Session

__all__ = ["FROM_FILTERS", "Run", "breakdown", "funnel", "goal", "journey", "js_float", "retention", "utm"]

#: ``rows()`` keeps the body's own ``eventType`` filter.
FROM_FILTERS = -1
#: ``UTM_PARAMS`` of ``src/lib/constants.ts`` and the answer's key order (the route's initial object).
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
#: ``SESSION_COLUMNS``: a breakdown field among these joins the session row.
SESSION_FIELDS = {"browser": "browser", "os": "os", "device": "device", "screen": "screen", "language": "language",
                  "country": "country", "city": "city", "region": "region", "distinctId": "distinct_id"}  # fmt: skip
#: ``FILTER_COLUMNS`` for the event fields.
EVENT_FIELDS = {"path": "url_path", "referrer": "referrer_domain", "title": "page_title", "query": "url_query", "hostname": "hostname",
                "event": "event_name", "tag": "tag", "utmSource": "utm_source", "utmMedium": "utm_medium",
                "utmCampaign": "utm_campaign", "utmContent": "utm_content", "utmTerm": "utm_term"}  # fmt: skip
_UNDEFINED = object()  # a journey column the query did not select (JavaScript's undefined)


@dataclass
class Run:
    """One report run: the website's rows, the body's filters and the range (inclusive at both ends)."""

    events: list[Event]
    sessions: Mapping[str, Session]
    revenue: list[Revenue]
    query: DataQuery
    start: datetime
    end: datetime

    def rows(self, event_type: int | None = FROM_FILTERS, start: datetime | None = None, end: datetime | None = None) -> list[Event]:
        """The rows in range that pass the filters; ``event_type`` replaces the body's (None: any type)."""
        query = self.query if event_type == FROM_FILTERS else replace(self.query, event_type=event_type)
        return select(self.events, self.sessions, query, start or self.start, end or self.end, bounce_join=False)

    def in_range(self, start: datetime | None = None, end: datetime | None = None) -> list[Event]:
        """Every row in range, unfiltered (the queries' joins back to ``website_event``)."""
        start, end = start or self.start, end or self.end
        return [event for event in self.events if start <= event.created_at <= end]


def js_float(number: float) -> float | int | None:
    """A JavaScript number as ``JSON.stringify`` writes it: null if not finite, no '.0' when integral."""
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _column(event: Event, column: str) -> str | None:
    return event.utm.get(column) if column.startswith("utm_") else getattr(event, column)


def step_matcher(kind: str, value: str) -> tuple[str, Callable[[Event], bool]]:
    """A funnel or goal step: its column, and ``= value`` or, with a leading or trailing '*', ``like``."""
    column = "url_path" if kind == "path" else "event_name"
    if value.startswith("*") or value.endswith("*"):
        pattern = ("%" + value[1:] if value.startswith("*") else value)
        pattern = pattern[:-1] + "%" if pattern.endswith("*") else pattern
        return column, lambda event: like(_column(event, column), pattern)
    return column, lambda event: _column(event, column) == value


def _data_filter_passes(event: Event, run: Run, flt: Mapping[str, str]) -> bool:
    """A funnel step's event-data filter: an ``event_data`` row of the event with the key whose value
    (numbers without '.0000') compares with ``=``, ``!=``, ``ilike '%v%'`` or ``not ilike``."""
    if not run.start <= event.created_at <= run.end:
        return False
    for row in event.data_rows:
        if row.key != flt["property"] or row.string_value is None:
            continue
        value = row.string_value.replace(".0000", "") if row.data_type == 2 else row.string_value
        operator, wanted = flt["operator"], flt["value"]
        contains = wanted.lower() in value.lower()
        if {"eq": value == wanted, "neq": value != wanted, "c": contains, "dnc": not contains}[operator]:
            return True
    return False


def funnel(run: Run, window: float, steps: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``getFunnel``: distinct sessions reaching each step, each step within ``window`` minutes of the
    previous one; only the first step is filtered (and bounded below by the range's start)."""
    by_session: dict[str, list[Event]] = defaultdict(list)
    for event in run.events:
        if event.created_at <= run.end:
            by_session[event.session_id].append(event)
    reached: set[tuple[str, datetime]] = set()
    counts: list[int] = []
    for index, step in enumerate(steps):
        passes = _step_test(run, step)
        if index == 0:
            reached = {(event.session_id, event.created_at) for event in run.rows() if passes(event)}
        else:
            limit = timedelta(minutes=window)
            reached = {(session, event.created_at) for session, at in reached for event in by_session[session]
                       if at <= event.created_at <= at + limit and passes(event)}  # fmt: skip
        counts.append(len({session for session, _ in reached}))
    result = []
    for index, step in enumerate(steps):
        visitors, previous = counts[index], counts[index - 1] if index > 0 else 0
        dropoff = 1 - _divide(visitors, previous)
        result.append({**step, "visitors": visitors, "previous": previous, "dropped": previous - visitors if previous > 0 else 0,
                       "dropoff": js_float(dropoff), "remaining": js_float(_divide(visitors, counts[0]))})  # fmt: skip
    return result


def _step_test(run: Run, step: Mapping[str, Any]) -> Callable[[Event], bool]:
    """Whether a row is the funnel step: its column, and for event steps the data filters."""
    _, matches = step_matcher(step["type"], step["value"])
    filters = step.get("filters") if step["type"] == "event" else None
    return lambda event: matches(event) and all(_data_filter_passes(event, run, flt) for flt in filters or ())


def _divide(numerator: float, denominator: float) -> float:
    """JavaScript's division: x/0 is Infinity (signed), 0/0 NaN."""
    if denominator:
        return numerator / denominator
    return math.nan if numerator == 0 else math.copysign(math.inf, numerator)


def goal(run: Run, kind: str, value: str) -> dict[str, int]:
    """``getGoal``: sessions with a matching page view (type path) or custom event, out of every
    session with a row that passes the filters (the event type filter dropped)."""
    _, matches = step_matcher("path" if kind == "path" else "event", value)
    event_type = PAGE_VIEW if kind == "path" else CUSTOM_EVENT
    num = {event.session_id for event in run.rows(event_type) if matches(event)}
    return {"num": len(num), "total": len({event.session_id for event in run.rows(None)})}


def journey(run: Run, steps: float, start_step: str | None, end_step: str | None) -> list[dict[str, Any]]:
    """``getJourney``: each visit's first ``steps`` names (event name, else path) counted by sequence,
    most first, at most 100."""
    visits: dict[str, list[Event]] = defaultdict(list)
    for event in run.rows():
        visits[event.visit_id].append(event)
    width = int(steps)
    counts: Counter[tuple[str | None, ...]] = Counter()
    for events in visits.values():
        events.sort(key=lambda event: (event.created_at, event.seq))
        names: list[str | None] = [event.event_name or event.url_path for event in events[:width]]
        counts[tuple(names + [None] * (width - len(names)))] += 1
    kept = [(names, count) for names, count in counts.items() if _journey_wanted(names, start_step, end_step)]
    kept.sort(key=lambda item: (-item[1], [(name is None, name or "") for name in item[0]]))
    return [{"items": _combined(list(names) + [_UNDEFINED] * (7 - width)), "count": count} for names, count in kept[:100]]


def _journey_wanted(names: tuple[str | None, ...], start_step: str | None, end_step: str | None) -> bool:
    if start_step and names[0] != start_step:
        return False
    if not end_step:
        return True
    ends = any(names[i] == end_step and names[i + 1] is None for i in range(len(names) - 1))
    return ends or names[-1] == end_step


def _combined(names: list[Any]) -> list[str | None]:
    """``combineSequentialDuplicates``: null (no such step) and undefined (no such column) differ."""
    kept = [names[0]]
    for name in names[1:]:
        if name is not kept[-1] and name != kept[-1]:
            kept.append(name)
    return [None if name is _UNDEFINED else name for name in kept]


def retention(run: Run, zone: Any, utc: bool) -> list[dict[str, Any]]:
    """``getRetention``: sessions by the day of their first filtered row (the cohort), and how many of
    each cohort have a row (any) ``day`` days later, up to 31."""
    first: dict[str, datetime] = {}
    for event in run.rows():
        held = first.get(event.session_id)
        first[event.session_id] = event.created_at if held is None or event.created_at < held else held
    cohort = {session: _local_day(moment, zone) for session, moment in first.items()}
    size = Counter(cohort.values())
    active: set[tuple[str, int]] = set()
    for event in run.in_range():
        if event.session_id in cohort:
            active.add((event.session_id, (_local_day(event.created_at, zone) - cohort[event.session_id]).days))
    returning = Counter((cohort[session], day) for session, day in active if day <= 31)
    return [
        {"date": date_label(datetime(day0.year, day0.month, day0.day, tzinfo=timezone.utc), "day", timezone.utc, utc),
         "day": day, "visitors": size[day0], "returnVisitors": count, "percentage": js_float(count * 100 / size[day0])}
        for (day0, day), count in sorted(returning.items())
    ]  # fmt: skip


def _local_day(moment: datetime, zone: Any) -> Any:
    return moment.astimezone(zone).date()


def utm(run: Run) -> dict[str, list[dict[str, Any]]]:
    """``getUTM`` for each UTM parameter: page views by non-empty value, most first, at most 50."""
    views = run.rows(PAGE_VIEW)
    answer = {}
    for key in UTM_KEYS:
        counts = Counter(event.utm.get(key) for event in views if event.utm.get(key))
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:50]
        answer[key] = [{"utm": value, "views": count} for value, count in ordered]
    return answer


def _field(event: Event, session: Session | None, name: str) -> Any:
    if name in SESSION_FIELDS:
        return getattr(session, SESSION_FIELDS[name]) if session else None
    return _column(event, EVENT_FIELDS[name])


def breakdown(run: Run, fields: Sequence[str]) -> list[dict[str, Any]]:
    """``getBreakdown``: page views grouped by the fields' values (nulls too), with views, visitors,
    visits, bounces and time; most visitors first, at most 500."""
    joined = any(name in SESSION_FIELDS for name in fields)
    visits: dict[tuple[Any, ...], list[datetime]] = defaultdict(list)
    for event in run.rows(PAGE_VIEW):
        session = run.sessions.get(event.session_id)
        if joined and session is None:
            continue
        values = tuple(_field(event, session, name) for name in fields)
        visits[(values, event.session_id, event.visit_id)].append(event.created_at)
    groups: dict[tuple[Any, ...], list[tuple[str, str, list[datetime]]]] = defaultdict(list)
    for (values, session_id, visit_id), times in visits.items():
        groups[values].append((session_id, visit_id, times))
    rows = []
    for values, parts in groups.items():
        row: dict[str, Any] = {
            "views": str(sum(len(times) for _, _, times in parts)), "visitors": len({session for session, _, _ in parts}),
            "visits": len({visit for _, visit, _ in parts}), "bounces": sum(len(times) == 1 for _, _, times in parts),
            "totaltime": str(sum(math.floor((max(times) - min(times)).total_seconds()) for _, _, times in parts)),
        }  # fmt: skip
        row.update(zip(fields, values, strict=True))
        rows.append(row)
    rows.sort(key=lambda row: (-row["visitors"], -int(row["views"]), [(row[name] is None, str(row[name])) for name in fields]))
    return rows[:500]
