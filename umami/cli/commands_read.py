"""The reading commands: websites, stats, chart, top, realtime."""

from __future__ import annotations

import datetime
import sys
import time
from collections.abc import Callable
from typing import Any, cast, get_args

import click
from rich.console import Group
from rich.live import Live
from rich.text import Text

from umami._filters import MetricType, TimeUnit
from umami.cli import charts, views
from umami.cli.connect import reader, require_website
from umami.cli.failures import CliError
from umami.cli.options import State, check_choice, filter_options, json_option, range_options, website_option
from umami.cli.output import emit_json, is_terminal, out_console, width
from umami.cli.periods import Range, bucket_key, buckets, zone

__all__ = ["COMMANDS"]

METRIC_TYPES: tuple[str, ...] = get_args(MetricType)
#: Friendlier spellings of the metric types.
METRIC_ALIASES = {
    "page": "path",
    "pages": "path",
    "url": "path",
    "referrers": "referrer",
    "countries": "country",
    "browsers": "browser",
    "events": "event",
    "utm_source": "utmSource",
    "utm_medium": "utmMedium",
    "utm_campaign": "utmCampaign",
    "utm_content": "utmContent",
    "utm_term": "utmTerm",
}
CHART_UNITS = ("hour", "day", "month")
assert set(CHART_UNITS) <= set(get_args(TimeUnit))
#: The filters website_stats() takes, by the --filter name (path and hostname have other names there).
STATS_FILTERS = {
    "path": "url",
    "url": "url",
    "referrer": "referrer",
    "title": "title",
    "query": "query",
    "event": "event",
    "hostname": "host",
    "host": "host",
    "os": "os",
    "browser": "browser",
    "device": "device",
    "country": "country",
    "region": "region",
    "city": "city",
}


def _print(lines: list[Text]) -> None:
    console = out_console()
    for line in lines:
        console.print(line)


@click.command(epilog="\b\nExamples:\n  umami websites\n  umami websites --json | jq -r '.[].id'")
@json_option
@click.pass_obj
def websites(state: State, as_json: bool) -> None:
    """List the websites you can read: id, name, domain."""
    found = reader(state.settings(), state.timeout).websites()
    if as_json:
        emit_json([site.model_dump(mode="json") for site in found])
        return
    if not found:
        click.echo("No websites.")
        return
    _print(views.websites_table(found))


@click.command(
    epilog="""\b
Examples:
  umami stats                              # the last 7 days against the 7 before
  umami stats --since 30d --compare yoy    # against the same 30 days a year ago
  umami stats --from 2026-11-01 --to 2026-11-30 --filter country=FR"""
)
@website_option
@range_options
@click.option(
    "--compare",
    type=click.Choice(["prev", "yoy", "none"]),
    default="prev",
    show_default=True,
    help="Compare with the previous period of the same length, the same period a year before, or nothing.",
)
@filter_options
@json_option
@click.pass_obj
def stats(state: State, website: str | None, period: Range, compare: str, filters: dict[str, str], as_json: bool) -> None:
    """Page views, visitors, visits, bounce rate and visit time over a range, with the change."""
    settings = state.settings(website)
    website_id = require_website(settings)
    unknown = sorted(set(filters) - set(STATS_FILTERS))
    if unknown:
        raise CliError(f"stats cannot filter by {', '.join(unknown)}; it takes {', '.join(sorted(set(STATS_FILTERS)))}")
    named = {STATS_FILTERS[name]: value for name, value in filters.items()}
    client = reader(settings, state.timeout)
    current = client.website_stats(period.start, period.end, website_id=website_id, **named)
    previous: dict[str, int] | None = None
    if compare == "prev" and current.comparison is not None:
        previous = current.comparison.model_dump()
    elif compare == "yoy":
        start, end = views.year_before(period.start), views.year_before(period.end)
        previous = client.website_stats(start, end, website_id=website_id, **named).model_dump(exclude={"comparison"})
    now = current.model_dump(exclude={"comparison"})
    if as_json:
        emit_json(
            {
                "website_id": website_id,
                **period.as_json(),
                "compare": compare,
                "stats": now,
                "previous": previous,
                "change": views.changes(now, previous) if previous else None,
            }
        )
        return
    label = {"prev": "previous period", "yoy": "a year before"}.get(compare, "")
    _print([Text(f"Website {website_id} · {period.describe()}", style="bold"), *views.stats_table(now, previous, label)])


