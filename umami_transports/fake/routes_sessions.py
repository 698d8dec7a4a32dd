"""Sessions of a website: the list, one session with its activity and properties, session stats,
the weekly heatmap, and the session data routes (identify sends).

Route files ``src/app/api/websites/[websiteId]/sessions/**`` and ``session-data/*``; queries in
``src/queries/sql/sessions`` and ``getWeeklyTraffic`` (v3.1.0). Shapes taken from that source, except
the list (recorded as ``101_sessions_list``). Sums of sums are PostgreSQL numerics, which the server
writes as strings (Prisma's Decimal): ``views``, ``events`` and ``totaltime`` of one session.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from umami_transports.fake.app import Call, Reply, json_reply, route
from umami_transports.fake.context import Context
from umami_transports.fake.data import SessionDatum, display_value, row_json
from umami_transports.fake.query import ilike
from umami_transports.fake.routes_admin import check_website_id
from umami_transports.fake.routes_events import DATA_ROUTE
from umami_transports.fake.scope import Scope, page_of, paging, scope, website_of
from umami_transports.fake.store import CUSTOM_EVENT, PAGE_VIEW, PERFORMANCE, Event, iso
from umami_transports.fake.validation import MISSING, Issues


def _session_rows(at: Scope, rows: list[Event], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """One row per (session, hostname) over ``rows`` with their session, last seen first;
    ``search`` is ``ilike '%search%'`` on any of the session's ``fields``."""
    search = at.extra("search")
    groups: dict[tuple[str, str | None], list[Event]] = defaultdict(list)
    for event in rows:
        session = at.sessions.get(event.session_id)
        if session is None:
            continue
        if not search or any(ilike(getattr(session, field), f"%{search}%") for field in fields):
            groups[(event.session_id, event.hostname)].append(event)
    body = []
    for (session_id, hostname), group in groups.items():
        session, times = at.sessions[session_id], [event.created_at for event in group]
        body.append({
            "id": session_id, "websiteId": at.website_id, "hostname": hostname, "browser": session.browser, "os": session.os,
            "device": session.device, "screen": session.screen, "language": session.language, "country": session.country,
            "region": session.region, "city": session.city, "firstAt": iso(min(times)), "lastAt": iso(max(times)),
            "visits": len({event.visit_id for event in group}), "views": sum(event.event_type == PAGE_VIEW for event in group),
            "events": sum(event.event_type == CUSTOM_EVENT for event in group), "createdAt": iso(max(times)),
        })  # fmt: skip
    body.sort(key=lambda row: str(row["lastAt"]), reverse=True)
    return body


@route("/api/websites/{websiteId}/sessions", "GET")
def sessions_list(ctx: Context, call: Call) -> Reply:
    """``getWebsiteSessions``: search on the distinct id, city, browser, OS or device."""
    at = scope(ctx, call, paging)
    rows = _session_rows(at, at.rows(bounce_join=False), ("distinct_id", "city", "browser", "os", "device"))
    return json_reply(page_of(rows, at.query.extra))


def _revenue_params(issues: Issues, query: dict[str, str]) -> dict[str, Any]:
    return {"currency": issues.string(("currency",), query.get("currency", MISSING), optional=False), **paging(issues, query)}


@route("/api/websites/{websiteId}/revenue/sessions", "GET")
def revenue_sessions(ctx: Context, call: Call) -> Reply:
    """``getRevenueSessions``: the sessions list of visitors with revenue in ``currency`` (compared
    with the upper-cased stored currency) in the range; search on browser, OS, device or city."""
    at = scope(ctx, call, _revenue_params)
    paying = {row.session_id for row in ctx.store.revenue if row.website_id == at.website_id and at.start <= row.created_at <= at.end
              and row.currency.upper() == at.extra("currency")}  # fmt: skip
    rows = [event for event in at.rows(bounce_join=False) if event.session_id in paying]
    return json_reply(page_of(_session_rows(at, rows, ("browser", "os", "device", "city")), at.query.extra))


@route("/api/websites/{websiteId}/sessions/stats", "GET")
def sessions_stats(ctx: Context, call: Call) -> Reply:
    """``getWebsiteSessionStats``: every row with its session (custom events too), each as {value}."""
    at = scope(ctx, call, **DATA_ROUTE)
    rows = [event for event in at.rows(bounce_join=False) if event.session_id in at.sessions]
    countries = {at.sessions[event.session_id].country for event in rows} - {None}
    numbers = {"pageviews": len(rows), "visitors": len({event.session_id for event in rows}),
               "visits": len({event.visit_id for event in rows}), "countries": len(countries),
               "events": sum(event.event_type == CUSTOM_EVENT for event in rows)}  # fmt: skip
    return json_reply({name: {"value": value} for name, value in numbers.items()})


def _weekly_params(issues: Issues, query: dict[str, str]) -> dict[str, Any]:
    if "timezone" not in query:  # timezoneParam, required here
        issues.add(("timezone",), "Invalid input: expected string, received undefined")
    return {}


@route("/api/websites/{websiteId}/sessions/weekly", "GET")
def sessions_weekly(ctx: Context, call: Call) -> Reply:
    """``getWeeklyTraffic``: distinct visitors per weekday (0 = Sunday) and hour in the timezone, 7 x 24."""
    at = scope(ctx, call, _weekly_params, required=False, dated=("timezone",), int_range=True)
    cells: dict[tuple[int, int], set[str]] = defaultdict(set)
    for event in at.rows():
        if event.event_type not in (CUSTOM_EVENT, PERFORMANCE):
            local = event.created_at.astimezone(at.query.timezone)
            cells[(local.isoweekday() % 7, local.hour)].add(event.session_id)
    return json_reply([[len(cells[(day, hour)]) for hour in range(24)] for day in range(7)])


