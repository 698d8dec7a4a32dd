"""Write umami/_analytics.py: the typed, friendly methods over the contract's operations, each with
its async twin, from the table below (so no twin is written by hand).

    python scripts/generate_friendly.py            # rewrite the module
    python scripts/generate_friendly.py --check    # exit 1 if the module is not what this table gives

Each entry names a method, the operation it runs, its own arguments (Python name, type, default,
contract name), whether it takes the date range and the filters, and what it returns: a model
(parsed with pydantic), or every item of a paged list (an iterator).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULE = ROOT / "umami" / "_analytics.py"


@dataclass(frozen=True)
class Arg:
    name: str  # the Python argument
    type: str
    default: str | None  # None: required
    wire: str  # the contract's parameter


@dataclass(frozen=True)
class Method:
    name: str
    operation: str
    summary: str
    returns: str  # the model type (for paged: the item type)
    args: tuple[Arg, ...] = ()
    date_range: bool = True
    filters: bool = True
    paged: bool = False
    first: bool = False  # the server answers a one-row list: return the row (or the model's defaults)
    details: str = ""
    example: str = ""
    arg_docs: dict[str, str] = field(default_factory=dict)


TIMEZONE = Arg("timezone", "str | None", "None", "timezone")
METHODS = (
    Method(
        "metrics", "getWebsiteMetrics", "The top values of a metric over a date range: pages, referrers, countries, browsers...",
        "list[MetricRow]",
        (Arg("type", "MetricType", None, "type"), Arg("limit", "int | None", "None", "limit"),
         Arg("offset", "int | None", "None", "offset"), Arg("search", "str | None", "None", "search"), TIMEZONE),
        details="Each row is a value (``x``: a path, a referrer domain, a country code...) and its count (``y``), largest first.",
        example="for row in umami.metrics('path', start, end, limit=10):\n    print(row.x, row.y)",
        arg_docs={"type": "What to count: 'path', 'entry', 'exit', 'referrer', 'domain', 'title', 'query', 'event', 'tag', 'hostname', "
                          "'browser', 'os', 'device', 'screen', 'language', 'country', 'region', 'city', 'channel' or a utm field.",
                  "limit": "At most this many rows.", "offset": "Skip this many rows first.",
                  "search": "Only values containing this text."},
    ),
    Method(
        "pageview_series", "getWebsitePageviews", "Page views and sessions per time bucket over a date range, for a chart.",
        "PageviewsSeries",
        (Arg("unit", "TimeUnit", "'day'", "unit"), TIMEZONE, Arg("compare", "Comparison | None", "None", "compare")),
        details="The server may widen ``unit`` when the range is too long for it (hourly buckets over a year come as months).",
        example="series = umami.pageview_series(start, end, unit='day', timezone='Europe/Paris')\n"
                "for point in series.pageviews:\n    print(point.x, point.y)",
        arg_docs={"unit": "The bucket: 'minute', 'hour', 'day', 'month' or 'year'.",
                  "timezone": "The IANA time zone buckets are cut in (e.g. 'Europe/Paris'); UTC by default.",
                  "compare": "'prev' (the period before) or 'yoy' (a year before) to get it in ``compare``."},
    ),
    Method(
        "events", "getWebsiteEvents", "Every event (page views and custom events) over a date range, fetching pages as you go.",
        "EventRow", (Arg("search", "str | None", "None", "search"),), paged=True,
        details="An export of a year is a ``for`` loop that never holds it all in memory.",
        example="for event in umami.events(start, end):\n    print(event.createdAt, event.urlPath, event.eventName)",
        arg_docs={"search": "Only events whose URL, title or name contains this text."},
    ),
    Method(
        "sessions", "getWebsiteSessions", "Every session over a date range, fetching pages as you go.",
        "SessionRow", (Arg("search", "str | None", "None", "search"),), paged=True,
        example="for session in umami.sessions(start, end):\n    print(session.id, session.country, session.views)",
        arg_docs={"search": "Only sessions matching this text."},
    ),
    Method(
        "realtime", "getRealtime", "What happens on the website now: the last 30 minutes by URL, referrer and country, the latest events.",
        "Realtime", (TIMEZONE,), date_range=False, filters=False,
        example="now = umami.realtime()\nprint(now.totals.visitors, now.urls)",
        arg_docs={"timezone": "The IANA time zone of the series' buckets."},
    ),
    Method(
        "date_range", "getWebsiteDateRange", "When the website's data starts and ends.", "DateRange", date_range=False, filters=False,
        example="print(umami.date_range().startDate)",
    ),
    Method(
        "expanded_metrics", "getWebsiteExpandedMetrics",
        "The top values of a metric with their page views, visitors, visits, bounces and time spent.", "list[ExpandedMetricRow]",
        (Arg("type", "MetricType", None, "type"), Arg("limit", "int | None", "None", "limit"),
         Arg("offset", "int | None", "None", "offset"), TIMEZONE),
        example="for row in umami.expanded_metrics('path', start, end, limit=10):\n    print(row.name, row.visitors, row.bounces)",
        arg_docs={"type": "What to count, as for metrics().", "limit": "At most this many rows.", "offset": "Skip this many rows first."},
    ),
    Method(
        "event_series", "getWebsiteEventSeries", "Custom events per name and time bucket over a date range.", "list[EventSeriesPoint]",
        (Arg("unit", "TimeUnit", "'day'", "unit"), Arg("timezone", "str", "'UTC'", "timezone"),
         Arg("limit", "int | None", "None", "limit")),
        example="for point in umami.event_series(start, end, unit='day'):\n    print(point.x, point.t, point.y)",
        arg_docs={"unit": "The bucket: 'minute', 'hour', 'day', 'month' or 'year'.", "limit": "At most this many event names."},
    ),
    Method(
        "session_stats", "getWebsiteSessionStats", "Totals of the sessions over a date range: views, visitors, visits, countries, events.",
        "SessionStats", example="print(umami.session_stats(start, end).visitors.value)",
    ),
    Method(
        "weekly_sessions", "getWebsiteSessionsWeekly", "Sessions per weekday and hour (7 rows of 24), for a heatmap.",
        "list[list[int]]", (Arg("timezone", "str", "'UTC'", "timezone"),),
        example="heatmap = umami.weekly_sessions(start, end, timezone='Europe/Paris')",
    ),
    Method(
        "session", "getWebsiteSession", "One session with its totals over all its visits.", "SessionDetail",
        (Arg("session_id", "str", None, "sessionId"),), date_range=False, filters=False,
        example="print(umami.session(session_id).views)", arg_docs={"session_id": "The session's id (from sessions() or a send's answer)."},
    ),
    Method(
        "session_activity", "getWebsiteSessionActivity", "What one session did over a date range, newest first.",
        "list[SessionActivity]", (Arg("session_id", "str", None, "sessionId"),), filters=False,
        example="for row in umami.session_activity(session_id, start, end):\n    print(row.createdAt, row.urlPath, row.eventName)",
        arg_docs={"session_id": "The session's id."},
    ),
    Method(
        "session_properties", "getWebsiteSessionProperties", "The properties identify() stored on one session.",
        "list[SessionProperty]", (Arg("session_id", "str", None, "sessionId"),), date_range=False, filters=False,
        example="for prop in umami.session_properties(session_id):\n    print(prop.dataKey, prop.stringValue)",
        arg_docs={"session_id": "The session's id."},
    ),
    Method(
        "session_data_properties", "getSessionDataProperties", "The names of the session properties over a date range, with counts.",
        "list[PropertyCount]", example="print([row.propertyName for row in umami.session_data_properties(start, end)])",
    ),
    Method(
        "session_data_values", "getSessionDataValues", "The values of one session property over a date range, with counts.",
        "list[ValueCount]", (Arg("property_name", "str", None, "propertyName"),),
        example="for row in umami.session_data_values('plan', start, end):\n    print(row.value, row.total)",
        arg_docs={"property_name": "The property (a key of identify()'s data)."},
    ),
    Method(
        "event_data_properties", "getEventDataProperties", "The names of the custom events' properties over a date range, with counts.",
        "list[EventPropertyCount]", example="print([(row.eventName, row.propertyName) for row in umami.event_data_properties(start, end)])",
    ),
    Method(
        "event_data_values", "getEventDataValues", "The values of one property of one custom event over a date range, with counts.",
        "list[ValueCount]", (Arg("event", "str", None, "event"), Arg("property_name", "str", None, "propertyName")), filters=False,
        example="for row in umami.event_data_values('signup', 'plan', start, end):\n    print(row.value, row.total)",
        arg_docs={"event": "The custom event's name.", "property_name": "The property (a key of its custom_data)."},
    ),
    Method(
        "event_data_stats", "getEventDataStats", "How much custom data a date range holds: events with data, property names, rows.",
        "EventDataStats", first=True, example="print(umami.event_data_stats(start, end).records)",
    ),
)

FILTER_DOC = (
    "**filters: Only what matches (v3 names; several values in a list or a comma-separated string match any): "
    "path, referrer, title, query, event, hostname, os, browser, device, country, region, city, language, tag, "
    "distinct_id, utm_source, utm_medium, utm_campaign, utm_content, utm_term, segment, cohort; url and host "
    "as the spec's names for path and hostname."
)


def signature(method: Method, *, flavour: str) -> str:
    parts = ["self"]
    leading = [arg for arg in method.args if arg.default is None]
    parts += [f"{arg.name}: {arg.type}" for arg in leading]
    if method.date_range:
        parts += ["start_at: datetime.datetime", "end_at: datetime.datetime"]
    parts.append("*")
    parts += [f"{arg.name}: {arg.type} = {arg.default}" for arg in method.args if arg.default is not None]
    parts.append("website_id: str | None = None")
    if method.paged:
        parts.append("page_size: int = 100")
    if method.filters:
        parts.append("**filters: Unpack[Filters]")
    if method.paged:
        returns = f"AsyncIterator[{method.returns}]" if flavour == "async" else f"Iterator[{method.returns}]"
    else:
        returns = method.returns
    prefix = "async def" if flavour == "async" else "def"
    name = method.name + ("_async" if flavour == "async" else "")
    return f"    {prefix} {name}({', '.join(parts)}) -> {returns}:"


def params(method: Method) -> str:
    items = [f"{arg.wire!r}: {arg.name}" for arg in method.args]
    if method.date_range:
        items += ["'startAt': start_at", "'endAt': end_at"]
    items.append("'websiteId': website_id")
    body = "{" + ", ".join(items) + "}"
    return f"{{**{body}, **wire_filters(filters)}}" if method.filters else body


def docstring(method: Method) -> str:
    lines = [method.summary, ""]
    if method.details:
        lines += [method.details, ""]
    lines += ["Args:"]
    docs = {"timezone": "The IANA time zone for the buckets and dates (e.g. 'Europe/Paris'); UTC by default.", **method.arg_docs}
    for arg in method.args:
        if arg.default is None:
            lines.append(f"    {arg.name}: {docs.get(arg.name, '')}")
    if method.date_range:
        lines += ["    start_at: Start of the range (naive datetimes are local time).", "    end_at: End of the range."]
    for arg in method.args:
        if arg.default is not None:
            lines.append(f"    {arg.name}: {docs.get(arg.name, '')}")
    lines.append("    website_id: The website's UUID (overrides set_website_id()).")
    if method.paged:
        lines.append("    page_size: Items fetched per request.")
    if method.filters:
        lines.append("    " + FILTER_DOC)
    model = f"``umami.analytics.{method.returns.removeprefix('list[').rstrip(']')}``"
    returned = f"Every {model}, fetched page by page." if method.paged else \
        f"A list of {model}." if method.returns.startswith("list[") else f"A {model}."  # fmt: skip
    lines += ["", "Returns:", f"    {returned}", "",
              "Raises:", "    ValidationError: For an argument Umami would refuse, before any request.",
              "    OperationNotAllowedError: Without login() or an API key.",
              "    httpx.HTTPStatusError: If Umami answers non-2xx (also an ``umami.errors.APIError``)."]  # fmt: skip
    if method.example:
        lines += ["", "Example:", "    ```python", *("    " + line for line in method.example.splitlines()), "    ```"]
    text = "\n".join(("        " + line).rstrip() for line in lines)
    return f'        """{text.strip()}\n        """'


def render_method(method: Method) -> list[str]:
    out = [signature(method, flavour="sync"), docstring(method)]
    operation, returns = repr(method.operation), method.returns
    twin = f'        """Async twin of {method.name}(): ' + ("``async for`` over the same items." if method.paged else
                                                       'the same arguments, result and exceptions; await it."""')  # fmt: skip
    if method.paged:
        twin = twin + '"""'
        out += [f"        for item in self.iterate({operation}, page_size=page_size, **{params(method)}):",
                f"            yield cast({returns!r}, parse_item({returns!r}, item))", ""]  # fmt: skip
        out += [signature(method, flavour="async"), twin,
                f"        async for item in self.iterate_async({operation}, page_size=page_size, **{params(method)}):",
                f"            yield cast({returns!r}, parse_item({returns!r}, item))", ""]  # fmt: skip
    else:
        answer = f"self.call({operation}, **{params(method)})"
        parse = "parse_first" if method.first else "parse_answer"
        out += [f"        return cast({returns!r}, {parse}({returns!r}, {answer}, {operation}))", ""]
        awaited = "await " + answer.replace("self.call(", "self.call_async(")
        parsed = f"{parse}({returns!r}, {awaited}, {operation})"
        out += [signature(method, flavour="async"), twin, f"        return cast({returns!r}, {parsed})", ""]
    return out


