"""Events of a website: the list, its series and stats, and the event data routes.

Route files ``src/app/api/websites/[websiteId]/events{,/series,/stats}`` and ``event-data/*``; queries
``getWebsiteEvents``, ``getEventStats``, ``getWebsiteEventStats`` and ``getEventData*`` in
``src/queries/sql/events`` (v3.1.0). Shapes taken from that source, except where a recording exists
(``100_events_list``, ``102_event_data_events``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from umami_transports.fake.app import Call, Reply, bare, json_reply, route
from umami_transports.fake.context import Context
from umami_transports.fake.data import DataRow, display_value, row_json
from umami_transports.fake.query import compare_window, ilike
from umami_transports.fake.routes_admin import check_website_id
from umami_transports.fake.scope import Scope, page_of, paging, scope, website_of
from umami_transports.fake.stats import chart_unit, date_label, is_utc_format
from umami_transports.fake.store import CUSTOM_EVENT, PAGE_VIEW, Event, iso
from umami_transports.fake.validation import MISSING, Issues

#: The data routes' schema: startAt and endAt required integers, no timezone, unit nor compare.
DATA_ROUTE: dict[str, Any] = {"required": False, "dated": (), "int_range": True}


def _event_row(event: Event, at: Scope) -> dict[str, Any]:
    session = at.sessions[event.session_id]
    return {
        "id": event.id, "websiteId": event.website_id, "sessionId": event.session_id, "createdAt": iso(event.created_at),
        "hostname": event.hostname, "urlPath": event.url_path, "urlQuery": event.url_query, "referrerPath": event.referrer_path,
        "referrerQuery": event.referrer_query, "referrerDomain": event.referrer_domain, "country": session.country,
        "city": session.city, "device": session.device, "os": session.os, "browser": session.browser,
        "pageTitle": event.page_title, "eventType": event.event_type, "eventName": event.event_name,
        "hasData": bool(event.data_rows),
    }  # fmt: skip


@route("/api/websites/{websiteId}/events", "GET")
def events_list(ctx: Context, call: Call) -> Reply:
    """Every kind of row with its session (inner join), newest first; ``search`` is an exact ``ilike``
    on a custom event's name or a page view's path (the server adds no '%')."""
    at = scope(ctx, call, paging)
    chosen = [event for event in at.rows(bounce_join=False) if event.session_id in at.sessions]
    search = at.extra("search")
    if search:
        chosen = [event for event in chosen if (event.event_type == CUSTOM_EVENT and ilike(event.event_name, search))
                  or (event.event_type == PAGE_VIEW and ilike(event.url_path, search))]  # fmt: skip
    chosen.sort(key=lambda event: (event.created_at, event.seq), reverse=True)
    return json_reply(page_of([_event_row(event, at) for event in chosen], at.query.extra))


def _series_params(issues: Issues, query: dict[str, str]) -> dict[str, Any]:
    if "timezone" not in query:  # timezoneParam, not optional here
        issues.add(("timezone",), "Invalid input: expected string, received undefined")
    return {"limit": issues.number(("limit",), query.get("limit", MISSING))}


@route("/api/websites/{websiteId}/events/series", "GET")
def events_series(ctx: Context, call: Call) -> Reply:
    """``getEventStats``: custom events per name and unit, [{x: name, t: label, y}] by label."""
    at = scope(ctx, call, _series_params, required=False, dated=("timezone", "unit"), int_range=True)
    rows = [event for event in at.rows(bounce_join=False) if event.event_type == CUSTOM_EVENT]
    limit = at.extra("limit")
    if limit is not MISSING and limit:
        in_range = Counter(event.event_name for event in at.events if event.event_type == CUSTOM_EVENT
                           and at.start <= event.created_at <= at.end)  # fmt: skip
        top = {name for name, _ in sorted(in_range.items(), key=lambda item: (-item[1], item[0] or ""))[: int(limit)]}
        rows = [event for event in rows if event.event_name in top]
    unit, utc = chart_unit(at.query.unit, at.query.start, at.end), is_utc_format(at.query.timezone_name)
    counts = Counter((event.event_name, date_label(event.created_at, unit, at.query.timezone, utc)) for event in rows)
    ordered = sorted(counts.items(), key=lambda item: (item[0][1], item[0][0] or ""))
    return json_reply([{"x": name, "t": label, "y": count} for (name, label), count in ordered])


def _event_stats(rows: list[Event]) -> dict[str, int]:
    custom = [event for event in rows if event.event_type == CUSTOM_EVENT]
    return {"events": len(custom), "visitors": len({event.session_id for event in custom}),
            "visits": len({event.visit_id for event in custom}), "uniqueEvents": len({event.event_name for event in custom})}  # fmt: skip


@route("/api/websites/{websiteId}/events/stats", "GET")
def events_stats(ctx: Context, call: Call) -> Reply:
    """``getWebsiteEventStats`` for the range and the compared one, under ``data``."""
    at = scope(ctx, call)
    compare_start, compare_end = compare_window(at.query.compare or "prev", at.start, at.end)
    comparison = _event_stats(at.rows(compare_start, compare_end, bounce_join=False))
    return json_reply({"data": {**_event_stats(at.rows(bounce_join=False)), "comparison": comparison}})


def data_rows(at: Scope) -> list[tuple[Event, DataRow]]:
    """The event_data rows of the events the range and filters select (the data routes' join)."""
    return [(event, row) for event in at.rows(bounce_join=False) for row in event.data_rows]


@route("/api/websites/{websiteId}/event-data", "GET")
def event_data(ctx: Context, call: Call) -> Reply:
    """``getEventData``: events with data, newest first, paged, each with its properties."""
    at = scope(ctx, call, paging, **DATA_ROUTE)
    events = sorted({event.id: event for event, _ in data_rows(at)}.values(), key=lambda event: (event.created_at, event.seq), reverse=True)
    body = page_of(events, at.query.extra)
    body["data"] = [
        {"websiteId": event.website_id, "eventId": event.id, "eventName": event.event_name,
         "eventProperties": [{**row_json(row), "createdAt": iso(event.created_at)} for row in event.data_rows]}
        for event in body["data"]
    ]  # fmt: skip
    return json_reply(body)


@route("/api/websites/{websiteId}/event-data/events", "GET")
def event_data_events(ctx: Context, call: Call) -> Reply:
    """With ``event``: counts per (name, key, type, value). Without it the server's SQL lacks its
    GROUP BY and fails: an unhandled 500 (recorded as 102_event_data_events)."""
    at = scope(ctx, call, **DATA_ROUTE)
    if not call.query.get("event"):
        return bare(500)
    counts = Counter((event.event_name or "", row.key, row.data_type, row.string_value or "") for event, row in data_rows(at))
    ordered = sorted(counts.items(), key=lambda item: (*item[0][:3], -item[1], item[0][3]))
    return json_reply([{"eventName": name, "propertyName": key, "dataType": kind, "propertyValue": value, "total": total}
                       for (name, key, kind, value), total in ordered])  # fmt: skip


@route("/api/websites/{websiteId}/event-data/fields", "GET")
def event_data_fields(ctx: Context, call: Call) -> Reply:
    """``getEventDataFields``: counts per (key, type, value), by type descending, at most 100."""
    at = scope(ctx, call, **DATA_ROUTE)
    counts = Counter((row.key, row.data_type, display_value(row)) for _, row in data_rows(at))
    ordered = sorted(counts.items(), key=lambda item: (-item[0][1], -item[1], item[0][0], item[0][2] or ""))[:100]
    return json_reply([{"propertyName": key, "dataType": kind, "value": value, "total": total} for (key, kind, value), total in ordered])


@route("/api/websites/{websiteId}/event-data/properties", "GET")
def event_data_properties(ctx: Context, call: Call) -> Reply:
    """``getEventDataProperties``: rows per (event name, key), most first, at most 500."""
    at = scope(ctx, call, **DATA_ROUTE)
    counts = Counter((event.event_name, row.key) for event, row in data_rows(at))
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0] or "", item[0][1]))[:500]
    return json_reply([{"eventName": name, "propertyName": key, "total": total} for (name, key), total in ordered])


