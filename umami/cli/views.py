"""The text of each reading command's result: tables, changes, labels. Pure functions of the data."""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text

from umami.cli.charts import bar
from umami.cli.output import Column, table
from umami.cli.periods import zone

if TYPE_CHECKING:
    import umami
    from umami.analytics import MetricRow
    from umami.models import Website

__all__ = [
    "bucket_label",
    "changes",
    "json_line",
    "realtime_lines",
    "realtime_snapshot",
    "stats_table",
    "top_table",
    "websites_table",
    "year_before",
]

_COUNTS = (("pageviews", "page views"), ("visitors", "visitors"), ("visits", "visits"))


def websites_table(found: Sequence[Website]) -> list[Text]:
    rows = [[site.id, site.name or "", site.domain or "", (site.createdAt or "")[:10]] for site in found]
    return table([Column("id", style="cyan"), Column("name", style="bold"), Column("domain"), Column("created")], rows)


def year_before(moment: datetime.datetime) -> datetime.datetime:
    """The same moment a year before (29 February becomes the 28th)."""
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:
        return moment.replace(year=moment.year - 1, day=28)


def _rates(stats: Mapping[str, int]) -> dict[str, float | None]:
    visits = stats.get("visits", 0)
    return {
        "bounce_rate": stats.get("bounces", 0) / visits * 100 if visits else None,
        "average_visit_seconds": stats.get("totaltime", 0) / visits if visits else None,
    }


def _percent(now: float, before: float) -> float | None:
    return None if before == 0 else round((now - before) / before * 100, 1)


def changes(now: Mapping[str, int], before: Mapping[str, int]) -> dict[str, float | None]:
    """The change of each number, in percent (None when it was 0 before); the bounce rate in points."""
    found: dict[str, float | None] = {
        key: _percent(now[key], before.get(key, 0)) for key in ("pageviews", "visitors", "visits", "totaltime")
    }
    rate_now, rate_before = _rates(now)["bounce_rate"], _rates(before)["bounce_rate"]
    found["bounce_rate_points"] = None if rate_now is None or rate_before is None else round(rate_now - rate_before, 1)
    return found


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m {rest:02d}s" if minutes else f"{rest}s"


def _change_text(change: float | None, points: bool = False) -> str:
    if change is None:
        return "-"
    return f"{change:+.1f} pt" if points else f"{change:+.1f}%"


def stats_table(now: Mapping[str, int], before: Mapping[str, int] | None, label: str) -> list[Text]:
    """One row per number; with ``before``, its value and the change."""
    rates_now = _rates(now)
    rows = [[name, f"{now[key]:,}"] for key, name in _COUNTS]
    rows.append(["bounce rate", "-" if rates_now["bounce_rate"] is None else f"{rates_now['bounce_rate']:.1f}%"])
    rows.append(["average visit", _duration(rates_now["average_visit_seconds"])])
    columns = [Column("metric"), Column("value", right=True, style="bold")]
    if before is not None:
        rates_before, change = _rates(before), changes(now, before)
        extra = [[f"{before.get(key, 0):,}", _change_text(change[key])] for key, _ in _COUNTS]
        bounce = rates_before["bounce_rate"]
        extra.append(["-" if bounce is None else f"{bounce:.1f}%", _change_text(change["bounce_rate_points"], points=True)])
        visit_before = rates_before["average_visit_seconds"]
        visit_now = rates_now["average_visit_seconds"]
        extra.append(
            [_duration(visit_before), _change_text(None if visit_now is None or not visit_before else _percent(visit_now, visit_before))]
        )
        rows = [row + more for row, more in zip(rows, extra, strict=True)]
        columns += [Column(label, right=True), Column("change", right=True, style="yellow")]
    return table(columns, rows)


def bucket_label(start: datetime.datetime, unit: str) -> str:
    """How a bucket is named on the x axis."""
    return {"hour": f"{start:%m-%d %H}h", "day": f"{start:%m-%d}", "month": f"{start:%Y-%m}"}.get(unit, f"{start:%Y-%m-%d %H:%M}")


def top_table(metric: str, rows: Sequence[MetricRow], width: int) -> list[Text]:
    """Rank, value, count, share of the rows shown, and a bar scaled to the first."""
    if not rows:
        return [Text("No data in this range.")]
    total = sum(row.y for row in rows) or 1
    largest = max(row.y for row in rows)
    values = [row.x if row.x is not None else "(unknown)" for row in rows]
    room = min(50, max(10, width - max(len(value) for value in values) - len(f"{largest:,}") - 20))
    cells = [
        [str(rank), value, f"{row.y:,}", f"{row.y / total * 100:.1f}%", bar(row.y, largest, room)]
        for rank, (value, row) in enumerate(zip(values, rows, strict=True), 1)
    ]
    columns = [
        Column("#", right=True),
        Column(metric),
        Column("count", right=True, style="bold"),
        Column("share", right=True),
        Column("", style="cyan"),
    ]
    return table(columns, cells)


def realtime_snapshot(client: umami.Client, website_id: str, limit: int) -> dict[str, Any]:
    """Active visitors (5 minutes), the last 30 minutes' totals and the latest page views and events."""
    data = client.realtime(website_id=website_id)
    latest = [event for event in data.events if event.type in ("pageview", "event")][:limit]
    return {
        "website_id": website_id,
        "active_visitors": client.active_users(website_id=website_id),
        "last_30_minutes": data.totals.model_dump(),
        "latest": [event.model_dump(mode="json", by_alias=False) for event in latest],
    }


def _time(created: str | None, timezone: str) -> str:
    if not created:
        return "-"
    try:
        moment = datetime.datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError:
        return created
    return f"{moment.astimezone(zone(timezone)):%H:%M:%S}" if moment.tzinfo else f"{moment:%H:%M:%S}"


def realtime_lines(data: Mapping[str, Any], timezone: str) -> list[Text]:
    """The realtime view: active visitors, the totals, a table of the latest events."""
    totals = data["last_30_minutes"]
    lines = [
        Text(f"Active visitors (last 5 minutes): {data['active_visitors']}", style="bold green"),
        Text(
            f"Last 30 minutes: {totals['views']:,} page views · {totals['visitors']:,} visitors · {totals['events']:,} events"
            f" · countries: {totals['countries']:,}"
        ),
    ]
    if not data["latest"]:
        return [*lines, Text("No page views or events in the last 30 minutes.")]
    rows = [
        [
            _time(event.get("createdAt"), timezone),
            "event" if event.get("type") == "event" else "view",
            event.get("eventName") or event.get("urlPath") or "",
            (event.get("urlPath") or "") if event.get("eventName") else "",
            event.get("country") or "-",
            event.get("browser") or "-",
        ]
        for event in data["latest"]
    ]
    columns = [
        Column(f"time ({timezone})"),
        Column("type", style="magenta"),
        Column("page or event", style="bold"),
        Column("on"),
        Column("country"),
        Column("browser"),
    ]
    return [*lines, Text(""), *table(columns, rows)]


def json_line(data: Any) -> str:
    """``data`` as one line of JSON (JSON lines, for --watch --json)."""
    return json.dumps(data, ensure_ascii=False, default=str)
