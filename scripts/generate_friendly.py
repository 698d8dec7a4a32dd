"""Write the typed, friendly methods over the contract's operations, each with its async twin, from
the tables below (so no twin is written by hand): umami/_analytics.py (the reads), umami/_management.py
(users, teams, websites, share links), and the block of module-level functions in umami/__init__.py.

    python scripts/generate_friendly.py            # rewrite the modules
    python scripts/generate_friendly.py --check    # exit 1 if a module is not what these tables give

Each entry names a method, the operation it runs, its own arguments (Python name, type, default,
contract name, whether it goes in the JSON body), whether it takes the website, the date range and the
filters, and what it returns: a model (parsed with pydantic), every item of a paged list (an
iterator), or nothing.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_INIT = ROOT / "umami" / "__init__.py"


@dataclass(frozen=True)
class Arg:
    name: str  # the Python argument
    type: str
    default: str | None  # None: required
    wire: str  # the contract's parameter (or the body's field)
    body: bool = False  # in the JSON body rather than the path or query


@dataclass(frozen=True)
class Method:
    name: str
    operation: str
    summary: str
    returns: str  # the model type (for paged: the item type); "None": nothing
    args: tuple[Arg, ...] = ()
    date_range: bool = True
    filters: bool = True
    website: bool = True  # takes website_id (the configured website by default)
    paged: bool = False
    first: bool = False  # the server answers a list: return its first row (or the model's defaults)
    details: str = ""
    example: str = ""
    arg_docs: dict[str, str] = field(default_factory=dict)


TIMEZONE = Arg("timezone", "str | None", "None", "timezone")
ANALYTICS = (
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


def path(name: str, wire: str, doc: str = "") -> Arg:
    """A required path parameter (an id)."""
    return Arg(name, "str", None, wire)


def body(name: str, type_: str, default: str | None, wire: str) -> Arg:
    """A field of the JSON body; None-valued optional ones are left out (an update changes only what is given)."""
    return Arg(name, type_, default, wire, body=True)


class Scope(TypedDict):
    """What a method takes besides its own arguments."""

    date_range: bool
    filters: bool
    website: bool


MANAGEMENT_ONLY: Scope = {"date_range": False, "filters": False, "website": False}
USER_ID, TEAM_ID = path("user_id", "userId"), path("team_id", "teamId")
ROLE_DOC = "'admin', 'user' or 'view-only'."
TEAM_ROLE_DOC = "'team-manager', 'team-member' or 'team-view-only'."
MANAGEMENT = (
    Method("me", "getMe", "Who the credentials belong to: the user, and how they are authenticated.", "Me",
           example="print(umami.me().user.username)", **MANAGEMENT_ONLY),
    Method("my_websites", "getMyWebsites", "Every website of the logged-in user, fetching pages as you go.", "Website",
           (Arg("include_teams", "bool", "False", "includeTeams"),), paged=True,
           arg_docs={"include_teams": "Also the websites of the teams you are in."},
           example="for website in umami.my_websites():\n    print(website.name, website.domain)", **MANAGEMENT_ONLY),
    Method("my_teams", "getMyTeams", "Every team the logged-in user is in, fetching pages as you go.", "Team", paged=True,
           example="print([team.name for team in umami.my_teams()])", **MANAGEMENT_ONLY),
    Method("change_password", "updateMyPassword", "Change the logged-in user's password.", "Account",
           (body("current_password", "str", None, "currentPassword"), body("new_password", "str", None, "newPassword")),
           details="The request is never re-sent to another host, and neither password appears in an error.",
           arg_docs={"current_password": "The password in use now.", "new_password": "The new one (8 characters or more)."},
           example="umami.change_password(old, new)", **MANAGEMENT_ONLY),
    Method("user", "getUser", "One user account (admins see anyone; a user sees themself).", "Account", (USER_ID,),
           arg_docs={"user_id": "The user's id."}, example="print(umami.user(user_id).role)", **MANAGEMENT_ONLY),
    Method("create_user", "createUser", "Make a user account (admins only).", "Account",
           (body("username", "str", None, "username"), body("password", "str", None, "password"),
            body("role", "str", "'user'", "role"), body("user_id", "str | None", "None", "id")),
           arg_docs={"username": "The login name (unique).", "password": "Their password (8 characters or more).",
                     "role": ROLE_DOC, "user_id": "The id to give the account (a UUID); a new one by default."},
           example="account = umami.create_user('ada', 'a-long-password', role='view-only')", **MANAGEMENT_ONLY),
    Method("update_user", "updateUser", "Change a user's password, or (admins) their name or role.", "Account",
           (USER_ID, body("username", "str | None", "None", "username"), body("password", "str | None", "None", "password"),
            body("role", "str | None", "None", "role")),
           arg_docs={"user_id": "The user's id.", "username": "A new login name (admins only).",
                     "password": "A new password (8 characters or more).", "role": ROLE_DOC + " Admins only."},
           example="umami.update_user(user_id, role='user')", **MANAGEMENT_ONLY),
    Method("delete_user", "deleteUser", "Delete a user account (admins only; not your own).", "None", (USER_ID,),
           arg_docs={"user_id": "The user's id."}, example="umami.delete_user(user_id)", **MANAGEMENT_ONLY),
    Method("user_websites", "getUserWebsites", "Every website of one user, fetching pages as you go.", "Website",
           (USER_ID, Arg("include_teams", "bool", "False", "includeTeams")), paged=True,
           arg_docs={"user_id": "The user's id.", "include_teams": "Also the websites of their teams."},
           example="print([site.domain for site in umami.user_websites(user_id)])", **MANAGEMENT_ONLY),
    Method("user_teams", "getUserTeams", "Every team one user is in, fetching pages as you go.", "Team", (USER_ID,), paged=True,
           arg_docs={"user_id": "The user's id."}, example="print([team.name for team in umami.user_teams(user_id)])",
           **MANAGEMENT_ONLY),
    Method("teams", "getTeams", "Every team the logged-in user is in, with members and counts, fetching pages as you go.", "Team",
           paged=True, example="for team in umami.teams():\n    print(team.name, team.counts)", **MANAGEMENT_ONLY),
    Method("team", "getTeam", "One team, with its members.", "Team", (TEAM_ID,), arg_docs={"team_id": "The team's id."},
           example="print([member.userId for member in umami.team(team_id).members or []])", **MANAGEMENT_ONLY),
    Method("create_team", "createTeam", "Make a team; you (or ``owner_id``) become its owner.", "Team",
           (body("name", "str", None, "name"), body("owner_id", "str | None", "None", "ownerId")), first=True,
           details="Others join it with its ``access_code`` (join_team()) or are added with add_team_member().",
           arg_docs={"name": "The team's name (50 characters at most).", "owner_id": "Make this user the owner instead of you."},
           example="team = umami.create_team('Marketing')\nprint(team.accessCode)", **MANAGEMENT_ONLY),
    Method("update_team", "updateTeam", "Rename a team or change its access code (owners and managers).", "Team",
           (TEAM_ID, body("name", "str | None", "None", "name"), body("access_code", "str | None", "None", "accessCode")),
           arg_docs={"team_id": "The team's id.", "name": "A new name.", "access_code": "A new access code (the old one stops working)."},
           example="umami.update_team(team_id, name='Growth')", **MANAGEMENT_ONLY),
    Method("delete_team", "deleteTeam", "Delete a team (owners and managers).", "None", (TEAM_ID,),
           arg_docs={"team_id": "The team's id."}, example="umami.delete_team(team_id)", **MANAGEMENT_ONLY),
    Method("join_team", "joinTeam", "Join a team by its access code, as a team member.", "TeamMember",
           (body("access_code", "str", None, "accessCode"),), arg_docs={"access_code": "The team's access code."},
           example="membership = umami.join_team('team_abcdefgh12345678')", **MANAGEMENT_ONLY),
    Method("team_members", "getTeamUsers", "Every member of a team, with their user, fetching pages as you go.", "TeamMember",
           (TEAM_ID, Arg("search", "str | None", "None", "search")), paged=True,
           arg_docs={"team_id": "The team's id.", "search": "Only members whose name contains this."},
           example="for member in umami.team_members(team_id):\n    print(member.userId, member.role)",
           **MANAGEMENT_ONLY),
    Method("team_member", "getTeamUser", "One member of a team (owners and managers).", "TeamMember", (TEAM_ID, USER_ID),
           arg_docs={"team_id": "The team's id.", "user_id": "The member's user id."},
           example="print(umami.team_member(team_id, user_id).role)", **MANAGEMENT_ONLY),
    Method("add_team_member", "createTeamUser", "Add a user to a team with a role (owners and managers).", "TeamMember",
           (TEAM_ID, body("user_id", "str", None, "userId"), body("role", "str", "'team-member'", "role")),
           arg_docs={"team_id": "The team's id.", "user_id": "The user to add.", "role": TEAM_ROLE_DOC},
           example="umami.add_team_member(team_id, user_id, role='team-view-only')", **MANAGEMENT_ONLY),
    Method("update_team_member", "updateTeamUser", "Change a member's role (owners and managers).", "TeamMember",
           (TEAM_ID, USER_ID, body("role", "str", None, "role")),
           arg_docs={"team_id": "The team's id.", "user_id": "The member's user id.", "role": TEAM_ROLE_DOC},
           example="umami.update_team_member(team_id, user_id, 'team-manager')", **MANAGEMENT_ONLY),
    Method("remove_team_member", "deleteTeamUser", "Remove a member from a team (owners and managers, or the member).", "None",
           (TEAM_ID, USER_ID), arg_docs={"team_id": "The team's id.", "user_id": "The member's user id."},
           example="umami.remove_team_member(team_id, user_id)", **MANAGEMENT_ONLY),
    Method("team_websites", "getTeamWebsites", "Every website of a team, fetching pages as you go.", "Website",
           (TEAM_ID, Arg("search", "str | None", "None", "search")), paged=True,
           arg_docs={"team_id": "The team's id.", "search": "Only websites whose name or domain contains this."},
           example="print([site.name for site in umami.team_websites(team_id)])", **MANAGEMENT_ONLY),
    Method("website", "getWebsite", "One website's settings.", "Website", date_range=False, filters=False,
           example="print(umami.website().domain)"),
    Method("create_website", "createWebsite", "Make a website to track; its id is what set_website_id() takes.", "Website",
           (body("name", "str", None, "name"), body("domain", "str", None, "domain"),
            body("team_id", "str | None", "None", "teamId"), body("website_id", "str | None", "None", "id")),
           arg_docs={"name": "The name shown in Umami.", "domain": "The site's domain, e.g. 'example.com'.",
                     "team_id": "Make it a team's website.", "website_id": "The id to give it (a UUID); a new one by default."},
           example="site = umami.create_website('Shop', 'shop.example.com')\numami.set_website_id(site.id)", **MANAGEMENT_ONLY),
    Method("update_website", "updateWebsite", "Rename a website or change its domain.", "Website",
           (body("name", "str | None", "None", "name"), body("domain", "str | None", "None", "domain")), date_range=False,
           filters=False, arg_docs={"name": "A new name.", "domain": "A new domain."},
           example="umami.update_website(name='Shop (EU)')"),
    Method("delete_website", "deleteWebsite", "Delete a website and its data (there is no undo).", "None",
           (path("website_id", "websiteId"),),
           details="The id is required here, never taken from set_website_id(): deleting is too final for a default.",
           arg_docs={"website_id": "The website's id."}, example="umami.delete_website(site.id)", **MANAGEMENT_ONLY),
    Method("reset_website", "resetWebsite", "Delete every event and session of a website, keeping the website.", "None",
           (path("website_id", "websiteId"),), details="The id is required, as for delete_website().",
           arg_docs={"website_id": "The website's id."}, example="umami.reset_website(site.id)", **MANAGEMENT_ONLY),
    Method("website_shares", "getWebsiteShares", "Every share link of a website, fetching pages as you go.", "ShareLink",
           date_range=False, filters=False, paged=True,
           example="print([share.slug for share in umami.website_shares()])"),
    Method("create_website_share", "createWebsiteShare", "Make a public share link of a website's dashboard.", "ShareLink",
           (body("name", "str", None, "name"), body("parameters", "dict[str, Any] | None", "None", "parameters")),
           date_range=False, filters=False,
           arg_docs={"name": "A name for the link.", "parameters": "What the shared view shows (Umami's share parameters)."},
           example="share = umami.create_website_share('Public stats')\nprint(share.slug)"),
    Method("share", "getShare", "One share link by its id.", "ShareLink", (path("share_id", "shareId"),),
           arg_docs={"share_id": "The share link's id."}, example="print(umami.share(share_id).slug)", **MANAGEMENT_ONLY),
    Method("update_share", "updateShare", "Rename a share link, change its slug or what it shows.", "ShareLink",
           (path("share_id", "shareId"), body("name", "str", None, "name"), body("slug", "str", None, "slug"),
            body("parameters", "dict[str, Any]", None, "parameters")),
           arg_docs={"share_id": "The share link's id.", "name": "Its name.", "slug": "The end of its URL.",
                     "parameters": "What the shared view shows."},
           example="umami.update_share(share.id, 'Public stats', 'our-stats', {})", **MANAGEMENT_ONLY),
    Method("delete_share", "deleteShare", "Delete a share link (its URL stops working).", "None", (path("share_id", "shareId"),),
           arg_docs={"share_id": "The share link's id."}, example="umami.delete_share(share.id)", **MANAGEMENT_ONLY),
)

REPORT_NOTE = "Runs Umami 3.1's report route (``POST /api/reports/...``), which newer servers keep."
REPORTS = (
    Method("funnel", "runFunnelReport", "A funnel: of the visitors who did the first step, how many went on to each next one, in order.",
           "list[FunnelStep]",
           (body("steps", "list[tuple[str, str]] | list[dict[str, Any]]", None, "steps"), body("window", "int", "60", "window")),
           details=REPORT_NOTE + " A step counts when it follows the one before within ``window`` minutes.",
           arg_docs={"steps": "From 2 to 8 steps, each ``('path', '/pricing')`` or ``('event', 'signup')`` (or a dict with "
                              "``type``, ``value`` and Umami's event-data ``filters``).",
                     "window": "Minutes allowed between a step and the next."},
           example="for step in umami.funnel([('path', '/'), ('path', '/pricing'), ('event', 'signup')], start, end):\n"
                   "    print(step.value, step.visitors, step.dropoff)"),
    Method("goal", "runGoalReport", "A goal: how many sessions viewed a page or sent an event, out of all sessions.", "Goal",
           (body("type", "Literal['path', 'event']", None, "type"), body("value", "str", None, "value")), details=REPORT_NOTE,
           arg_docs={"type": "'path' (a page view) or 'event' (a custom event).", "value": "The path or the event name."},
           example="goal = umami.goal('event', 'signup', start, end)\nprint(goal.num, 'of', goal.total)"),
    Method("journey", "runJourneyReport", "The most common paths visitors take through the website.", "list[JourneyPath]",
           (body("steps", "int", "5", "steps"), body("start_step", "str | None", "None", "startStep"),
            body("end_step", "str | None", "None", "endStep")), details=REPORT_NOTE,
           arg_docs={"steps": "How many steps each path has (2 to 7).", "start_step": "Only paths starting here (a path or event name).",
                     "end_step": "Only paths ending here."},
           example="for journey in umami.journey(start, end, steps=3):\n    print(' > '.join(filter(None, journey.items)), journey.count)"),
    Method("retention", "runRetentionReport", "Retention: of the visitors first seen each day, how many came back on each later day.",
           "list[RetentionRow]", (body("timezone", "str | None", "None", "timezone"),), details=REPORT_NOTE,
           arg_docs={"timezone": "The IANA time zone days are cut in; UTC by default."},
           example="for row in umami.retention(start, end):\n    print(row.date, row.day, row.percentage)"),
    Method("utm", "runUtmReport", "Page views per value of each UTM parameter (source, medium, campaign, term, content).", "UtmReport",
           details=REPORT_NOTE, example="for row in umami.utm(start, end).utm_source:\n    print(row.utm, row.views)"),
    Method("revenue", "runRevenueReport", "Revenue in one currency: a series per event name, totals against the period before, and "
           "revenue by country, region, referrer and channel.", "RevenueReport",
           (body("currency", "str", None, "currency"), body("unit", "TimeUnit", "'day'", "unit"),
            body("timezone", "str | None", "None", "timezone"), body("compare", "Comparison | None", "None", "compare")),
           details=REPORT_NOTE,
           arg_docs={"currency": "The ISO code revenue was sent in (e.g. 'EUR'), upper case.",
                     "unit": "The series' bucket: 'minute', 'hour', 'day', 'month' or 'year'.",
                     "compare": "'prev' (the default: the period before) or 'yoy' (a year before) for ``total.comparison``."},
           example="report = umami.revenue('EUR', start, end)\nprint(report.total.sum, report.total.comparison.sum)"),
    Method("attribution", "runAttributionReport", "Attribution: which referrers, ads and UTM values brought the visitors who "
           "reached a page or an event, by first or last click.", "Attribution",
           (body("step", "str", None, "step"), body("model", "Literal['first-click', 'last-click']", "'first-click'", "model"),
            body("type", "Literal['path', 'event']", "'path'", "type"), body("currency", "str | None", "None", "currency")),
           details=REPORT_NOTE,
           arg_docs={"step": "The path or event name the visitors reached.", "model": "Credit the first or the last visit's source.",
                     "type": "Whether ``step`` is a 'path' or an 'event'.",
                     "currency": "Count revenue in this currency instead of visitors."},
           example="for row in umami.attribution('/checkout', start, end).referrer:\n    print(row.name, row.value)"),
    Method("breakdown", "runBreakdownReport", "Page views, visitors, visits, bounces and time spent per combination of fields.",
           "list[BreakdownRow]", (body("fields", "list[str]", None, "fields"),), details=REPORT_NOTE,
           arg_docs={"fields": "What to group by: path, referrer, title, query, os, browser, device, country, region, city, tag, "
                               "hostname, distinctId, language, event or a utm field (utmSource...)."},
           example="for row in umami.breakdown(['country', 'browser'], start, end):\n    print(row.country, row.browser, row.visitors)"),
)


FILTER_DOC = (
    "**filters: Only what matches (v3 names; several values in a list or a comma-separated string match any): "
    "path, referrer, title, query, event, hostname, os, browser, device, country, region, city, language, tag, "
    "distinct_id, utm_source, utm_medium, utm_campaign, utm_content, utm_term, segment, cohort; url and host "
    "as the spec's names for path and hostname."
)


@dataclass(frozen=True)
class Group:
    """One generated module: a class of friendly methods, its models' module and public module."""

    module: str  # the generated file, under umami/
    cls: str
    models: str  # where the models are defined
    public: str  # where users import them from
    methods: tuple[Method, ...]
    doc: str


