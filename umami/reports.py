"""The models of the reports (defined in ``umami_core.report_models``): funnel, goal, journey,
retention, UTM, revenue, attribution, breakdown."""

from umami_core.report_models import (
    Attribution,
    AttributionTotals,
    BreakdownRow,
    FunnelStep,
    Goal,
    JourneyPath,
    NameValue,
    RetentionRow,
    RevenuePoint,
    RevenueReport,
    RevenueTotals,
    UtmReport,
    UtmRow,
)

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
