"""The report runs: ``POST /api/reports/{funnel,goal,journey,retention,utm,revenue,attribution,breakdown}``.

Shapes and rules from Umami v3.1.0's source, not from recordings: the route files
``src/app/api/reports/<type>/route.ts``, the body schema ``reportResultSchema`` (``src/lib/schema.ts``,
see :mod:`~umami_transports.fake.report_schema`), ``parseRequest``, ``getQueryFilters`` and
``setWebsiteDate`` (``src/lib/request.ts``), and the PostgreSQL queries of ``src/queries/sql/reports``
(see :mod:`~umami_transports.fake.reports`). ``performance`` is not served (the fake keeps no web vitals).

Every route: the body ``{websiteId, type, filters: {...filterParams}, parameters: {startDate, endDate,
...}}``, validated first (400 with zod's tree), then the caller (401), then ``canViewWebsite`` (401:
an admin may view any id, even an unknown one, and gets empty numbers). ``startDate`` is raised to
the website's reset date (``setWebsiteDate``) except for the journey. The body's ``filters`` act as on
the data routes (``excludeBounce`` does nothing here); a ``segment`` or ``cohort`` is an unhandled
500, since no segment is ever stored (the server reads ``parameters`` of the missing row). Any report
type's body passes any route's schema: a route then runs its own query, and a parameter that query
needs but the body's type lacks is an unhandled 500 (the fake's approximation of the SQL failing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timezone
from typing import Any

from umami_transports.fake.app import UNAUTHORIZED, Abort, Call, Reply, authenticate, bare, json_reply, parse_json, route
from umami_transports.fake.context import Context
from umami_transports.fake.query import DataQuery, compare_window, filter_list, zone
from umami_transports.fake.report_schema import FILTER_STRINGS, ReportBody, parse_body
from umami_transports.fake.reports import Run, breakdown, funnel, goal, journey, retention, utm
from umami_transports.fake.reports_revenue import attribution, revenue_chart, revenue_metrics, revenue_stats
from umami_transports.fake.routes_admin import can_view, check_website_id
from umami_transports.fake.stats import is_utc_format

__all__: list[str] = []


@dataclass
class _Request:
    body: ReportBody
    run: Run

    def need(self, name: str) -> Any:
        """A parameter the query cannot run without (absent when the body is another report type)."""
        if name not in self.body.params:
            raise Abort(bare(500))
        return self.body.params[name]


def _request(ctx: Context, call: Call, *, reset: bool = True) -> _Request:
    """Validate, authenticate, check the website, then build the run (``reset``: ``setWebsiteDate``)."""
    body = parse_body(parse_json(call.body))
    user = authenticate(ctx, call)
    website_id = check_website_id(body.website_id)
    website = ctx.store.live_website(website_id)
    if not can_view(ctx, user, website):
        raise Abort(UNAUTHORIZED)
    filters = body.filters
    if "segment" in filters or "cohort" in filters:
        raise Abort(bare(500))
    start, end = body.params["startDate"], body.params["endDate"]
    if reset and website is not None and website.reset_at is not None:
        start = max(start, website.reset_at)
    query = DataQuery(start, end, None, timezone.utc, None, filter_list({key: filters[key] for key in FILTER_STRINGS if key in filters}),
                      filters.get("match") == "any", filters.get("eventType"))  # fmt: skip
    store = ctx.store
    run = Run(store.website_events(website_id), store.sessions, [row for row in store.revenue if row.website_id == website_id],
              query, start, end)  # fmt: skip
    return _Request(body, run)


def _zone(name: str | None) -> tuple[Any, bool]:
    """The parameter's timezone and whether labels are UTC ones (no timezone, or exactly 'utc')."""
    return (zone(name) if name else None) or timezone.utc, is_utc_format(name)


@route("/api/reports/funnel", "POST")
def funnel_report(ctx: Context, call: Call) -> Reply:
    """``getFunnel``. Parameters: ``window`` (minutes, > 0), ``steps`` (2 to 8 of ``{type: "path" |
    "event", value, filters?: [{property, operator: eq|neq|c|dnc, value}]}``; a value starting or ending
    with ``*`` is a ``like`` pattern; filters test the event's data, for event steps only).

    Answer: one object per step, ``[{type: str, value: str, filters?: [...] (as sent), visitors: int,
    previous: int, dropped: int, dropoff: float | null, remaining: float | null}]``: ``visitors``
    distinct sessions reaching the step, ``previous`` the step before's (0 for the first),
    ``dropped`` = previous - visitors (0 when previous is 0), ``dropoff`` = 1 - visitors/previous
    (null for the first step: JavaScript's -Infinity or NaN), ``remaining`` = visitors/first step's
    visitors (null when the first step has none).
    """
    request = _request(ctx, call)
    return json_reply(funnel(request.run, request.need("window"), request.need("steps")))


@route("/api/reports/goal", "POST")
def goal_report(ctx: Context, call: Call) -> Reply:
    """``getGoal``. Parameters: ``type`` ("path" counts page views by path; anything else custom
    events by name) and ``value`` (``*`` at either end: a ``like`` pattern).

    Answer: ``{num: int, total: int}``: distinct sessions that reached the goal, and distinct
    sessions with any row in range passing the filters.
    """
    request = _request(ctx, call)
    return json_reply(goal(request.run, request.need("type"), request.need("value")))