GROUPS = (
    Group("_analytics.py", "Analytics", "umami_core.analytics", "umami.analytics", ANALYTICS,
          "Typed, friendly methods over the operations of Umami's API: analytics reads as models."),
    Group("_management.py", "Management", "umami_core.management", "umami.management", MANAGEMENT,
          "Typed, friendly methods over the operations of Umami's API: users, teams, websites and share links."),
    Group("_reports.py", "Reports", "umami_core.report_models", "umami.reports", REPORTS,
          "Typed, friendly methods over Umami's reports: funnel, goal, journey, retention, UTM, revenue, attribution, breakdown."),
)


def model_name(method: Method) -> str:
    return method.returns.removeprefix("list[").removesuffix("]")


def signature(method: Method, *, flavour: str) -> str:
    parts = ["self"]
    parts += [f"{arg.name}: {arg.type}" for arg in method.args if arg.default is None]
    if method.date_range:
        parts += ["start_at: datetime.datetime", "end_at: datetime.datetime"]
    keywords = [f"{arg.name}: {arg.type} = {arg.default}" for arg in method.args if arg.default is not None]
    if method.website:
        keywords.append("website_id: str | None = None")
    if method.paged:
        keywords.append("page_size: int = 100")
    if keywords:
        parts += ["*", *keywords]
    if method.filters:
        parts.append("**filters: Unpack[Filters]")
    if method.paged:
        returns = f"AsyncIterator[{method.returns}]" if flavour == "async" else f"Iterator[{method.returns}]"
    else:
        returns = method.returns
    prefix = "async def" if flavour == "async" else "def"
    name = method.name + ("_async" if flavour == "async" else "")
    return f"    {prefix} {name}({', '.join(parts)}) -> {returns}:"