@click.command(
    epilog="""\b
Examples:
  umami chart                        # the last 7 days, a column per day
  umami chart --since 48h --unit hour
  umami chart --since 1y --unit month --json"""
)
@website_option
@range_options
@click.option("--unit", type=click.Choice(CHART_UNITS), default="day", show_default=True, help="One bucket per hour, day or month.")
@click.option("--height", type=click.IntRange(3, 40), default=8, show_default=True, help="Rows of the chart.")
@filter_options
@json_option
@click.pass_obj
def chart(state: State, website: str | None, period: Range, unit: str, height: int, filters: dict[str, str], as_json: bool) -> None:
    """Page views and visitors over time, as a chart in the terminal (a column per bucket)."""
    settings = state.settings(website)
    website_id = require_website(settings)
    starts = buckets(period, unit)
    client = reader(settings, state.timeout)
    series = client.pageview_series(period.start, period.end, unit=unit, timezone=period.timezone, website_id=website_id, **filters)  # type: ignore[arg-type]
    views_by = {bucket_key(point.x, period.timezone): point.y for point in series.pageviews}
    visitors_by = {bucket_key(point.x, period.timezone): point.y for point in series.sessions}
    keys = [f"{start:%Y-%m-%d %H:%M:%S}" for start in starts]
    if as_json:
        emit_json(
            {
                "website_id": website_id,
                **period.as_json(),
                "unit": unit,
                "buckets": [{"start": key, "pageviews": views_by.get(key, 0), "visitors": visitors_by.get(key, 0)} for key in keys],
            }
        )
        return
    data = [
        charts.Bucket(views.bucket_label(start, unit), views_by.get(key, 0), visitors_by.get(key, 0))
        for start, key in zip(starts, keys, strict=True)
    ]
    total_views, total_visitors = sum(item.views for item in data), sum(item.visitors for item in data)
    title = Text(f"Page views {charts.VIEWS_ONLY} and visitors {charts.BOTH} per {unit} · {period.describe()}", style="bold")
    # A visitor of several buckets counts in each: say so, as `umami stats` gives the range's unique visitors.
    summary = Text(f"{len(data)} {unit}s · {total_views:,} page views · {total_visitors:,} visitors counted per {unit}")
    _print([title, *charts.series_chart(data, rows=height, width=width()), summary])


def _metric(value: str) -> str:
    return check_choice(METRIC_ALIASES.get(value, value), METRIC_TYPES, "metric type")


@click.command(
    epilog="""\b
Examples:
  umami top path                    # the 10 most viewed pages of the last 7 days
  umami top referrer -n 5 --since 30d
  umami top country --filter path=/pricing --json"""
)
@click.argument("metric", metavar="TYPE", callback=lambda _ctx, _param, value: _metric(value))
@website_option
@range_options
@click.option("-n", "--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many rows.")
@filter_options
@json_option
@click.pass_obj
def top(state: State, metric: str, website: str | None, period: Range, limit: int, filters: dict[str, str], as_json: bool) -> None:
    """The top values of a metric, with bars. TYPE: path, entry, exit, referrer, domain, title,
    query, event, tag, hostname, browser, os, device, screen, language, country, region, city,
    channel, utmSource, utmMedium, utmCampaign, utmContent, utmTerm."""
    settings = state.settings(website)
    website_id = require_website(settings)
    rows = reader(settings, state.timeout).metrics(
        cast(MetricType, metric),
        period.start,
        period.end,
        limit=limit,
        timezone=period.timezone,
        website_id=website_id,
        **filters,  # type: ignore[arg-type]
    )
    if as_json:
        emit_json(
            {"website_id": website_id, **period.as_json(), "type": metric, "rows": [{"value": row.x, "count": row.y} for row in rows]}
        )
        return
    _print([Text(f"Top {metric} · {period.describe()}", style="bold"), *views.top_table(metric, rows, width())])


@click.command(
    epilog="""\b
Examples:
  umami realtime
  umami realtime --watch --interval 10      # refresh until Ctrl-C
  umami realtime --json"""
)
@website_option
@click.option("--watch", is_flag=True, help="Refresh until Ctrl-C.")
@click.option("--interval", type=click.FloatRange(min=0.1), default=5.0, show_default=True, help="Seconds between refreshes with --watch.")
@click.option("-n", "--limit", type=click.IntRange(1, 100), default=10, show_default=True, help="How many latest events.")
@click.option("--timezone", "--tz", "timezone", metavar="ZONE", default="UTC", show_default=True, help="IANA zone of the times shown.")
@json_option
@click.pass_obj
def realtime(state: State, website: str | None, watch: bool, interval: float, limit: int, timezone: str, as_json: bool) -> None:
    """Active visitors now and the latest page views and events."""
    settings = state.settings(website)
    website_id = require_website(settings)
    zone(timezone)
    client = reader(settings, state.timeout)

    def snapshot() -> dict[str, Any]:
        return views.realtime_snapshot(client, website_id, limit)

    def render(data: dict[str, Any]) -> list[Text]:
        return views.realtime_lines(data, timezone)

    if not watch:
        data = snapshot()
        if as_json:
            emit_json(data)
        else:
            _print(render(data))
        return
    try:
        _watch(snapshot, render, interval, as_json)
    except KeyboardInterrupt:
        pass  # Ctrl-C is how --watch ends


def _watch(snapshot: Callable[[], dict[str, Any]], render: Callable[[dict[str, Any]], list[Text]], interval: float, as_json: bool) -> None:
    """Refresh in place on a terminal; elsewhere print one block (or one JSON line) per refresh."""
    if as_json or not is_terminal(sys.stdout):
        while True:
            data = snapshot()
            if as_json:
                click.echo(views.json_line(data))
            else:
                _print([*render(data), Text("")])
            time.sleep(interval)
    with Live(Group(*render(snapshot())), console=out_console(), auto_refresh=False) as live:
        while True:
            time.sleep(interval)
            live.update(
                Group(*render(snapshot()), Text(f"refreshed {datetime.datetime.now():%H:%M:%S} · Ctrl-C to stop", style="dim")),
                refresh=True,
            )


COMMANDS = [websites, stats, chart, top, realtime]
