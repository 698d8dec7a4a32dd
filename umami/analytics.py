"""The models of the analytics reads (defined in ``umami_core.analytics``): metrics, series, events,
sessions, realtime, the date range."""

from umami_core.analytics import (
    DateRange,
    EventRow,
    MetricRow,
    Page,
    PageviewsComparison,
    PageviewsSeries,
    Realtime,
    RealtimeEvent,
    RealtimeSeries,
    RealtimeTotals,
    SeriesPoint,
    SessionRow,
)

__all__ = [
    "DateRange",
    "EventRow",
    "MetricRow",
    "Page",
    "PageviewsComparison",
    "PageviewsSeries",
    "Realtime",
    "RealtimeEvent",
    "RealtimeSeries",
    "RealtimeTotals",
    "SeriesPoint",
    "SessionRow",
]