def arguments(method: Method) -> str:
    """The keyword arguments of call() or iterate(): path and query parameters by name, and the body."""
    items = [f"{arg.wire!r}: {arg.name}" for arg in method.args if not arg.body]
    if method.date_range:
        items += ["'startAt': start_at", "'endAt': end_at"]
    if method.website:
        items.append("'websiteId': website_id")
    named = "{" + ", ".join(items) + "}"
    named = f"{{**{named}, **wire_filters(filters)}}" if method.filters else named
    fields = [f"{arg.wire!r}: {arg.name}" for arg in method.args if arg.body]
    text = f"**{named}" if items or method.filters else ""
    if fields:
        text = ", ".join(filter(None, [f"body=without_none({{{', '.join(fields)}}})", text]))
    return text


def docstring(method: Method, group: Group) -> str:
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
    if method.website:
        lines.append("    website_id: The website's UUID (overrides set_website_id()).")
    if method.paged:
        lines.append("    page_size: Items fetched per request.")
    if method.filters:
        lines.append("    " + FILTER_DOC)
    if lines[-1] == "Args:":
        lines.pop()
    model = f"``{group.public}.{model_name(method)}``"
    if method.returns == "None":
        returned = "None, once Umami has done it."
    elif not model_name(method).isidentifier():
        returned = f"A ``{method.returns}``."
    elif method.paged:
        returned = f"Every {model}, fetched page by page."
    else:
        returned = f"A list of {model}." if method.returns.startswith("list[") else f"A {model}."
    lines += ["", "Returns:", f"    {returned}", "",
              "Raises:", "    ValidationError: For an argument Umami would refuse, before any request.",
              "    OperationNotAllowedError: Without login() or an API key.",
              "    httpx.HTTPStatusError: If Umami answers non-2xx (also an ``umami.errors.APIError``)."]  # fmt: skip
    if method.example:
        lines += ["", "Example:", "    ```python", *("    " + line for line in method.example.splitlines()), "    ```"]
    text = "\n".join(("        " + line).rstrip() for line in lines)
    return f'        """{text.strip()}\n        """'


