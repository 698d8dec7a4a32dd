"""The revenue and attribution reports over the stored rows.

``getRevenue``, ``getRevenueStats``, ``getRevenueMetrics`` and ``getAttribution`` of
``src/queries/sql/reports`` in Umami v3.1.0, PostgreSQL variant; shapes from that source, not from
recordings. Revenue is a decimal(19,4) column: its sums are numerics, written as strings
(Decimal.js: ``"15"``, ``"29.98"``), or null when nothing was summed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from umami_transports.fake.metrics import (
    EMAIL_DOMAINS,
    PAID_AD_PARAMS,
    SEARCH_DOMAINS,
    SHOPPING_DOMAINS,
    SOCIAL_DOMAINS,
    VIDEO_DOMAINS,
    ilike_any,
)  # fmt: skip
from umami_transports.fake.reports import Run, js_float
from umami_transports.fake.stats import date_label
from umami_transports.fake.store import CUSTOM_EVENT, PAGE_VIEW, Event, Revenue

__all__ = ["attribution", "revenue_chart", "revenue_metrics", "revenue_stats"]

_FOUR_PLACES = Decimal("0.0001")
#: The click-id columns of ``website_event`` and the ad network ``getAttribution`` names for each.
CLICK_IDS = (("gclid", "Google Ads"), ("fbclid", "Facebook / Meta"), ("msclkid", "Microsoft Ads"), ("ttclid", "TikTok Ads"),
             ("li_fat_id", "LinkedIn Ads"), ("twclid", "Twitter Ads (X)"))  # fmt: skip


def amount(row: Revenue) -> Decimal:
    """The stored decimal(19,4) value of a JavaScript number (PostgreSQL rounds half away from zero)."""
    return Decimal(repr(row.revenue)).quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP)


def decimal_text(number: Decimal) -> str:
    """A numeric as Prisma's Decimal writes it in JSON: no trailing zeros."""
    text = f"{number.quantize(_FOUR_PLACES):f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def _filtered(run: Run) -> bool:
    return bool(run.query.filters) or run.query.event_type is not None


def paid(run: Run, currency: str, start: datetime | None = None, end: datetime | None = None) -> list[Revenue]:
    """Revenue rows in range in ``currency`` (compared with the upper-cased stored one); with filters,
    only those whose custom event row passes them (the ``website_event`` join)."""
    start, end = start or run.start, end or run.end
    rows = [row for row in run.revenue if start <= row.created_at <= end and row.currency.upper() == currency]
    if _filtered(run):
        passing = {event.id for event in run.rows(start=start, end=end) if event.event_type == CUSTOM_EVENT}
        rows = [row for row in rows if row.event_id in passing]
    return rows


def revenue_chart(run: Run, currency: str, unit: str, zone: Any, utc: bool) -> list[dict[str, Any]]:
    """``getRevenue``: {x: event name, t: unit label, y: sum, count: rows} by label."""
    groups: dict[tuple[str, str | None], list[Decimal]] = defaultdict(list)
    for row in paid(run, currency):
        groups[(date_label(row.created_at, unit, zone, utc), row.event_name)].append(amount(row))
    return [{"x": name, "t": label, "y": decimal_text(sum(values, Decimal(0))), "count": len(values)}
            for (label, name), values in sorted(groups.items(), key=lambda item: (item[0][0], item[0][1] or ""))]  # fmt: skip


def revenue_stats(run: Run, currency: str, start: datetime | None = None, end: datetime | None = None) -> dict[str, Any]:
    """``getRevenueStats``: sum, distinct events and sessions, every session of the range, average and ARPU."""
    start, end = start or run.start, end or run.end
    rows = paid(run, currency, start, end)
    total = sum((amount(row) for row in rows), Decimal(0))
    count, sessions = len({row.event_id for row in rows}), len({event.session_id for event in run.in_range(start, end)})
    return {"sum": decimal_text(total) if rows else None, "count": count, "unique_count": len({row.session_id for row in rows}),
            "total_sessions": sessions, "average": js_float(float(total) / count) if count else 0,
            "arpu": js_float(float(total) / sessions) if sessions else 0}  # fmt: skip


def _ranked(groups: dict[Any, Decimal], shape: Callable[[Any, str], dict[str, Any]]) -> list[dict[str, Any]]:
    ordered = sorted(groups.items(), key=lambda item: (-item[1], str(item[0])))
    return [shape(key, decimal_text(value)) for key, value in ordered]


def revenue_metrics(run: Run, currency: str) -> dict[str, list[dict[str, Any]]]:
    """``getRevenueMetrics``: sums by the session's country and region, and by the referrer and channel
    of the session's first row in range."""
    rows = paid(run, currency)
    country: dict[str | None, Decimal] = defaultdict(Decimal)
    region: dict[tuple[str | None, str | None], Decimal] = defaultdict(Decimal)
    by_session: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        session = run.sessions.get(row.session_id)
        if session is not None:  # the session join
            country[session.country] += amount(row)
            region[(session.country, session.region)] += amount(row)
        by_session[row.session_id] += amount(row)
    referrer: dict[str | None, Decimal] = defaultdict(Decimal)
    channel: dict[str, Decimal] = defaultdict(Decimal)
    for event, value in _first_rows(run, by_session):
        referrer[event.referrer_domain] += value
        channel[revenue_channel(event)] += value
    return {
        "country": _ranked(country, lambda key, value: {"name": key, "value": value}),
        "region": _ranked(region, lambda key, value: {"country": key[0], "name": key[1], "value": value}),
        "referrer": _ranked(referrer, lambda key, value: {"name": key, "value": value}),
        "channel": _ranked(channel, lambda key, value: {"name": key, "value": value}),
    }