def _session_id(call: Call) -> str:
    return check_website_id(call.params["sessionId"])  # a uuid cast: anything else is an unhandled 500


@route("/api/websites/{websiteId}/sessions/{sessionId}", "GET")
def session_detail(ctx: Context, call: Call) -> Reply:
    """``getWebsiteSession``: the session with totals over its visits; ``{}`` when it has no rows."""
    website_id, _ = website_of(ctx, call)
    session_id = _session_id(call)
    session = ctx.store.sessions.get(session_id)
    events = [event for event in ctx.store.events if event.session_id == session_id]
    if session is None or session.website_id != website_id or not events:
        return json_reply({})  # json(undefined) answers {}
    visits: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        visits[event.visit_id].append(event)
    spans = [int((max(e.created_at for e in group) - min(e.created_at for e in group)).total_seconds()) for group in visits.values()]
    return json_reply({
        "id": session.id, "distinctId": session.distinct_id, "websiteId": session.website_id, "browser": session.browser,
        "os": session.os, "device": session.device, "screen": session.screen, "language": session.language,
        "country": session.country, "region": session.region, "city": session.city,
        "firstAt": iso(min(event.created_at for event in events)), "lastAt": iso(max(event.created_at for event in events)),
        "visits": len(visits), "views": str(sum(event.event_type == PAGE_VIEW for event in events)),
        "events": str(sum(event.event_type == CUSTOM_EVENT for event in events)), "totaltime": str(sum(spans)),
    })  # fmt: skip


@route("/api/websites/{websiteId}/sessions/{sessionId}/activity", "GET")
def session_activity(ctx: Context, call: Call) -> Reply:
    """``getSessionActivity``: the session's rows in the range (no filters), newest first, at most 500."""
    at = scope(ctx, call, required=False, dated=(), int_range=True, filtered=False)
    session_id = _session_id(call)
    rows = [event for event in at.events if event.session_id == session_id and at.start <= event.created_at <= at.end]
    rows.sort(key=lambda event: (event.created_at, event.seq), reverse=True)
    return json_reply([
        {"createdAt": iso(event.created_at), "urlPath": event.url_path, "urlQuery": event.url_query,
         "referrerDomain": event.referrer_domain, "eventId": event.id, "eventType": event.event_type, "eventName": event.event_name,
         "visitId": event.visit_id, "hostname": event.hostname, "hasData": bool(event.data_rows)}
        for event in rows[:500]
    ])  # fmt: skip


def _session_data(at: Scope, datum_of: dict[str, dict[str, SessionDatum]]) -> list[SessionDatum]:
    """session_data rows joined to the rows the range and filters select (one per row and key)."""
    joined = []
    for event in at.rows(bounce_join=False):
        for datum in datum_of.get(event.session_id, {}).values():
            if datum.website_id == event.website_id:
                joined.append(datum)
    return joined


@route("/api/websites/{websiteId}/sessions/{sessionId}/properties", "GET")
def session_properties(ctx: Context, call: Call) -> Reply:
    """``getSessionData``: the session's identify data, by key."""
    website_id, _ = website_of(ctx, call)
    data = ctx.store.session_data.get(_session_id(call), {})
    rows = sorted((datum for datum in data.values() if datum.website_id == website_id), key=lambda datum: datum.row.key)
    body = []
    for datum in rows:
        value = datum.row.string_value
        body.append({"websiteId": datum.website_id, "sessionId": datum.session_id, **row_json(datum.row),
                     "stringValue": None if value is None else value.replace(".0000", ""), "createdAt": iso(datum.created_at)})  # fmt: skip
    return json_reply(body)


@route("/api/websites/{websiteId}/session-data/properties", "GET")
def session_data_properties(ctx: Context, call: Call) -> Reply:
    """``getSessionDataProperties``: keys by distinct sessions, most first, at most 500."""
    at = scope(ctx, call, **DATA_ROUTE)
    sessions: dict[str, set[str]] = defaultdict(set)
    for datum in _session_data(at, ctx.store.session_data):
        sessions[datum.row.key].add(datum.session_id)
    ordered = sorted(sessions.items(), key=lambda item: (-len(item[1]), item[0]))[:500]
    return json_reply([{"propertyName": key, "total": len(members)} for key, members in ordered])


def _property_param(issues: Issues, query: dict[str, str]) -> dict[str, Any]:
    return {"propertyName": issues.string(("propertyName",), query.get("propertyName", MISSING))}


@route("/api/websites/{websiteId}/session-data/values", "GET")
def session_data_values(ctx: Context, call: Call) -> Reply:
    """``getSessionDataValues``: one key's values by distinct sessions (none without ``propertyName``), at most 100."""
    at = scope(ctx, call, _property_param, **DATA_ROUTE)
    sessions: dict[str | None, set[str]] = defaultdict(set)
    for datum in _session_data(at, ctx.store.session_data):
        if datum.row.key == call.query.get("propertyName"):
            sessions[display_value(datum.row)].add(datum.session_id)
    ordered = sorted(sessions.items(), key=lambda item: (-len(item[1]), item[0] or ""))[:100]
    return json_reply([{"value": value, "total": len(members)} for value, members in ordered])