def render_method(method: Method, group: Group) -> list[str]:
    out = [signature(method, flavour="sync"), docstring(method, group)]
    operation, returns, given = repr(method.operation), method.returns, arguments(method)
    twin = f'        """Async twin of {method.name}(): ' + ("``async for`` over the same items." if method.paged else
                                                       'the same arguments, result and exceptions; await it."""')  # fmt: skip
    if method.paged:
        twin = twin + '"""'
        given = ", ".join(filter(None, ["page_size=page_size", given]))
        out += [f"        for item in self.iterate({operation}, {given}):",
                f"            yield cast({returns!r}, parse_item({returns!r}, item))", ""]  # fmt: skip
        out += [signature(method, flavour="async"), twin,
                f"        async for item in self.iterate_async({operation}, {given}):",
                f"            yield cast({returns!r}, parse_item({returns!r}, item))", ""]  # fmt: skip
        return out
    answer = f"self.call({', '.join(filter(None, [operation, given]))})"
    awaited = "await " + answer.replace("self.call(", "self.call_async(")
    if method.returns == "None":
        out += [f"        {answer}", "", signature(method, flavour="async"), twin, f"        {awaited}", ""]
        return out
    parse = "parse_first" if method.first else "parse_answer"
    out += [f"        return cast({returns!r}, {parse}({returns!r}, {answer}, {operation}))", ""]
    out += [signature(method, flavour="async"), twin, f"        return cast({returns!r}, {parse}({returns!r}, {awaited}, {operation}))", ""]
    return out