@route("/api/reports/journey", "POST")
def journey_report(ctx: Context, call: Call) -> Reply:
    """``getJourney``. Parameters: ``steps`` (2 to 7), ``startStep``, ``endStep`` (optional names),
    ``eventType`` (optional: replaces the filters' one). No reset date (the route skips ``setWebsiteDate``).

    Answer: at most 100 ``[{items: [str | null, ...], count: int}]``, most visits first: each visit's
    first ``steps`` rows named by event name, else path, with consecutive repeats merged. ``items``
    keeps one ``null`` where the visit had fewer rows than ``steps`` and one more ``null`` when
    ``steps`` < 7 (the columns the query did not select), e.g. steps 3: ``["/", "/a", null, null]``
    for a two-row visit, ``["/", "/a", "/b", null]`` for a longer one; steps 7: ``["/", "/a", null]``.
    """
    request = _request(ctx, call, reset=False)
    params, run = request.body.params, request.run
    steps = request.need("steps")
    if params.get("endStep") and steps != int(steps):
        raise Abort(bare(500))  # the query names a column e2.5
    if params.get("eventType"):
        run.query.event_type = params["eventType"]
    return json_reply(journey(run, steps, params.get("startStep"), params.get("endStep")))


@route("/api/reports/retention", "POST")
def retention_report(ctx: Context, call: Call) -> Reply:
    """``getRetention``. Parameters: ``timezone`` (optional; the days are counted in it).

    Answer: ``[{date: str, day: int, visitors: int, returnVisitors: int, percentage: float}]`` ordered
    by date then day: ``date`` the cohort's day (``"2026-03-10T00:00:00Z"`` without a timezone or with
    ``"utc"``, else ``"2026-03-10 00:00:00"``), ``day`` days since (0 to 31), ``visitors`` the
    cohort's size, ``returnVisitors`` how many of it had a row that day, ``percentage`` their share x 100.
    Only (date, day) pairs with returning visitors appear.
    """
    request = _request(ctx, call)
    zone_, utc = _zone(request.body.params.get("timezone"))
    return json_reply(retention(request.run, zone_, utc))


@route("/api/reports/utm", "POST")
def utm_report(ctx: Context, call: Call) -> Reply:
    """``getUTM`` once per UTM parameter. Parameters: only the dates.

    Answer: ``{utm_source: [...], utm_medium: [...], utm_campaign: [...], utm_term: [...],
    utm_content: [...]}``, each at most 50 ``{utm: str, views: int}``: page views by non-empty value, most first.
    """
    return json_reply(utm(_request(ctx, call).run))


@route("/api/reports/revenue", "POST")
def revenue_report(ctx: Context, call: Call) -> Reply:
    """``getRevenue``, ``getRevenueStats`` (twice: the range and its comparison) and ``getRevenueMetrics``.
    Parameters: ``currency`` (compared with the upper-cased stored currency: send it upper-case),
    ``unit`` (default day), ``timezone`` (default utc), ``compare`` (prev, the default, or yoy).

    Answer: ``{chart: [{x: str | null (event name), t: str (unit label, as retention's date), y: str
    (sum), count: int}], total: {sum: str | null, count: int (distinct events), unique_count: int
    (distinct sessions), total_sessions: int (every session with a row in range), average: float,
    arpu: float, comparison: {the same six fields, over the compared range}}, country: [{name: str |
    null, value: str}], region: [{country: str | null, name: str | null, value: str}], referrer:
    [{name: str | null, value: str}], channel: [{name: str, value: str}]}``. Sums are decimal strings
    (``"15"``, ``"29.98"``). Referrer and channel are those of each paying session's first row in
    range; a session without a referrer is channel ``"Unknown"`` (its null referrer is not ``''``).
    """
    request = _request(ctx, call)
    params, run = request.body.params, request.run
    currency = request.need("currency")
    zone_, utc = _zone(params.get("timezone", "utc"))
    total = revenue_stats(run, currency)
    before = compare_window(params.get("compare", "prev"), run.start, run.end)
    body: dict[str, Any] = {"chart": revenue_chart(run, currency, params.get("unit", "day"), zone_, utc),
                            "total": {**total, "comparison": revenue_stats(run, currency, *before)}}  # fmt: skip
    body.update(revenue_metrics(run, currency))
    return json_reply(body)


@route("/api/reports/attribution", "POST")
def attribution_report(ctx: Context, call: Call) -> Reply:
    """``getAttribution``. Parameters: ``model`` (first-click | last-click), ``type`` (path | event),
    ``step`` (the path or event name, exact), ``currency`` (unused by the PostgreSQL query).

    Answer: ``{referrer: [...], paidAds: [...], utm_source: [...], utm_medium: [...], utm_campaign:
    [...], utm_content: [...], utm_term: [...], total: {pageviews: int, visitors: int, visits: int}}``,
    each list at most 20 ``{name: str, value: int}`` (distinct sessions), most first. ``paidAds`` names
    the click id of the credited row: "Google Ads" (gclid), "Facebook / Meta", "Microsoft Ads",
    "TikTok Ads", "LinkedIn Ads", "Twitter Ads (X)". ``total`` counts the rows that reached the step.
    """
    request = _request(ctx, call)
    return json_reply(attribution(request.run, request.need("model"), request.need("type"), request.need("step")))


@route("/api/reports/breakdown", "POST")
def breakdown_report(ctx: Context, call: Call) -> Reply:
    """``getBreakdown``. Parameters: ``fields``, names of ``fieldsParam`` (path, referrer, title,
    query, os, browser, device, country, region, city, tag, hostname, distinctId, language, event,
    utmSource...utmTerm); none is an unhandled 500 (the SQL breaks).

    Answer: at most 500 ``[{views: str, visitors: int, visits: int, bounces: int, totaltime: str,
    <field>: str | null, ...}]`` over page views, one per combination of the fields' values (null
    too), most visitors first, then most views. ``views`` and ``totaltime`` (seconds) are numerics:
    strings.
    """
    request = _request(ctx, call)
    fields = request.need("fields")
    if not fields:
        raise Abort(bare(500))
    return json_reply(breakdown(request.run, fields))
