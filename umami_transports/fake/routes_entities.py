"""Reads over the tables the fake keeps empty: boards, links, pixels, their shares, segments,
session replays; and the app's config and dashboard (website shares are in ``routes_shares``).

The fake has no routes that create these (a send's ``link`` or ``pixel`` id is not looked up), so a
list is always the empty ``pagedQuery`` envelope and one id is never found, answered as Umami 3.1
answers a missing row (read from ``src/app/api/**`` and ``src/permissions``, v3.1.0): an admin gets
``null``; anyone else the server's own failure (401 for a board, an unhandled 500 where it reads a
property of the missing row).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from umami_transports.fake.app import UNAUTHORIZED, Abort, Call, Reply, authenticate, bare, json_reply, route
from umami_transports.fake.context import Context
from umami_transports.fake.listing import DEFAULT_PAGE_SIZE, Paging, paging_of
from umami_transports.fake.routes_admin import check_website_id
from umami_transports.fake.scope import scope, website_of
from umami_transports.fake.validation import MISSING, Issues

NOT_FOUND = {"error": {"message": "Not found", "code": "not-found", "status": 404}}
LISTS = ("/api/boards", "/api/links", "/api/pixels")


def _own_list(ctx: Context, call: Call) -> Reply:
    """The caller's boards, links or pixels: none."""
    paging = paging_of(call)
    authenticate(ctx, call)
    return json_reply(paging.envelope([]))


for _path in LISTS:
    route(_path, "GET")(_own_list)


def _missing_row(ctx: Context, call: Call, *, user_failure: Reply) -> Reply:
    """A board, link or pixel id that is not stored: null for an admin, else the server's failure."""
    user = authenticate(ctx, call)
    if not user.is_admin:
        return user_failure
    check_website_id(next(iter(call.params.values())))  # the lookup casts it to uuid
    return json_reply(None)


@route("/api/boards/{boardId}", "GET")
def board(ctx: Context, call: Call) -> Reply:
    return _missing_row(ctx, call, user_failure=UNAUTHORIZED)  # canViewBoard: no board, no access


@route("/api/links/{linkId}", "GET")
def link(ctx: Context, call: Call) -> Reply:
    return _missing_row(ctx, call, user_failure=bare(500))  # canViewLink reads link.userId of null


@route("/api/pixels/{pixelId}", "GET")
def pixel(ctx: Context, call: Call) -> Reply:
    return _missing_row(ctx, call, user_failure=bare(500))


def check_filters_and_paging(call: Call) -> None:
    """``filterParams`` and ``pagingParams`` of the shares lists (400 with zod's envelope)."""
    issues, query = Issues(), call.query
    for name in ("segment", "cohort"):
        issues.uuid((name,), query.get(name, MISSING))
    issues.number(("eventType",), query.get("eventType", MISSING), integer=True, positive=True)
    issues.choice(("match",), query.get("match", MISSING), ("all", "any"), optional=True)
    for name in ("page", "pageSize"):
        issues.number((name,), query.get(name, MISSING), integer=True, positive=True)
    if issues:
        raise Abort(json_reply(issues.envelope(), 400))


def _entity_shares(ctx: Context, call: Call, user_failure: Reply) -> Reply:
    check_filters_and_paging(call)
    user = authenticate(ctx, call)
    if not user.is_admin:
        return user_failure
    return json_reply(paging_of(call, search=False).envelope([]))


@route("/api/boards/{boardId}/shares", "GET")
def board_shares(ctx: Context, call: Call) -> Reply:
    return _entity_shares(ctx, call, UNAUTHORIZED)


@route("/api/links/{linkId}/shares", "GET")
def link_shares(ctx: Context, call: Call) -> Reply:
    return _entity_shares(ctx, call, bare(500))


@route("/api/pixels/{pixelId}/shares", "GET")
def pixel_shares(ctx: Context, call: Call) -> Reply:
    return _entity_shares(ctx, call, bare(500))


def _team_list(ctx: Context, call: Call) -> Reply:
    paging = paging_of(call)
    caller = authenticate(ctx, call)
    if not caller.is_admin and ctx.store.team_user(call.params["teamId"], caller.id) is None:
        return UNAUTHORIZED
    return json_reply(paging.envelope([]))


for _path in ("/api/teams/{teamId}/boards", "/api/teams/{teamId}/links", "/api/teams/{teamId}/pixels"):
    route(_path, "GET")(_team_list)


def _segment_type(issues: Issues, query: dict[str, str]) -> dict[str, Any]:
    return {"type": issues.choice(("type",), query.get("type", MISSING), ("segment", "cohort")), "search": query.get("search")}