def render(group: Group) -> str:
    models = sorted({model_name(method) for method in group.methods if model_name(method).isidentifier()} - {"None"})
    source = "\n".join(line for method in group.methods for line in render_method(method, group))
    helpers = [name for name in ("Comparison", "Filters", "MetricType", "TimeUnit", "parse_answer", "parse_first", "parse_item",
                                 "wire_filters", "without_none") if re.search(rf"\b{name}\b", source)]  # fmt: skip
    typing = [name for name in ("TYPE_CHECKING", "Any", "Literal", "cast") if name == "TYPE_CHECKING" or re.search(rf"\b{name}\b", source)]
    iterators = [name for name in ("AsyncIterator", "Iterator") if re.search(rf"\b{name}\[", source)]
    lines = [
        f'"""{group.doc}',
        "",
        "Generated by scripts/generate_friendly.py from its table; do not edit by hand.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        *(["import datetime"] if "datetime.datetime" in source else []),
        *([f"from collections.abc import {', '.join(iterators)}"] if iterators else []),
        f"from typing import {', '.join(typing)}",
        "",
        f"from umami._filters import {', '.join(helpers)}",
        "from umami._operations import Operations",
        "",
        "if TYPE_CHECKING:  # the models (pydantic) load on the first answer, not at import",
        *(["    from typing_extensions import Unpack", ""] if "Unpack[" in source else []),
        f"    from {group.models} import (",
        *(f"        {model}," for model in models),
        "    )",
        "",
        "",
        f"class {group.cls}(Operations):",
        source,
    ]
    return "\n".join(lines).rstrip() + "\n"