def _values_params(issues: Issues, query: dict[str, str]) -> dict[str, Any]:
    event = issues.string(("event",), query.get("event", MISSING), optional=False)
    return {"event": event, "propertyName": issues.string(("propertyName",), query.get("propertyName", MISSING), optional=False)}


@route("/api/websites/{websiteId}/event-data/values", "GET")
def event_data_values(ctx: Context, call: Call) -> Reply:
    """``getEventDataValues``: one key's values (``event`` is also the event-name filter), most first, at most 100."""
    at = scope(ctx, call, _values_params, **DATA_ROUTE)
    counts = Counter(display_value(row) for _, row in data_rows(at) if row.key == at.extra("propertyName"))
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0] or ""))[:100]
    return json_reply([{"value": value, "total": total} for value, total in ordered])


@route("/api/websites/{websiteId}/event-data/stats", "GET")
def event_data_stats(ctx: Context, call: Call) -> Reply:
    """``getEventDataStats``: one row; ``records`` is a PostgreSQL sum (numeric), so a string, or null without rows."""
    at = scope(ctx, call, **DATA_ROUTE)
    rows = data_rows(at)
    return json_reply([{"events": len({event.id for event, _ in rows}), "properties": len({row.key for _, row in rows}),
                        "records": str(len(rows)) if rows else None}])  # fmt: skip


@route("/api/websites/{websiteId}/event-data/{eventId}", "GET")
def event_data_by_id(ctx: Context, call: Call) -> Reply:
    """``getEventDataById``: the rows of one event of the website (any date)."""
    website_id, _ = website_of(ctx, call)
    event_id = check_website_id(call.params["eventId"])  # cast to uuid: anything else is an unhandled 500
    event = next((item for item in ctx.store.website_events(website_id) if item.id == event_id), None)
    rows = event.data_rows if event else ()
    return json_reply([{"websiteId": website_id, "eventId": event_id, "eventName": event.event_name if event else None, **row_json(row),
                        "createdAt": iso(event.created_at if event else None)} for row in rows])  # fmt: skip