@route("/api/websites/{websiteId}/segments", "GET")
def segments(ctx: Context, call: Call) -> Reply:
    """No paging parameters in this schema: always page 1 of 20."""
    at = scope(ctx, call, _segment_type, required=False, dated=(), filtered=False, needs_range=False)
    return json_reply(Paging(1, DEFAULT_PAGE_SIZE, at.extra("search")).envelope([]))


@route("/api/websites/{websiteId}/segments/{segmentId}", "GET")
def segment(ctx: Context, call: Call) -> Reply:
    website_of(ctx, call)
    check_website_id(call.params["segmentId"])
    return json_reply(NOT_FOUND, 404)


def _paging_search(issues: Issues, query: dict[str, str]) -> dict[str, Any]:
    for name in ("page", "pageSize"):
        issues.number((name,), query.get(name, MISSING), integer=True, positive=True)
    return {"search": query.get("search")}


@route("/api/websites/{websiteId}/replays", "GET")
def replays(ctx: Context, call: Call) -> Reply:
    scope(ctx, call, _paging_search)
    return json_reply(paging_of(call, search=False).envelope([]))


@route("/api/websites/{websiteId}/sessions/{sessionId}/replays", "GET")
def session_replays(ctx: Context, call: Call) -> Reply:
    scope(ctx, call, _paging_search, filtered=False)
    check_website_id(call.params["sessionId"])
    return json_reply(paging_of(call, search=False).envelope([]))


@route("/api/websites/{websiteId}/replays/{replayId}", "GET")
def replay(ctx: Context, call: Call) -> Reply:
    website_of(ctx, call)
    check_website_id(call.params["replayId"])
    return json_reply({"sessionId": None, "events": [], "startedAt": None, "endedAt": None, "eventCount": 0, "chunkCount": 0})


@route("/api/websites/{websiteId}/replays/saved", "GET")
def saved_replays(ctx: Context, call: Call) -> Reply:
    paging = paging_of(call)
    website_of(ctx, call)
    return json_reply(paging.envelope([]))


@route("/api/websites/{websiteId}/replays/saved/{replayId}", "GET")
def replay_saved(ctx: Context, call: Call) -> Reply:
    website_of(ctx, call)
    check_website_id(call.params["replayId"])
    return json_reply({"isSaved": False})


@route("/api/config", "GET")
def config(ctx: Context, call: Call) -> Reply:
    """The app's settings (no auth); unset environment variables are left out, as JSON drops undefined."""
    return json_reply({"cloudMode": ctx.cloud_mode, "privateMode": False, "telemetryDisabled": False, "updatesDisabled": False,
                       "currentVersion": True})  # fmt: skip


@route("/api/dashboard", "GET")
def dashboard(ctx: Context, call: Call) -> Reply:
    authenticate(ctx, call)
    return json_reply(None)  # the caller has no dashboard board


REPORT_TYPES = ("attribution", "breakdown", "funnel", "goal", "journey", "performance", "retention", "revenue", "utm")


def _report_query(issues: Issues, query: dict[str, str], *, website: bool) -> None:
    if website and "websiteId" not in query:
        issues.add(("websiteId",), "Invalid input: expected string, received undefined")
    elif website:
        issues.uuid(("websiteId",), query["websiteId"])
    issues.choice(("type",), query.get("type", MISSING), REPORT_TYPES, optional=True)
    for name in ("page", "pageSize"):
        issues.number((name,), query.get(name, MISSING), integer=True, positive=True)


@route("/api/reports", "GET")
def reports(ctx: Context, call: Call) -> Reply:
    """Saved reports of a website (``websiteId`` in the query): none are saved here."""
    issues = Issues()
    _report_query(issues, call.query, website=True)
    if issues:
        return json_reply(issues.envelope(), 400)
    website_of(ctx, replace(call, params={"websiteId": call.query["websiteId"]}))
    return json_reply(paging_of(call, search=False).envelope([]))


@route("/api/websites/{websiteId}/reports", "GET")
def website_reports(ctx: Context, call: Call) -> Reply:
    issues = Issues()
    _report_query(issues, call.query, website=False)
    if issues:
        return json_reply(issues.envelope(), 400)
    website_of(ctx, call)
    return json_reply(paging_of(call, search=False).envelope([]))


@route("/api/reports/{reportId}", "GET")
def report(ctx: Context, call: Call) -> Reply:
    """A saved report: never found. The report runs (POST /api/reports/funnel..., ``routes_reports``)
    are static routes, so a GET there is their bare 405 (performance, not served, answers it here)."""
    if call.params["reportId"] in REPORT_TYPES:
        return bare(405)
    return _missing_row(ctx, call, user_failure=bare(500))  # canViewReport reads report.userId of null