EXPORTS_START = "# The friendly methods, generated by scripts/generate_friendly.py:\n"
EXPORTS_END = "# End of the generated friendly methods.\n"


def exported() -> list[str]:
    return [name for group in GROUPS for method in group.methods for name in (method.name, method.name + "_async")]


def render_init(text: str) -> str:
    """umami/__init__.py with its generated block (the bound methods, and their names added to __all__) rewritten."""
    names = exported()
    listed = "".join(f'    "{name}",\n' for name in sorted(names))
    block = "".join(f"{name} = _default.{name}\n" for name in names) + f"\n__all__ = [\n    *__all__,\n{listed}]\n"
    before, rest = text.split(EXPORTS_START, 1)
    return before + EXPORTS_START + block + EXPORTS_END + rest.split(EXPORTS_END, 1)[1]


def outputs() -> dict[Path, str]:
    written = {ROOT / "umami" / group.module: render(group) for group in GROUPS}
    written[PACKAGE_INIT] = render_init(PACKAGE_INIT.read_text())
    return written


def main() -> int:
    written = outputs()
    if "--check" in sys.argv:
        stale = [str(path.relative_to(ROOT)) for path, text in written.items() if path.read_text() != text]
        if stale:
            print(f"{', '.join(stale)}: not what scripts/generate_friendly.py writes: run it", file=sys.stderr)
            return 1
        return 0
    for path, text in written.items():
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
