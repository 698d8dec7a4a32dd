"""The data routes of a website: stats, active, metrics, pageviews, events, sessions, realtime, daterange.

Order of answers, as on the server: 400 for a bad query, 401 without a valid credential, a bare 500
for a website id PostgreSQL cannot cast, 401 when the caller may not view the website (an admin
may view any id, even an unknown one: all zeros), then the numbers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

from umami_transports.fake.app import UNAUTHORIZED, Abort, Call, Reply, authenticate, bare, json_reply, route
from umami_transports.fake.context import Context
from umami_transports.fake.metrics import EVENT_COLUMNS, METRIC_TYPES, SESSION_COLUMNS, metrics
from umami_transports.fake.query import SESSION_FILTERS, DataQuery, Filter, compare_window, parse_query, require_range
from umami_transports.fake.routes_admin import can_view, check_website_id
from umami_transports.fake.stats import active_visitors, chart_unit, is_utc_format, select, series, website_stats
from umami_transports.fake.store import CUSTOM_EVENT, PAGE_VIEW, PERFORMANCE, Event, Session, Website, iso
from umami_transports.fake.validation import MISSING, Issues, bad_request

REALTIME_MINUTES = 30


def _website(ctx: Context, call: Call) -> tuple[str, Website | None]:
    user = authenticate(ctx, call)
    website_id = check_website_id(call.params["websiteId"])
    website = ctx.store.live_website(website_id)
    if not can_view(user, website):
        raise Abort(UNAUTHORIZED)
    return website_id, website


def _prepare(ctx: Context, call: Call, extra: Any = None, required: bool = True) -> tuple[DataQuery, str, datetime]:
    query = parse_query(call, extra, required=required)
    website_id, website = _website(ctx, call)
    start = query.start if website is None or website.reset_at is None else max(query.start, website.reset_at)
    return query, website_id, start


def _paging(issues: Issues, query: dict[str, str]) -> dict[str, Any]:
    page = issues.number(("page",), query.get("page", MISSING), integer=True, positive=True)
    size = issues.number(("pageSize",), query.get("pageSize", MISSING), integer=True, positive=True)
    return {"page": 1 if page is MISSING else page, "pageSize": 20 if size is MISSING else size, "search": query.get("search")}


@route("/api/websites/{websiteId}/stats", "GET")
def stats(ctx: Context, call: Call) -> Reply:
    query, website_id, start = _prepare(ctx, call)
    require_range(query)
    events, sessions = ctx.store.website_events(website_id), ctx.store.sessions
    body: dict[str, Any] = website_stats(select(events, sessions, query, start, query.end), query.exclude_bounce)
    compare_start, compare_end = compare_window(query.compare or "prev", start, query.end)
    body["comparison"] = website_stats(select(events, sessions, query, compare_start, compare_end), query.exclude_bounce)
    return json_reply(body)


@route("/api/websites/{websiteId}/active", "GET")
def active(ctx: Context, call: Call) -> Reply:
    website_id, _ = _website(ctx, call)
    return json_reply({"visitors": active_visitors(ctx.store.website_events(website_id), ctx.now())})


@route("/api/websites/{websiteId}/pageviews", "GET")
def pageviews(ctx: Context, call: Call) -> Reply:
    query, website_id, start = _prepare(ctx, call)
    require_range(query)
    events, sessions = ctx.store.website_events(website_id), ctx.store.sessions
    unit, utc = chart_unit(query.unit, query.start, query.end), is_utc_format(query.timezone_name)
    body: dict[str, Any] = series(select(events, sessions, query, start, query.end), unit, query.timezone, utc)
    if query.compare:
        compare_start, compare_end = compare_window(query.compare, start, query.end)
        compared = series(select(events, sessions, query, compare_start, compare_end), unit, query.timezone, utc)
        body.update(
            startDate=iso(start), endDate=iso(query.end), compare={**compared, "startDate": iso(compare_start), "endDate": iso(compare_end)}
        )
    return json_reply(body)


def _metric_params(issues: Issues, query: dict[str, str]) -> dict[str, Any]:
    return {
        "type": issues.string(("type",), query.get("type", MISSING), optional=False),
        "limit": issues.number(("limit",), query.get("limit", MISSING)),
        "offset": issues.number(("offset",), query.get("offset", MISSING)),
        "search": query.get("search"),
    }


@route("/api/websites/{websiteId}/metrics", "GET")
def website_metrics(ctx: Context, call: Call) -> Reply:
    query, website_id, start = _prepare(ctx, call, _metric_params)
    kind, search = query.extra["type"], query.extra["search"]
    if kind not in METRIC_TYPES:
        return json_reply(bad_request(), 400)
    require_range(query)
    add_search(query, kind, search)
    events, sessions = ctx.store.website_events(website_id), ctx.store.sessions
    in_range = [event for event in events if start <= event.created_at <= query.end] if kind in ("entry", "exit") else None
    # The event metric's query has no excludeBounce join; the others have.
    rows = metrics(select(events, sessions, query, start, query.end, bounce_join=kind != "event"), sessions, kind, in_range)
    if kind == "channel":
        return json_reply(rows)  # getChannelMetrics takes no limit nor offset
    offset = int(query.extra["offset"]) if query.extra["offset"] is not MISSING else 0
    limit = int(query.extra["limit"]) if query.extra["limit"] is not MISSING else 500
    return json_reply(rows[offset : offset + limit])


def add_search(query: DataQuery, kind: str, search: str | None) -> None:
    """``filters[type] = 'c.' + search``: only for a type that is also a filter column (not screen or channel)."""
    column = EVENT_COLUMNS.get(kind) or (SESSION_FILTERS.get(kind) if kind in SESSION_COLUMNS else None)
    if search and column:
        query.filters.append(Filter(kind, column, "c", (search,), kind in SESSION_FILTERS))


def _event_row(event: Event, session: Session | None) -> dict[str, Any]:
    return {
        "id": event.id, "websiteId": event.website_id, "sessionId": event.session_id, "createdAt": iso(event.created_at),
        "hostname": event.hostname, "urlPath": event.url_path, "urlQuery": event.url_query, "referrerPath": event.referrer_path,
        "referrerQuery": event.referrer_query, "referrerDomain": event.referrer_domain,
        "country": session.country if session else None, "city": session.city if session else None,
        "device": session.device if session else None, "os": session.os if session else None,
        "browser": session.browser if session else None, "pageTitle": event.page_title, "eventType": event.event_type,
        "eventName": event.event_name, "hasData": event.has_data,
    }  # fmt: skip


def _page_of(rows: list[dict[str, Any]], paging: dict[str, Any]) -> dict[str, Any]:
    page, size = paging["page"], paging["pageSize"]
    return {"data": rows[size * (page - 1) : size * page], "count": len(rows), "page": page, "pageSize": size}


@route("/api/websites/{websiteId}/events", "GET")
def events_list(ctx: Context, call: Call) -> Reply:
    query, website_id, start = _prepare(ctx, call, _paging)
    require_range(query)
    chosen = [event for event in select(ctx.store.website_events(website_id), ctx.store.sessions, query, start, query.end)
              if event.event_type != PERFORMANCE]  # fmt: skip
    search = (query.extra["search"] or "").lower()
    if search:
        chosen = [
            event
            for event in chosen
            if any(search in (text or "").lower() for text in (event.event_name, event.url_path, event.page_title))
        ]
    chosen.sort(key=lambda event: (event.created_at, event.seq), reverse=True)
    return json_reply(_page_of([_event_row(event, ctx.store.sessions.get(event.session_id)) for event in chosen], query.extra))


@route("/api/websites/{websiteId}/sessions", "GET")
def sessions_list(ctx: Context, call: Call) -> Reply:
    query, website_id, start = _prepare(ctx, call, _paging)
    require_range(query)
    groups: dict[tuple[str, str | None], list[Event]] = defaultdict(list)
    for event in select(ctx.store.website_events(website_id), ctx.store.sessions, query, start, query.end):
        if event.session_id in ctx.store.sessions:
            groups[(event.session_id, event.hostname)].append(event)
    rows = []
    for (session_id, hostname), group in groups.items():
        session, times = ctx.store.sessions[session_id], [event.created_at for event in group]
        rows.append({
            "id": session_id, "websiteId": website_id, "hostname": hostname, "browser": session.browser, "os": session.os,
            "device": session.device, "screen": session.screen, "language": session.language, "country": session.country,
            "region": session.region, "city": session.city, "firstAt": iso(min(times)), "lastAt": iso(max(times)),
            "visits": len({event.visit_id for event in group}), "views": sum(event.event_type == PAGE_VIEW for event in group),
            "events": sum(event.event_type == CUSTOM_EVENT for event in group), "createdAt": iso(max(times)),
        })  # fmt: skip
    rows.sort(key=lambda row: str(row["lastAt"]), reverse=True)
    return json_reply(_page_of(rows, query.extra))


@route("/api/websites/{websiteId}/daterange", "GET")
def daterange(ctx: Context, call: Call) -> Reply:
    website_id, website = _website(ctx, call)
    times = [event.created_at for event in ctx.store.website_events(website_id)]
    if website is not None and website.reset_at is not None:
        times = [moment for moment in times if moment >= website.reset_at]
    return json_reply({"startDate": iso(min(times)) if times else None, "endDate": iso(max(times)) if times else None})


@route("/api/websites/{websiteId}/event-data/events", "GET")
def event_data_events(ctx: Context, call: Call) -> Reply:
    _prepare(ctx, call)
    return bare(500)  # Umami 3.1 answers this route with an unhandled error (recorded as 102_event_data_events)


@route("/api/realtime/{websiteId}", "GET")
def realtime(ctx: Context, call: Call) -> Reply:
    query, website_id, _ = _prepare(ctx, call, required=False)
    now = ctx.now()
    since = now - timedelta(minutes=REALTIME_MINUTES)
    recent = [event for event in select(ctx.store.website_events(website_id), ctx.store.sessions, query, since, now + timedelta(days=36500))
              if event.event_type in (PAGE_VIEW, CUSTOM_EVENT)]  # fmt: skip
    sessions = {
        key: session for key, session in ctx.store.sessions.items() if session.website_id == website_id and session.created_at >= since
    }
    first: dict[str, Event] = {}
    for event in sorted(recent, key=lambda item: (item.created_at, item.seq)):
        first.setdefault(event.session_id, event)
    entries: list[tuple[datetime, int, dict[str, Any]]] = []
    for event in recent:
        kind = "pageview" if event.event_type == PAGE_VIEW else "event"
        entries.append((event.created_at, event.seq, _realtime_entry(kind, event, ctx.store.sessions.get(event.session_id))))
    for session_id, event in first.items():
        if session_id in sessions:
            entries.append((sessions[session_id].created_at, event.seq, _realtime_entry("session", event, sessions[session_id])))
    views = [event for event in recent if event.event_type == PAGE_VIEW]
    per_minute: dict[str, set[str]] = defaultdict(set)
    for event in views:
        per_minute[event.created_at.strftime("%Y-%m-%dT%H:%M:00Z")].add(event.session_id)
    view_counts = Counter(event.created_at.strftime("%Y-%m-%dT%H:%M:00Z") for event in views)
    countries = Counter(session.country for session in sessions.values() if session.country)
    return json_reply({
        "countries": dict(countries), "urls": dict(Counter(event.url_path for event in recent if event.url_path)),
        "referrers": dict(Counter(event.referrer_domain for event in recent if event.referrer_domain)),
        "events": [entry for _, _, entry in sorted(entries, key=lambda item: (item[0], item[1]), reverse=True)],
        "series": {"views": [{"x": key, "y": view_counts[key]} for key in sorted(view_counts)],
                   "visitors": [{"x": key, "y": len(per_minute[key])} for key in sorted(per_minute)]},
        "totals": {"views": len(views), "visitors": len(sessions), "events": len(recent) - len(views), "countries": len(countries)},
        "timestamp": int(now.timestamp() * 1000),
    })  # fmt: skip


def _realtime_entry(kind: str, event: Event, session: Session | None) -> dict[str, Any]:
    return {
        "__type": kind, "sessionId": event.session_id, "eventName": event.event_name if kind == "event" else None,
        "createdAt": iso(session.created_at if kind == "session" and session else event.created_at),
        "browser": session.browser if session else None, "os": session.os if session else None,
        "device": session.device if session else None, "country": session.country if session else None,
        "urlPath": event.url_path, "referrerDomain": event.referrer_domain, "hostname": event.hostname,
    }  # fmt: skip
