"""The numbers: website stats, series, metrics, active visitors (umami-server.md, section c).

Pure functions over the stored rows. ``select`` applies the date range (inclusive at both ends)
and the filters; session filters join the session row, so events whose session row is missing drop.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, tzinfo

from umami_transports.fake.query import DataQuery, Filter
from umami_transports.fake.store import CUSTOM_EVENT, PAGE_VIEW, PERFORMANCE, Event, Session

__all__ = ["active_visitors", "bucket", "channel", "metrics", "select", "series", "website_stats"]

Sessions = Mapping[str, Session]

SEARCH = ("google", "bing", "yahoo", "duckduckgo", "baidu", "yandex", "ecosia", "qwant", "search.brave", "startpage", "naver", "seznam")
SOCIAL = ("facebook", "fb.", "instagram", "twitter", "t.co", "x.com", "linkedin", "lnkd.in", "reddit", "pinterest", "tiktok",
          "youtube", "threads.net", "mastodon", "bsky", "quora", "snapchat", "tumblr", "vk.com", "weibo")  # fmt: skip
EMAIL = ("mail.", "outlook", "gmail", "yahoo.mail", "proton")
SHOPPING = ("amazon", "ebay", "etsy", "shopify", "walmart", "aliexpress", "alibaba", "mercadolibre", "rakuten", "temu")
VIDEO = ("youtube", "vimeo", "twitch", "dailymotion", "netflix", "tiktok")
PAID_PARAMS = ("gclid", "fbclid", "msclkid", "ttclid", "li_fat_id", "twclid", "utm_source=", "dclid", "wbraid", "gbraid")


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


def select(events: Iterable[Event], sessions: Sessions, query: DataQuery, start: datetime, end: datetime) -> list[Event]:
    """Events in ``[start, end]`` that pass the query's filters (all of them, or any with match=any)."""
    joined = any(flt.on_session for flt in query.filters)
    chosen = []
    for event in events:
        if not start <= event.created_at <= end:
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
    if exclude_bounce:
        visits = {key: times for key, times in visits.items() if len(times) > 1}
    return {
        "pageviews": sum(len(times) for times in visits.values()),
        "visitors": len({session for session, _ in visits}),
        "visits": len({visit for _, visit in visits}),
        "bounces": 0 if exclude_bounce else sum(1 for times in visits.values() if len(times) == 1),
        "totaltime": sum(int((max(times) - min(times)).total_seconds()) for times in visits.values()),
    }


def bucket(moment: datetime, unit: str, zone: tzinfo) -> datetime:
    """The start of the ``unit`` that holds ``moment``, in ``zone``."""
    local = moment.astimezone(zone)
    local = local.replace(second=0, microsecond=0)
    if unit in ("year", "month", "day", "hour"):
        local = local.replace(minute=0)
    if unit in ("year", "month", "day"):
        local = local.replace(hour=0)
    if unit in ("year", "month"):
        local = local.replace(day=1)
    return local.replace(month=1) if unit == "year" else local


def default_unit(start: datetime, end: datetime) -> str:
    """``getMinimumUnit``: the finest unit that keeps a chart readable."""
    span = end - start
    if span <= timedelta(minutes=60):
        return "minute"
    if span <= timedelta(hours=48):
        return "hour"
    return "day" if span <= timedelta(days=366) else "month" if span <= timedelta(days=731) else "year"


def series(events: Iterable[Event], unit: str, zone: tzinfo) -> dict[str, list[dict[str, object]]]:
    """The pageviews chart: views and distinct sessions per unit, only units with data, oldest first."""
    views: Counter[datetime] = Counter()
    visitors: dict[datetime, set[str]] = defaultdict(set)
    for event in events:
        if event.event_type not in (CUSTOM_EVENT, PERFORMANCE):
            key = bucket(event.created_at, unit, zone)
            views[key] += 1
            visitors[key].add(event.session_id)
    keys = sorted(views)
    return {
        "pageviews": [{"x": key.strftime("%Y-%m-%d %H:%M:%S"), "y": views[key]} for key in keys],
        "sessions": [{"x": key.strftime("%Y-%m-%d %H:%M:%S"), "y": len(visitors[key])} for key in keys],
    }


def channel(event: Event) -> str:
    """The marketing channel of a page view, as the channel metrics classify it ('' = unclassified)."""
    domain, query, medium = event.referrer_domain or "", event.url_query or "", (event.utm.get("utm_medium") or "").lower()
    source = (event.utm.get("utm_source") or "").lower()
    prefix = "paid" if re.match(r"^(.*cp.*|ppc|retargeting|paid.*)$", medium) else "organic"
    if any(param in query for param in PAID_PARAMS[:6]):
        return "paidAds"
    if medium in ("referral", "app", "link"):
        return "referral"
    if "affiliate" in medium:
        return "affiliate"
    if "sms" in medium or "sms" in source:
        return "sms"
    groups: tuple[tuple[tuple[str, ...], str], ...] = ((SEARCH, "Search"), (SOCIAL, "Social"))
    for names, kind in groups:
        if domain and any(name in domain for name in names):
            return prefix + kind
    if (domain and any(name in domain for name in EMAIL)) or "mail" in medium:
        return "email"
    by_medium: tuple[tuple[tuple[str, ...], str, str], ...] = ((SHOPPING, "Shopping", "shop"), (VIDEO, "Video", "video"))
    for names, kind, word in by_medium:
        if (domain and any(name in domain for name in names)) or word in medium:
            return prefix + kind
    return ""


def metrics(events: list[Event], sessions: Sessions, kind: str) -> list[dict[str, object]]:
    """``/metrics?type=kind``: [{x, y}] by y descending; null and empty values left out."""
    counts: dict[str, set[str]] | Counter[str]
    if kind == "event":
        counts = Counter(event.event_name for event in events if event.event_type == CUSTOM_EVENT and event.event_name)
        rows = list(counts.items())
    else:
        groups: dict[str, set[str]] = defaultdict(set)
        views = [event for event in events if event.event_type == PAGE_VIEW]
        if kind in ("entry", "exit"):
            by_visit: dict[str, list[Event]] = defaultdict(list)
            for event in views:
                by_visit[event.visit_id].append(event)
            for visit, visit_views in by_visit.items():
                chosen = min if kind == "entry" else max
                groups[chosen(visit_views, key=lambda item: (item.created_at, item.seq)).url_path].add(visit)
        for event in views if kind not in ("entry", "exit") else ():
            value = _metric_value(event, sessions.get(event.session_id), kind)
            if value:
                groups[value].add(event.session_id)
        rows = [(value, len(members)) for value, members in groups.items() if value]
    rows.sort(key=lambda row: (-row[1], row[0]))
    return [{"x": value, "y": count} for value, count in rows]


def _metric_value(event: Event, session: Session | None, kind: str) -> str | None:
    if kind == "channel":
        return channel(event) if event.referrer_domain else None
    if kind == "referrer":
        hostname = re.sub(r"^www.", "", event.hostname or "")
        return event.referrer_domain if event.referrer_domain != hostname else None
    column = {"path": "url_path", "title": "page_title", "query": "url_query", "hostname": "hostname", "tag": "tag"}.get(kind)
    if column:
        return getattr(event, column)  # type: ignore[no-any-return]
    value = getattr(session, kind, None) if session else None
    return value.lower()[:2] if kind == "language" and value else value


def active_visitors(events: Iterable[Event], now: datetime) -> int:
    """Distinct sessions with any event (custom events too) in the last five minutes."""
    since = now - timedelta(minutes=5)
    return len({event.session_id for event in events if event.created_at >= since})
