"""The data routes of a website: stats, active, pageviews, metrics, daterange, realtime.

Each follows its route file under ``src/app/api/websites/[websiteId]/`` (and ``src/app/api/realtime``)
and the query it calls in ``src/queries/sql`` (v3.1.0); see :mod:`~umami_transports.fake.scope` for
the order of answers.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from umami_transports.fake.app import Call, Reply, json_reply, route
from umami_transports.fake.context import Context
from umami_transports.fake.metrics import EVENT_COLUMNS, METRIC_TYPES, SESSION_COLUMNS, metrics
from umami_transports.fake.query import SESSION_FILTERS, DataQuery, Filter, compare_window, require_range, unchecked_query
from umami_transports.fake.scope import Scope, scope, website_of
from umami_transports.fake.stats import active_visitors, chart_unit, is_utc_format, select, series, website_stats
from umami_transports.fake.store import Event, Session, iso
from umami_transports.fake.validation import MISSING, Issues, bad_request

REALTIME_MINUTES = 30


@route("/api/websites/{websiteId}/stats", "GET")
def stats(ctx: Context, call: Call) -> Reply:
    at = scope(ctx, call)
    body: dict[str, Any] = website_stats(at.rows(), at.query.exclude_bounce)
    compare_start, compare_end = compare_window(at.query.compare or "prev", at.start, at.end)
    body["comparison"] = website_stats(at.rows(compare_start, compare_end), at.query.exclude_bounce)
    return json_reply(body)


@route("/api/websites/{websiteId}/active", "GET")
def active(ctx: Context, call: Call) -> Reply:
    website_id, _ = website_of(ctx, call)
    return json_reply({"visitors": active_visitors(ctx.store.website_events(website_id), ctx.now())})


def chart(at: Scope, rows: list[Event]) -> dict[str, list[dict[str, Any]]]:
    """``getPageviewStats`` and ``getSessionStats`` over ``rows``, in the route's unit and labels."""
    unit = chart_unit(at.query.unit, at.query.start, at.end)
    return series(rows, unit, at.query.timezone, is_utc_format(at.query.timezone_name))


@route("/api/websites/{websiteId}/pageviews", "GET")
def pageviews(ctx: Context, call: Call) -> Reply:
    at = scope(ctx, call)
    body: dict[str, Any] = chart(at, at.rows())
    if at.query.compare:
        compare_start, compare_end = compare_window(at.query.compare, at.start, at.end)
        body.update(
            startDate=iso(at.start), endDate=iso(at.end),
            compare={**chart(at, at.rows(compare_start, compare_end)), "startDate": iso(compare_start), "endDate": iso(compare_end)},
        )  # fmt: skip
    return json_reply(body)


def metric_params(issues: Issues, query: dict[str, str]) -> dict[str, Any]:
    return {
        "type": issues.string(("type",), query.get("type", MISSING), optional=False),
        "limit": issues.number(("limit",), query.get("limit", MISSING)),
        "offset": issues.number(("offset",), query.get("offset", MISSING)),
        "search": query.get("search"),
    }


def add_search(query: DataQuery, kind: str, search: str | None) -> None:
    """``filters[type] = 'c.' + search``: only for a type that is also a filter column (not screen or channel)."""
    column = EVENT_COLUMNS.get(kind) or (SESSION_FILTERS.get(kind) if kind in SESSION_COLUMNS else None)
    if search and column:
        query.filters.append(Filter(kind, column, "c", (search,), kind in SESSION_FILTERS))


def limited(rows: list[dict[str, Any]], query: DataQuery, default: int = 500) -> list[dict[str, Any]]:
    offset = int(query.extra["offset"]) if query.extra["offset"] is not MISSING else 0
    limit = int(query.extra["limit"]) if query.extra["limit"] is not MISSING else default
    return rows[offset : offset + limit]


@route("/api/websites/{websiteId}/metrics", "GET")
def website_metrics(ctx: Context, call: Call) -> Reply:
    at = scope(ctx, call, metric_params, needs_range=False)
    kind = at.extra("type")
    if kind not in METRIC_TYPES:
        return json_reply(bad_request(), 400)
    require_range(at.query)
    add_search(at.query, kind, at.extra("search"))
    in_range = [event for event in at.events if at.start <= event.created_at <= at.end] if kind in ("entry", "exit") else None
    # The event metric's query has no excludeBounce join; the others have.
    rows = metrics(at.rows(bounce_join=kind != "event"), at.sessions, kind, in_range)
    return json_reply(rows if kind == "channel" else limited(rows, at.query))  # getChannelMetrics takes no limit


@route("/api/websites/{websiteId}/daterange", "GET")
def daterange(ctx: Context, call: Call) -> Reply:
    website_id, website = website_of(ctx, call)
    times = [event.created_at for event in ctx.store.website_events(website_id)]
    if website is not None and website.reset_at is not None:
        times = [moment for moment in times if moment >= website.reset_at]
    return json_reply({"startDate": iso(min(times)) if times else None, "endDate": iso(max(times)) if times else None})


@route("/api/realtime/{websiteId}", "GET")
def realtime(ctx: Context, call: Call) -> Reply:
    """``getRealtimeData``: the last 100 rows of the 30 minutes before this minute, newest first, a
    'session' entry before each visitor's first one, and the minute series of ``pageviews``."""
    website_id, website = website_of(ctx, call)
    now = ctx.now()
    start = now.replace(second=0, microsecond=0) - timedelta(minutes=REALTIME_MINUTES)
    start = start if website is None or website.reset_at is None else max(start, website.reset_at)
    query = unchecked_query(call, start, now)
    events, sessions = ctx.store.website_events(website_id), ctx.store.sessions
    rows = select(events, sessions, query, start, now)
    activity = sorted((event for event in rows if event.session_id in sessions), key=lambda item: (item.created_at, item.seq))[-100:]
    seen: set[str] = set()
    countries, urls, referrers = Counter[str](), Counter[str](), Counter[str]()
    entries: list[dict[str, Any]] = []
    for event in activity:  # oldest first, as the server walks them
        session = sessions[event.session_id]
        if event.session_id not in seen:
            seen.add(event.session_id)
            countries.update([session.country] if session.country else [])
            entries.append(_realtime_entry("session", event, session))
        urls.update([event.url_path] if event.url_path else [])
        referrers.update([event.referrer_domain] if event.referrer_domain else [])
        entries.append(_realtime_entry("event" if event.event_name else "pageview", event, session))
    unit = chart_unit(query.unit, start, now)
    chart_rows = series(rows, unit, query.timezone, is_utc_format(query.timezone_name))
    return json_reply({
        "countries": dict(countries), "urls": dict(urls), "referrers": dict(referrers), "events": entries[::-1],
        "series": {"views": chart_rows["pageviews"], "visitors": chart_rows["sessions"]},
        "totals": {"views": sum(point["y"] for point in chart_rows["pageviews"]),
                   "visitors": sum(point["y"] for point in chart_rows["sessions"]),
                   "events": sum(1 for event in activity if event.event_name), "countries": len(countries)},
        "timestamp": int(now.timestamp() * 1000),
    })  # fmt: skip


def _realtime_entry(kind: str, event: Event, session: Session) -> dict[str, Any]:
    return {
        "__type": kind, "sessionId": event.session_id, "eventName": event.event_name, "createdAt": iso(event.created_at),
        "browser": session.browser, "os": session.os, "device": session.device, "country": session.country,
        "urlPath": event.url_path, "referrerDomain": event.referrer_domain, "hostname": event.hostname,
    }  # fmt: skip