def render() -> str:
    models = sorted({method.returns.removeprefix("list[").rstrip("]") for method in METHODS} - {"list[int"})
    lines = [
        '"""Typed, friendly methods over the operations of Umami\'s API: analytics reads as models.',
        "",
        "Generated by scripts/generate_friendly.py from its table; do not edit by hand.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "import datetime",
        "from collections.abc import AsyncIterator, Iterator",
        "from typing import TYPE_CHECKING, cast",
        "",
        "from umami._filters import Comparison, Filters, MetricType, TimeUnit, parse_answer, parse_first, parse_item, wire_filters",
        "from umami._operations import Operations",
        "",
        "if TYPE_CHECKING:  # the models (pydantic) load on the first answer, not at import",
        "    from typing_extensions import Unpack",
        "",
        "    from umami_core.analytics import (",
        *(f"        {model}," for model in models),
        "    )",
        "",
        "",
        "class Analytics(Operations):",
    ]
    for method in METHODS:
        lines += render_method(method)
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    rendered = render()
    if "--check" in sys.argv:
        if MODULE.read_text() != rendered:
            print(f"{MODULE} is not what scripts/generate_friendly.py writes: run it", file=sys.stderr)
            return 1
        return 0
    MODULE.write_text(rendered)
    return 0


if __name__ == "__main__":
    sys.exit(main())
