"""``metrics/expanded`` (a metric's values with views, visitors, visits, bounces and time) and
``values`` (the values a filter can take), as ``src/app/api/websites/[websiteId]/{metrics/expanded,
values}`` and ``get*ExpandedMetrics`` / ``getValues`` in ``src/queries/sql`` (v3.1.0) answer them.

Shapes from that source, not from a recording. ``pageviews`` and ``totaltime`` are PostgreSQL sums of
bigints (numerics), which the server writes as strings; the channel rows also carry ``"y": null``
(the route maps ``Number(item.y)`` over rows that have no ``y``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from umami_transports.fake.app import Call, Reply, json_reply, route
from umami_transports.fake.context import Context
from umami_transports.fake.metrics import EVENT_COLUMNS, METRIC_TYPES, SESSION_COLUMNS, channel, event_value, ilike_any
from umami_transports.fake.query import SESSION_FILTERS, ilike, require_range
from umami_transports.fake.routes_data import add_search, limited, metric_params
from umami_transports.fake.scope import Scope, scope
from umami_transports.fake.store import CUSTOM_EVENT, PERFORMANCE, Event, Session
from umami_transports.fake.validation import MISSING, Issues, bad_request

#: ``GROUPED_DOMAINS`` of ``src/lib/constants.ts``: the ``domain`` type names a referrer by its group.
GROUPED_DOMAINS = (
    ("baidu.com", ("baidu.",)), ("bing.com", ("bing.",)), ("brave.com", ("brave.",)), ("chatgpt.com", ("chatgpt.",)),
    ("duckduckgo.com", ("duckduckgo.",)), ("facebook.com", ("facebook.",)), ("github.com", ("github.",)), ("google.com", ("google.",)),
    ("news.ycombinator.com", ("news.ycombinator.com",)), ("instagram.com", ("instagram.", "ig.com")), ("linkedin.com", ("linkedin.",)),
    ("pinterest.com", ("pinterest.",)), ("reddit.com", ("reddit.",)), ("snapchat.com", ("snapchat.",)),
    ("twitter.com", ("twitter.", "t.co", "x.com")), ("yahoo.com", ("yahoo.",)), ("yandex.ru", ("yandex.",)),
)  # fmt: skip
#: ``fieldsParam``: the types ``values`` takes.
FIELDS = ("path", "referrer", "title", "query", "os", "browser", "device", "country", "region", "city", "tag", "hostname", "distinctId",
          "language", "event", "utmSource", "utmMedium", "utmCampaign", "utmContent", "utmTerm")  # fmt: skip
#: Filter name -> column, for ``values`` (``FILTER_COLUMNS``).
FIELD_COLUMNS = {**EVENT_COLUMNS, **SESSION_FILTERS}

Key = tuple[Any, ...]


def _grouped_domain(domain: str | None) -> str:
    return next((name for name, matches in GROUPED_DOMAINS if ilike_any(domain, matches)), "Other")


def _own_domain(event: Event) -> str | None:
    return None if event.hostname is None else re.sub(r"^www.", "", event.hostname)


def _namer(at: Scope, kind: str) -> Callable[[Event, Session | None], Key | None]:
    """Name (and, for city and region, country) of one row for ``kind``; None leaves the row out."""
    if kind in SESSION_COLUMNS:

        def by_session(event: Event, session: Session | None) -> Key | None:
            value = getattr(session, SESSION_COLUMNS[kind]) if session else None
            value = value[:2].lower() if kind == "language" and value else value
            return (value, session.country if session else None) if kind in ("city", "region") else (value,)

        return by_session
    if kind in ("entry", "exit"):
        edges: dict[str, datetime] = {}
        for event in at.events:
            if event.event_type not in (CUSTOM_EVENT, PERFORMANCE) and at.start <= event.created_at <= at.end:
                held = edges.get(event.visit_id)
                if held is None or (event.created_at < held if kind == "entry" else event.created_at > held):
                    edges[event.visit_id] = event.created_at
        return lambda event, _: (event.url_path,) if edges.get(event.visit_id) == event.created_at else None
    if kind == "channel":  # the name depends on these columns: the server groups by them before naming
        return lambda event, _: (channel(event), event.referrer_domain, event.url_query, event.utm.get("utm_medium"),
                                 event.utm.get("utm_source"), event.hostname)  # fmt: skip
    column = EVENT_COLUMNS[kind]

    def by_event(event: Event, _: Session | None) -> Key | None:
        value = event_value(event, column)
        if column == "referrer_domain" and (not value or value == _own_domain(event) or event.hostname is None):
            return None
        return (_grouped_domain(value),) if kind == "domain" else (value,)

    return by_event


def expanded(at: Scope, kind: str) -> list[dict[str, Any]]:
    """Rows grouped by (name, visitor, visit), then by name; only names that are not '' or null."""
    rows = at.rows(bounce_join=kind != "event")
    rows = [event for event in rows if event.event_type == CUSTOM_EVENT] if kind == "event" else \
        [event for event in rows if event.event_type not in (CUSTOM_EVENT, PERFORMANCE)]  # fmt: skip
    name_of = _namer(at, kind)
    groups: dict[Key, list[datetime]] = defaultdict(list)
    for event in rows:
        session = at.sessions.get(event.session_id)
        if kind in SESSION_COLUMNS and session is None:
            continue  # the session join
        key = name_of(event, session)
        if key is not None:
            full = (*key, event.session_id, event.visit_id)
            groups[full].append(event.created_at)
    named: dict[Key, list[tuple[str, str, list[datetime]]]] = defaultdict(list)
    for key, times in groups.items():
        name = key[:2] if kind in ("city", "region") else key[:1]
        if name[0]:
            named[name].append((key[-2], key[-1], times))
    result = []
    for name, parts in named.items():
        row: dict[str, Any] = {"name": name[0], **({"country": name[1]} if kind in ("city", "region") else {})}
        row.update(pageviews=str(sum(len(times) for _, _, times in parts)), visitors=len({session for session, _, _ in parts}),
                   visits=len({visit for _, visit, _ in parts}), bounces=sum(len(times) == 1 for _, _, times in parts),
                   totaltime=str(sum(int((max(times) - min(times)).total_seconds()) for _, _, times in parts)))  # fmt: skip
        result.append(row if kind != "channel" else {**row, "y": None})
    result.sort(key=lambda row: (-row["visitors"], -row["visits"], str(row["name"])))
    return result


@route("/api/websites/{websiteId}/metrics/expanded", "GET")
def metrics_expanded(ctx: Context, call: Call) -> Reply:
    at = scope(ctx, call, metric_params, needs_range=False)
    kind = at.extra("type")
    if kind not in METRIC_TYPES:
        return json_reply(bad_request(), 400)
    require_range(at.query)
    add_search(at.query, kind, at.extra("search"))
    rows = expanded(at, kind)
    return json_reply(rows if kind == "channel" else limited(rows, at.query))  # getChannelExpandedMetrics takes no limit


def _values_params(issues: Issues, query: dict[str, str]) -> dict[str, Any]:
    return {"type": issues.choice(("type",), query.get("type", MISSING), FIELDS), "search": query.get("search")}


@route("/api/websites/{websiteId}/values", "GET")
def values(ctx: Context, call: Call) -> Reply:
    """``getValues``: the ten most frequent values of a column over every row with its session;
    ``search`` is ``ilike '%s%'``, or with commas up to five exact ``ilike`` values."""
    at = scope(ctx, call, _values_params, filtered=False)
    kind, search, column = at.extra("type"), at.extra("search"), FIELD_COLUMNS[at.extra("type")]
    counts: dict[str | None, int] = defaultdict(int)
    for event in at.events:
        session = at.sessions.get(event.session_id)
        if session is None or not at.start <= event.created_at <= at.end:
            continue
        value = getattr(session, column) if kind in SESSION_FILTERS else event_value(event, column)
        if column == "referrer_domain" and (not value or event.hostname is None or value == _own_domain(event)):
            continue
        if search and not (any(ilike(value, part) for part in search.split(",")[:5]) if "," in search else ilike(value, f"%{search}%")):
            continue
        counts[value] += 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0] or ""))[:10]
    return json_reply([{"value": value, "count": count} for value, count in ordered])
