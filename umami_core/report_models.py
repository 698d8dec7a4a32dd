"""Pydantic models of the reports' answers: funnel, goal, journey, retention, UTM, revenue, attribution, breakdown.

No report is among the recorded exchanges: every shape here is taken from Umami 3.1.0's source, the
PostgreSQL variant (``src/app/api/reports/*/route.ts`` and ``src/queries/sql/reports/*.ts``; the
file is named on each model). As elsewhere, fields a newer server adds are kept (``extra="allow"``),
numbers the database sends as text are read as numbers, and a ratio JavaScript computes as ``NaN``
or ``Infinity`` (a step nobody reached) arrives as null, so it is optional.
"""

from __future__ import annotations

from typing import Optional

import pydantic

__all__ = [
    "Attribution",
    "AttributionTotals",
    "BreakdownRow",
    "FunnelStep",
    "Goal",
    "JourneyPath",
    "NameValue",
    "RetentionRow",
    "RevenuePoint",
    "RevenueReport",
    "RevenueTotals",
    "UtmReport",
    "UtmRow",
]

_TOLERANT = pydantic.ConfigDict(extra="allow", populate_by_name=True)


class FunnelStep(pydantic.BaseModel):
    """One step of a funnel (``getFunnel.ts``, ``formatResults``): who reached it and who was lost before it."""

    model_config = _TOLERANT

    type: str
    """'path' or 'event'."""
    value: str
    """The path or the event name."""
    visitors: int = 0
    """Sessions that reached this step within the window, having done the steps before in order."""
    previous: int = 0
    """Sessions that reached the step before (0 for the first step)."""
    dropped: int = 0
    """``previous - visitors`` (0 for the first step)."""
    dropoff: Optional[float] = None
    """The share of ``previous`` lost here, from 0 to 1 (null for the first step and after a step nobody reached)."""
    remaining: Optional[float] = None
    """The share of the first step's visitors still here, from 0 to 1 (null when nobody reached the first)."""


class Goal(pydantic.BaseModel):
    """A goal (``getGoal.ts``): sessions that reached it among the sessions of the range."""

    model_config = _TOLERANT

    num: int = 0
    """Sessions that viewed the path or sent the event."""
    total: int = 0
    """Sessions with a page view (path goals) or a custom event (event goals) in the range."""


class JourneyPath(pydantic.BaseModel):
    """One path through the site (``getJourney.ts``, ``parseResult``): its steps, repeats merged, and how many visits took it."""

    model_config = _TOLERANT

    items: list[Optional[str]] = []
    """Paths (or event names) in order; null where the visit ended before ``steps``."""
    count: int = 0


class RetentionRow(pydantic.BaseModel):
    """One cell of the retention table (``getRetention.ts``): of the visitors first seen on ``date``, those back ``day`` days later."""

    model_config = _TOLERANT

    date: str
    """The cohort's day, as the server formats it."""
    day: int
    """Days after the first visit (0: the first day)."""
    visitors: int
    """The cohort's size."""
    returnVisitors: int
    percentage: float
    """``returnVisitors`` as a percentage of ``visitors``."""


class UtmRow(pydantic.BaseModel):
    """One value of a UTM parameter and its page views (``getUTM.ts``)."""

    model_config = _TOLERANT

    utm: Optional[str] = None
    views: int = 0


class UtmReport(pydantic.BaseModel):
    """Page views per value of each UTM parameter (``src/app/api/reports/utm/route.ts``)."""

    model_config = _TOLERANT

    utm_source: list[UtmRow] = []
    utm_medium: list[UtmRow] = []
    utm_campaign: list[UtmRow] = []
    utm_term: list[UtmRow] = []
    utm_content: list[UtmRow] = []


class NameValue(pydantic.BaseModel):
    """A name (a country, a referrer domain, a channel, a UTM value...) and its number."""

    model_config = _TOLERANT

    name: Optional[str] = None
    value: float = 0


class RevenuePoint(pydantic.BaseModel):
    """Revenue of one event name in one time bucket (``getRevenue.ts``)."""

    model_config = _TOLERANT

    x: Optional[str] = None
    """The event name."""
    t: str
    """The bucket's start."""
    y: float = 0
    """The sum of revenue."""
    count: int = 0
    """Revenue events in the bucket."""


class RevenueTotals(pydantic.BaseModel):
    """Revenue totals (``getRevenueStats.ts``); ``comparison`` holds the same for the period before."""

    model_config = _TOLERANT

    sum: Optional[float] = None
    """Total revenue (null when there was none)."""
    count: int = 0
    """Revenue events."""
    unique_count: int = 0
    """Sessions with revenue."""
    total_sessions: int = 0
    """Every session of the range."""
    average: float = 0
    """Revenue per revenue event."""
    arpu: float = 0
    """Revenue per session."""
    comparison: Optional[RevenueTotals] = None


class RevenueReport(pydantic.BaseModel):
    """The revenue report (``src/app/api/reports/revenue/route.ts``, ``getRevenueMetrics.ts``), in one currency."""

    model_config = _TOLERANT

    chart: list[RevenuePoint] = []
    total: RevenueTotals = RevenueTotals()
    country: list[NameValue] = []
    region: list[NameValue] = []
    """Each row also has its ``country``."""
    referrer: list[NameValue] = []
    channel: list[NameValue] = []


class AttributionTotals(pydantic.BaseModel):
    """What reached the attribution's step (``getAttribution.ts``)."""

    model_config = _TOLERANT

    pageviews: int = 0
    visitors: int = 0
    visits: int = 0


class Attribution(pydantic.BaseModel):
    """Which sources brought the visitors who reached a step, first or last click (``getAttribution.ts``).

    Each list is sessions (or revenue, with a currency) per referrer, ad network or UTM value."""

    model_config = _TOLERANT

    referrer: list[NameValue] = []
    paidAds: list[NameValue] = []
    utm_source: list[NameValue] = []
    utm_medium: list[NameValue] = []
    utm_campaign: list[NameValue] = []
    utm_content: list[NameValue] = []
    utm_term: list[NameValue] = []
    total: AttributionTotals = AttributionTotals()


class BreakdownRow(pydantic.BaseModel):
    """One group of the breakdown (``getBreakdown.ts``): the fields asked for (as extra attributes,
    e.g. ``row.path``, ``row.country``) and the group's numbers."""

    model_config = _TOLERANT

    views: int = 0
    visitors: int = 0
    visits: int = 0
    bounces: int = 0
    totaltime: float = 0
    """Seconds spent, summed over the visits."""