def _first_rows(run: Run, by_session: dict[str, Decimal]) -> Iterable[tuple[Event, Decimal]]:
    """Each paying session's rows at its first moment in range (all of them when several share it)."""
    in_range = run.in_range()
    first: dict[str, datetime] = {}
    for event in in_range:
        if event.session_id in by_session and (event.session_id not in first or event.created_at < first[event.session_id]):
            first[event.session_id] = event.created_at
    return [(event, by_session[event.session_id]) for event in in_range if first.get(event.session_id) == event.created_at]


def revenue_channel(event: Event) -> str:
    """The CASE of ``getRevenueMetrics``' channel query (its paid prefix differs from the metrics')."""
    domain, query = event.referrer_domain, event.url_query
    medium, source = event.utm.get("utm_medium"), event.utm.get("utm_source")
    prefix = "paid" if ilike_any(medium, ("cp", "ppc", "retargeting", "paid")) else "organic"
    own = None if event.hostname is None else re.sub(r"^www.", "", event.hostname)
    rules: tuple[tuple[bool, str], ...] = (
        (domain == "" and query == "", "direct"),
        (ilike_any(query, PAID_AD_PARAMS), "paidAds"),
        (ilike_any(medium, ("referral", "app", "link")), "referral"),
        (ilike_any(medium, ("affiliate",)), "affiliate"),
        (ilike_any(medium, ("sms",)) or ilike_any(source, ("sms",)), "sms"),
        (ilike_any(domain, SEARCH_DOMAINS) or ilike_any(medium, ("organic",)), prefix + "Search"),
        (ilike_any(domain, SOCIAL_DOMAINS), prefix + "Social"),
        (ilike_any(domain, EMAIL_DOMAINS) or ilike_any(medium, ("mail",)), "email"),
        (ilike_any(domain, SHOPPING_DOMAINS) or ilike_any(medium, ("shop",)), prefix + "Shopping"),
        (ilike_any(domain, VIDEO_DOMAINS) or ilike_any(medium, ("video",)), prefix + "Video"),
        (domain is not None and own is not None and domain != own and domain != "", "referral"),
    )
    return next((name for matched, name in rules if matched), "Unknown")


def attribution(run: Run, model: str, kind: str, step: str) -> dict[str, Any]:
    """``getAttribution``: for sessions that reached ``step`` (a page view's path or a custom event's
    name, exactly), the row credited by the model (first-click: the session's first row in range;
    last-click: its last row before its last step row), counted by referrer, ad network and UTM values."""
    column, event_type = ("url_path", PAGE_VIEW) if kind == "path" else ("event_name", CUSTOM_EVENT)
    reached = [event for event in run.rows(event_type) if getattr(event, column) == step]
    last_step: dict[str, datetime] = {}
    for event in reached:
        last_step[event.session_id] = max(event.created_at, last_step.get(event.session_id, event.created_at))
    credited: dict[str, datetime] = {}
    for event in run.in_range():
        if event.session_id not in last_step or (model != "first-click" and event.created_at >= last_step[event.session_id]):
            continue
        held = credited.get(event.session_id)
        if held is None or (event.created_at < held if model == "first-click" else event.created_at > held):
            credited[event.session_id] = event.created_at
    touches = [event for event in run.in_range() if credited.get(event.session_id) == event.created_at]

    def counted(name_of: Callable[[Event], str | None], keep: Callable[[str], bool] = bool) -> list[dict[str, Any]]:
        sessions: dict[str, set[str]] = defaultdict(set)
        for event in touches:
            name = name_of(event)
            if name is not None:
                sessions[name].add(event.session_id)
        ordered = sorted(sessions.items(), key=lambda item: (-len(item[1]), item[0]))[:20]
        return [{"name": name, "value": len(members)} for name, members in ordered if keep(name)]

    def referrer(event: Event) -> str | None:
        own = None if event.hostname is None else re.sub(r"^www.", "", event.hostname)
        joined = event.session_id in run.sessions
        return event.referrer_domain if joined and event.referrer_domain and own is not None and event.referrer_domain != own else None

    answer: dict[str, Any] = {"referrer": counted(referrer), "paidAds": counted(_ad_network, keep=lambda name: name != "")}
    for key in ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"):
        answer[key] = counted(_utm_of(key))
    answer["total"] = {"pageviews": len(reached), "visitors": len({event.session_id for event in reached}),
                       "visits": len({event.visit_id for event in reached})}  # fmt: skip
    return answer


def _utm_of(key: str) -> Callable[[Event], str | None]:
    return lambda event: event.utm.get(key) or None  # '' and null are left out


def _ad_network(event: Event) -> str:
    return next((name for column, name in CLICK_IDS if event.utm.get(column)), "")
