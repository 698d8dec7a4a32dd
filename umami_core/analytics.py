"""Pydantic models of Umami's analytics reads: metrics, series, the events and sessions lists,
realtime, the website's date range (and, from analytics_details, the detailed reads).

Every model keeps fields it does not know (a newer server adds some: ``extra="allow"``), and every
field the server may leave out or send as null is optional. Shapes are those a real Umami 3.1
answered (tests/data/recorded/078-101, 112, 113), unless a comment names the source file.
"""

from __future__ import annotations

from typing import Generic, Optional, TypeVar

import pydantic

from umami_core.analytics_details import (
    EventDataStats,
    EventPropertyCount,
    EventSeriesPoint,
    ExpandedMetricRow,
    PropertyCount,
    SessionActivity,
    SessionDetail,
    SessionProperty,
    SessionStats,
    StatValue,
    ValueCount,
)

__all__ = [
    "DateRange",
    "EventDataStats",
    "EventPropertyCount",
    "EventRow",
    "EventSeriesPoint",
    "ExpandedMetricRow",
    "MetricRow",
    "Page",
    "PageviewsComparison",
    "PageviewsSeries",
    "PropertyCount",
    "Realtime",
    "RealtimeEvent",
    "RealtimeSeries",
    "RealtimeTotals",
    "SeriesPoint",
    "SessionActivity",
    "SessionDetail",
    "SessionProperty",
    "SessionRow",
    "SessionStats",
    "StatValue",
    "ValueCount",
]

_TOLERANT = pydantic.ConfigDict(extra="allow", populate_by_name=True)
T = TypeVar("T")


class MetricRow(pydantic.BaseModel):
    """One row of metrics(): a value of the metric's type (a path, a country...) and its count."""

    model_config = _TOLERANT

    x: Optional[str] = pydantic.Field(description="The value: a path, referrer, country code... None when unknown.")
    y: int = pydantic.Field(ge=0, description="Its count (visitors for most types, views for pages).")


class SeriesPoint(pydantic.BaseModel):
    """One bucket of a time series: its start and its count."""

    model_config = _TOLERANT

    x: str = pydantic.Field(description="The bucket's start, as Umami writes it ('2026-11-27 13:00:00', or ISO with 'Z').")
    y: int = pydantic.Field(ge=0, description="The count in the bucket.")


class PageviewsComparison(pydantic.BaseModel):
    """The previous period of a page view series (``compare``)."""

    model_config = _TOLERANT

    pageviews: list[SeriesPoint] = pydantic.Field(default_factory=list, description="Page views per bucket.")
    sessions: list[SeriesPoint] = pydantic.Field(default_factory=list, description="Sessions per bucket.")
    startDate: Optional[str] = pydantic.Field(default=None, description="The period's start (ISO 8601).")
    endDate: Optional[str] = pydantic.Field(default=None, description="The period's end (ISO 8601).")


class PageviewsSeries(PageviewsComparison):
    """Page views and sessions over time (pageview_series()), with the previous period when asked for."""

    compare: Optional[PageviewsComparison] = pydantic.Field(default=None, description="The previous period, with compare=.")


class EventRow(pydantic.BaseModel):
    """One event of the events list (page views have eventType 1, custom events 2)."""

    model_config = _TOLERANT

    id: str
    websiteId: Optional[str] = None
    sessionId: Optional[str] = None
    createdAt: Optional[str] = pydantic.Field(default=None, description="When it happened (ISO 8601).")
    hostname: Optional[str] = None
    urlPath: Optional[str] = None
    urlQuery: Optional[str] = None
    referrerPath: Optional[str] = None
    referrerQuery: Optional[str] = None
    referrerDomain: Optional[str] = None
    country: Optional[str] = None
    city: Optional[str] = None
    device: Optional[str] = None
    os: Optional[str] = None
    browser: Optional[str] = None
    pageTitle: Optional[str] = None
    eventType: Optional[int] = pydantic.Field(default=None, description="1 for a page view, 2 for a custom event.")
    eventName: Optional[str] = None
    hasData: Optional[bool] = pydantic.Field(default=None, description="Whether it carries custom data.")


class SessionRow(pydantic.BaseModel):
    """One session of the sessions list: the visitor's device and place, and what they did."""

    model_config = _TOLERANT

    id: str
    websiteId: Optional[str] = None
    hostname: Optional[str] = None
    browser: Optional[str] = None
    os: Optional[str] = None
    device: Optional[str] = None
    screen: Optional[str] = None
    language: Optional[str] = None
    country: Optional[str] = None
    region: Optional[str] = None
    city: Optional[str] = None
    firstAt: Optional[str] = pydantic.Field(default=None, description="The first event in the range (ISO 8601).")
    lastAt: Optional[str] = pydantic.Field(default=None, description="The last event in the range (ISO 8601).")
    visits: Optional[int] = None
    views: Optional[int] = None
    events: Optional[int] = None
    createdAt: Optional[str] = None


class Page(pydantic.BaseModel, Generic[T]):
    """One page of a paged list."""

    model_config = _TOLERANT

    data: list[T]
    count: int = pydantic.Field(ge=0, description="Items in the whole list.")
    page: int = pydantic.Field(ge=0)
    pageSize: int = pydantic.Field(ge=0)


class RealtimeEvent(pydantic.BaseModel):
    """One of the latest events of realtime()."""

    model_config = _TOLERANT

    type: Optional[str] = pydantic.Field(default=None, alias="__type", description="'pageview' or 'event'.")
    sessionId: Optional[str] = None
    eventName: Optional[str] = None
    createdAt: Optional[str] = None
    browser: Optional[str] = None
    os: Optional[str] = None
    device: Optional[str] = None
    country: Optional[str] = None
    urlPath: Optional[str] = None
    referrerDomain: Optional[str] = None
    hostname: Optional[str] = None


class RealtimeSeries(pydantic.BaseModel):
    """Views and visitors per minute over the last half hour."""

    model_config = _TOLERANT

    views: list[SeriesPoint] = pydantic.Field(default_factory=list)
    visitors: list[SeriesPoint] = pydantic.Field(default_factory=list)


class RealtimeTotals(pydantic.BaseModel):
    """The last half hour's totals."""

    model_config = _TOLERANT

    views: int = pydantic.Field(default=0, ge=0)
    visitors: int = pydantic.Field(default=0, ge=0)
    events: int = pydantic.Field(default=0, ge=0)
    countries: int = pydantic.Field(default=0, ge=0)


class Realtime(pydantic.BaseModel):
    """What happens on the website now (the last 30 minutes): counts by URL, referrer and country,
    the latest events, a per-minute series and totals."""

    model_config = _TOLERANT

    countries: dict[str, int] = pydantic.Field(default_factory=dict)
    urls: dict[str, int] = pydantic.Field(default_factory=dict)
    referrers: dict[str, int] = pydantic.Field(default_factory=dict)
    events: list[RealtimeEvent] = pydantic.Field(default_factory=list)
    series: RealtimeSeries = pydantic.Field(default_factory=RealtimeSeries)
    totals: RealtimeTotals = pydantic.Field(default_factory=RealtimeTotals)
    timestamp: Optional[int] = pydantic.Field(default=None, description="The server's now, epoch milliseconds.")


class DateRange(pydantic.BaseModel):
    """When a website's data starts and ends."""

    model_config = _TOLERANT

    startDate: Optional[str] = pydantic.Field(default=None, description="The first event (ISO 8601), None without data.")
    endDate: Optional[str] = pydantic.Field(default=None, description="The last event (ISO 8601).")
