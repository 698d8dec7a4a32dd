"""Pydantic models of the detailed reads: expanded metrics, the events series and stats, one session
(its activity and properties), session and event data, the weekly heatmap.

Shapes come from Umami 3.1.0's source (the route files under ``src/app/api/websites/[websiteId]/``
and their queries under ``src/queries/sql/``), as the embedded Umami serves them; none of these was
recorded from a real server. PostgreSQL writes sums and counts of bigints as strings ("3"): the
integer fields take them (pydantic converts), and every field is optional or defaulted, so a
newer server's extra or missing fields never make a read fail.
"""

from __future__ import annotations

from typing import Optional, Union

import pydantic

__all__ = [
    "EventDataStats",
    "EventPropertyCount",
    "EventSeriesPoint",
    "ExpandedMetricRow",
    "PropertyCount",
    "SessionActivity",
    "SessionDetail",
    "SessionProperty",
    "SessionStats",
    "StatValue",
    "ValueCount",
]

_TOLERANT = pydantic.ConfigDict(extra="allow", populate_by_name=True)


class ExpandedMetricRow(pydantic.BaseModel):
    """One row of expanded_metrics(): a value of the metric's type with its page views, visitors,
    visits, bounces and time spent (getPageviewExpandedMetrics and its siblings)."""

    model_config = _TOLERANT

    name: Optional[str] = pydantic.Field(default=None, description="The value: a path, referrer, country...")
    pageviews: Optional[int] = None
    visitors: Optional[int] = None
    visits: Optional[int] = None
    bounces: Optional[int] = None
    totaltime: Optional[int] = pydantic.Field(default=None, description="Seconds spent, over the visits.")


class EventSeriesPoint(pydantic.BaseModel):
    """One bucket of event_series(): an event name, a bucket's start, the count (getEventStats)."""

    model_config = _TOLERANT

    x: Optional[str] = pydantic.Field(default=None, description="The event name.")
    t: Optional[str] = pydantic.Field(default=None, description="The bucket's start.")
    y: int = pydantic.Field(default=0, ge=0)


class StatValue(pydantic.BaseModel):
    """One figure of session_stats()."""

    model_config = _TOLERANT

    value: int = pydantic.Field(default=0, ge=0)


class SessionStats(pydantic.BaseModel):
    """Totals of the sessions over a range (getWebsiteSessionStats): each as ``{"value": n}``."""

    model_config = _TOLERANT

    pageviews: StatValue = pydantic.Field(default_factory=StatValue)
    visitors: StatValue = pydantic.Field(default_factory=StatValue)
    visits: StatValue = pydantic.Field(default_factory=StatValue)
    countries: StatValue = pydantic.Field(default_factory=StatValue)
    events: StatValue = pydantic.Field(default_factory=StatValue)


class SessionDetail(pydantic.BaseModel):
    """One session with its totals over all its visits (getWebsiteSession). All None for a session without events."""

    model_config = _TOLERANT

    id: Optional[str] = None
    distinctId: Optional[str] = None
    websiteId: Optional[str] = None
    browser: Optional[str] = None
    os: Optional[str] = None
    device: Optional[str] = None
    screen: Optional[str] = None
    language: Optional[str] = None
    country: Optional[str] = None
    region: Optional[str] = None
    city: Optional[str] = None
    firstAt: Optional[str] = None
    lastAt: Optional[str] = None
    visits: Optional[int] = None
    views: Optional[int] = None
    events: Optional[int] = None
    totaltime: Optional[int] = pydantic.Field(default=None, description="Seconds spent, over the visits.")


class SessionActivity(pydantic.BaseModel):
    """One row of a session's activity, newest first (getSessionActivity)."""

    model_config = _TOLERANT

    createdAt: Optional[str] = None
    urlPath: Optional[str] = None
    urlQuery: Optional[str] = None
    referrerDomain: Optional[str] = None
    eventId: Optional[str] = None
    eventType: Optional[int] = pydantic.Field(default=None, description="1 for a page view, 2 for a custom event.")
    eventName: Optional[str] = None
    visitId: Optional[str] = None
    hasData: Optional[bool] = None


class SessionProperty(pydantic.BaseModel):
    """One property stored on a session by identify() (getSessionData)."""

    model_config = _TOLERANT

    websiteId: Optional[str] = None
    sessionId: Optional[str] = None
    dataKey: Optional[str] = pydantic.Field(default=None, description="The property's name.")
    dataType: Optional[int] = pydantic.Field(default=None, description="1 string, 2 number, 3 boolean, 4 date, 5 array.")
    stringValue: Optional[str] = None
    numberValue: Optional[float] = None
    dateValue: Optional[str] = None
    createdAt: Optional[str] = None


class PropertyCount(pydantic.BaseModel):
    """A property name and how many rows carry it (getSessionDataProperties)."""

    model_config = _TOLERANT

    propertyName: Optional[str] = None
    total: int = pydantic.Field(default=0, ge=0)


class EventPropertyCount(PropertyCount):
    """An event's property name and how many rows carry it (getEventDataProperties)."""

    eventName: Optional[str] = None


class ValueCount(pydantic.BaseModel):
    """A property's value and how many rows have it (getEventDataValues, getSessionDataValues)."""

    model_config = _TOLERANT

    value: Optional[Union[str, int, float, bool]] = None
    total: int = pydantic.Field(default=0, ge=0)


class EventDataStats(pydantic.BaseModel):
    """How much event data a range holds (getEventDataStats): events with data, property names, rows."""

    model_config = _TOLERANT

    events: int = pydantic.Field(default=0, ge=0)
    properties: int = pydantic.Field(default=0, ge=0)
    records: Optional[int] = pydantic.Field(default=None, description="Rows of event data (None without any).")
