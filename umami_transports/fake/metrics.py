"""``/metrics?type=...``: one column's values by distinct visitors (or event counts), and the channels.

Shapes and rules from the server's source (v3.1.0), not from a recording: ``getPageviewMetrics``,
``getSessionMetrics``, ``getEventMetrics`` and ``getChannelMetrics`` in ``src/queries/sql``, and the
domain lists of ``src/lib/constants.ts``. Rows are the event rows the route selected (date range,
filters); the page-level types read every row but custom events and performance samples.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from umami_transports.fake.store import CUSTOM_EVENT, PERFORMANCE, Event, Session

__all__ = ["EVENT_COLUMNS", "METRIC_TYPES", "SESSION_COLUMNS", "channel", "event_value", "ilike_any", "metrics"]

#: Metric type -> event column (``EVENT_COLUMNS`` with ``FILTER_COLUMNS``).
EVENT_COLUMNS = {
    "path": "url_path", "entry": "url_path", "exit": "url_path", "referrer": "referrer_domain", "domain": "referrer_domain",
    "title": "page_title", "query": "url_query", "event": "event_name", "tag": "tag", "hostname": "hostname",
    "utmSource": "utm_source", "utmMedium": "utm_medium", "utmCampaign": "utm_campaign", "utmContent": "utm_content",
    "utmTerm": "utm_term",
}  # fmt: skip
#: Metric type -> session column (``SESSION_COLUMNS``).
SESSION_COLUMNS = {
    "browser": "browser", "os": "os", "device": "device", "screen": "screen", "language": "language", "country": "country",
    "city": "city", "region": "region", "distinctId": "distinct_id",
}  # fmt: skip
METRIC_TYPES = (*EVENT_COLUMNS, *SESSION_COLUMNS, "channel")

SEARCH_DOMAINS = ("baidu.com", "bing.com", "chatgpt.com", "duckduckgo.com", "ecosia.org", "google.", "msn.com", "perplexity.ai",
                  "search.brave.com", "yandex.")  # fmt: skip
SOCIAL_DOMAINS = ("bsky.app", "facebook.com", "fb.com", "ig.com", "instagram.com", "linkedin.", "news.ycombinator.com", "pinterest.",
                  "reddit.", "snapchat.", "t.co", "threads.net", "tiktok.", "twitter.com", "x.com")  # fmt: skip
SHOPPING_DOMAINS = ("alibaba.com", "aliexpress.com", "amazon.", "bestbuy.com", "ebay.com", "etsy.com", "newegg.com", "target.com",
                    "walmart.com")  # fmt: skip
EMAIL_DOMAINS = ("gmail.", "hotmail.", "mail.yahoo.", "outlook.", "proton.me", "protonmail.")
VIDEO_DOMAINS = ("twitch.", "youtube.")
PAID_AD_PARAMS = ("ad_id=", "aid=", "dclid=", "epik=", "fbclid=", "gclid=", "li_fat_id=", "msclkid=", "ob_click_id=", "pc_id=",
                  "rdt_cid=", "scid=", "ttclid=", "twclid=", "utm_medium=cpc", "utm_medium=paid", "utm_medium=paid_social",
                  "utm_source=google")  # fmt: skip


def ilike_any(value: str | None, needles: Iterable[str]) -> bool:
    """``value ilike '%needle%'`` for any needle ('_' matches any one character); NULL matches nothing."""
    return value is not None and any(re.search(re.escape(needle).replace("_", "."), value, re.IGNORECASE) for needle in needles)


def _own_domain(event: Event) -> str | None:
    return None if event.hostname is None else re.sub(r"^www.", "", event.hostname)


def channel(event: Event) -> str:
    """The channel of one row, as the CASE of ``getChannelMetrics`` (PostgreSQL) decides it; '' = none."""
    domain, query = event.referrer_domain, event.url_query
    medium, source = event.utm.get("utm_medium"), event.utm.get("utm_source")
    paid = medium is not None and (medium.startswith("p") or any(word in medium for word in ("ppc", "retargeting", "paid")))
    prefix = "paid" if paid else "organic"
    if domain == "" and query == "":
        return "direct"
    if ilike_any(query, PAID_AD_PARAMS):
        return "paidAds"
    if ilike_any(medium, ("referral", "app", "link")):
        return "referral"
    if ilike_any(medium, ("affiliate",)):
        return "affiliate"
    if ilike_any(medium, ("sms",)) or ilike_any(source, ("sms",)):
        return "sms"
    if ilike_any(domain, SEARCH_DOMAINS) or ilike_any(medium, ("organic",)):
        return prefix + "Search"
    if ilike_any(domain, SOCIAL_DOMAINS):
        return prefix + "Social"
    if ilike_any(domain, EMAIL_DOMAINS) or ilike_any(medium, ("mail",)):
        return "email"
    if ilike_any(domain, SHOPPING_DOMAINS) or ilike_any(medium, ("shop",)):
        return prefix + "Shopping"
    if ilike_any(domain, VIDEO_DOMAINS) or ilike_any(medium, ("video",)):
        return prefix + "Video"
    own = _own_domain(event)
    if domain and own is not None and domain != own:  # a referrer domain that is not the site's own
        return "referral"
    return ""


def _entry_exit(events: list[Event], kind: str) -> dict[str, str]:
    """visit id -> the path of its first (entry) or last (exit) row, over the range without filters."""
    chosen: dict[str, Event] = {}
    for event in events:
        if event.event_type in (CUSTOM_EVENT, PERFORMANCE):
            continue
        held = chosen.get(event.visit_id)
        key, held_key = (event.created_at, event.seq), (held.created_at, held.seq) if held else None
        if held_key is None or (key < held_key if kind == "entry" else key > held_key):
            chosen[event.visit_id] = event
    return {visit: event.url_path for visit, event in chosen.items()}


def event_value(event: Event, column: str) -> str | None:
    return event.utm.get(column) if column.startswith("utm_") else getattr(event, column)


def metrics(
    rows: list[Event], sessions: Mapping[str, Session], kind: str, in_range: list[Event] | None = None
) -> list[dict[str, Any]]:
    """``/metrics?type=kind``: [{x, y}] by y descending, null and empty values left out (city and region
    rows carry their ``country``). ``in_range``: every row of the range, for entry and exit paths."""
    if kind == "event":
        counts = Counter(event.event_name for event in rows if event.event_type == CUSTOM_EVENT and event.event_name is not None)
        return _ranked(((name, None), count) for name, count in counts.items())
    views = [event for event in rows if event.event_type not in (CUSTOM_EVENT, PERFORMANCE)]
    groups: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    entry_exit = _entry_exit(in_range or rows, kind) if kind in ("entry", "exit") else {}
    for event in views:
        session = sessions.get(event.session_id)
        country = session.country if session and kind in ("city", "region") else None
        value = _row_value(event, session, kind, entry_exit)
        if value:
            groups[(value, country)].add(event.session_id)
    return _ranked(((key, len(members)) for key, members in groups.items()), with_country=kind in ("city", "region"))


def _row_value(event: Event, session: Session | None, kind: str, entry_exit: dict[str, str]) -> str | None:
    if kind == "channel":
        return channel(event)
    if kind in ("entry", "exit"):
        return entry_exit.get(event.visit_id)
    if kind in SESSION_COLUMNS:
        value = getattr(session, SESSION_COLUMNS[kind]) if session else None
        return value[:2].lower() if kind == "language" and value else value
    value = event_value(event, EVENT_COLUMNS[kind])
    if kind in ("referrer", "domain") and value == _own_domain(event):
        return None  # the server leaves out the site's own domain (and rows without a hostname)
    return None if kind in ("referrer", "domain") and event.hostname is None else value


def _ranked(rows: Iterable[tuple[tuple[str, str | None], int]], with_country: bool = False) -> list[dict[str, Any]]:
    ordered = sorted(rows, key=lambda row: (-row[1], row[0][0], row[0][1] or ""))
    return [{"x": value, "y": count, **({"country": country} if with_country else {})} for (value, country), count in ordered]
