"""Users, teams and the caller's lists: the read routes of ``src/app/api/{users,teams,me,admin}``.

Shapes from the server's source (v3.1.0: the routes and ``src/queries/prisma/{user,team,teamUser,
website}.ts``), not from a recording. Permissions as ``src/permissions/{user,team}.ts``: admins see
everything; a user sees themself and the teams they are in; a team's member list needs membership,
one member's row an owner or manager. ``GET /api/users`` does not exist in 3.1 (only ``POST``).
"""

from __future__ import annotations

from typing import Any

from umami_transports.fake.app import UNAUTHORIZED, Abort, Call, Reply, authenticate, json_reply, route
from umami_transports.fake.context import Context
from umami_transports.fake.listing import Paging, paging_of, team_owner_websites, team_websites, user_teams, user_websites
from umami_transports.fake.routes_admin import check_website_id, website_json
from umami_transports.fake.store import Team, User, iso

TEAM_NOT_FOUND = {"error": {"message": "Team not found.", "code": "not-found", "status": 404}}


def _unauthorized(message: str) -> Reply:
    return json_reply({"error": {"message": message, "code": "unauthorized", "status": 401}}, 401)


def _user_row(user: User) -> dict[str, Any]:
    """``getUser``'s select: no password, no isAdmin."""
    return {"id": user.id, "username": user.username, "role": user.role, "createdAt": iso(user.created_at)}


def _members(ctx: Context, team: Team, *, with_user: bool) -> list[dict[str, Any]]:
    rows = []
    for member in (item for item in ctx.store.team_users if item.team_id == team.id):
        user = ctx.store.users.get(member.user_id)
        rows.append({**member.as_json(), **({"user": {"id": user.id, "username": user.username} if user else None} if with_user else {})})
    return rows


def _team_with_counts(ctx: Context, team: Team) -> dict[str, Any]:
    """A row of ``getUserTeams``/``getTeams``: the team, its members with their user, and counts."""
    websites = sum(1 for site in ctx.store.websites.values() if site.team_id == team.id and site.deleted_at is None)
    members = _members(ctx, team, with_user=True)
    return {**team.as_json(), "members": members, "_count": {"websites": websites, "members": len(members)}}


def _teams_page(ctx: Context, paging: Paging, user_id: str) -> Reply:
    return json_reply(paging.envelope([_team_with_counts(ctx, team) for team in user_teams(ctx, user_id)]))


@route("/api/users/{userId}", "GET")
def get_user(ctx: Context, call: Call) -> Reply:
    caller = authenticate(ctx, call)
    user_id = call.params["userId"]
    if not (caller.is_admin or caller.id == user_id):
        return UNAUTHORIZED
    user = ctx.store.users.get(check_website_id(user_id))
    return json_reply(None if user is None else _user_row(user))


@route("/api/users/{userId}/teams", "GET")
def get_user_teams(ctx: Context, call: Call) -> Reply:
    paging = paging_of(call, search=False)
    caller = authenticate(ctx, call)
    if not (caller.is_admin or caller.id == call.params["userId"]):
        return UNAUTHORIZED
    return _teams_page(ctx, paging, check_website_id(call.params["userId"]))


@route("/api/users/{userId}/websites", "GET")
def get_user_websites(ctx: Context, call: Call) -> Reply:
    paging = paging_of(call)
    caller = authenticate(ctx, call)
    if not (caller.is_admin or caller.id == call.params["userId"]):
        return UNAUTHORIZED
    user_id = check_website_id(call.params["userId"])  # the query casts it to uuid
    if call.query.get("includeTeams"):
        return json_reply(paging.envelope([website_json(site) for site in team_owner_websites(ctx, user_id, paging.search)]))
    owner = ctx.store.users.get(user_id)
    return json_reply(paging.envelope([website_json(site, with_user=owner) for site in user_websites(ctx, user_id, paging.search)]))


@route("/api/me/teams", "GET")
def my_teams(ctx: Context, call: Call) -> Reply:
    paging = paging_of(call, search=False)
    return _teams_page(ctx, paging, authenticate(ctx, call).id)


@route("/api/teams", "GET")
def teams(ctx: Context, call: Call) -> Reply:
    paging = paging_of(call, search=False)
    return _teams_page(ctx, paging, authenticate(ctx, call).id)


@route("/api/me/websites", "GET")
def my_websites(ctx: Context, call: Call) -> Reply:
    paging = paging_of(call, search=False)
    user = authenticate(ctx, call)
    if call.query.get("includeTeams"):
        return json_reply(paging.envelope([website_json(site) for site in team_owner_websites(ctx, user.id, None)]))
    return json_reply(paging.envelope([website_json(site, with_user=user) for site in user_websites(ctx, user.id, None)]))


def _team_of(ctx: Context, call: Call, caller: User, message: str | None = None) -> str:
    """The team id once the caller may view it (``canViewTeam``), else Abort with 401."""
    team_id = call.params["teamId"]
    if not caller.is_admin and ctx.store.team_user(team_id, caller.id) is None:
        raise Abort(_unauthorized(message) if message else UNAUTHORIZED)
    return check_website_id(team_id)  # the query casts it to uuid


@route("/api/teams/{teamId}", "GET")
def get_team(ctx: Context, call: Call) -> Reply:
    team_id = _team_of(ctx, call, authenticate(ctx, call))
    team = ctx.store.teams.get(team_id)
    if team is None:
        return json_reply(TEAM_NOT_FOUND, 404)
    return json_reply({**team.as_json(), "members": _members(ctx, team, with_user=False)})


@route("/api/teams/{teamId}/users", "GET")
def get_team_users(ctx: Context, call: Call) -> Reply:
    """Members with their user, oldest first; ``search`` on the username."""
    paging = paging_of(call)
    team_id = _team_of(ctx, call, authenticate(ctx, call), "You must be a member of this team.")
    team = ctx.store.teams.get(team_id)
    rows = _members(ctx, team, with_user=True) if team else []
    if paging.search:
        rows = [row for row in rows if row["user"] and paging.search.lower() in row["user"]["username"].lower()]
    return json_reply(paging.envelope(rows))


@route("/api/teams/{teamId}/users/{userId}", "GET")
def get_team_user(ctx: Context, call: Call) -> Reply:
    """One member's row (``canUpdateTeam``: an admin, or the team's owner or manager), or null."""
    caller = authenticate(ctx, call)
    team_id = call.params["teamId"]
    mine = ctx.store.team_user(team_id, caller.id)
    if not caller.is_admin and (mine is None or mine.role not in ("team-owner", "team-manager")):
        return _unauthorized("You must be the owner/manager of this team.")
    member = ctx.store.team_user(check_website_id(team_id), check_website_id(call.params["userId"]))
    return json_reply(None if member is None else member.as_json())


@route("/api/teams/{teamId}/websites", "GET")
def get_team_websites(ctx: Context, call: Call) -> Reply:
    """``getTeamWebsites``: with the user who created each (``createUser``)."""
    paging = paging_of(call)
    team_id = _team_of(ctx, call, authenticate(ctx, call))
    rows = []
    for site in team_websites(ctx, team_id, paging.search):
        creator = ctx.store.users.get(site.created_by or "")
        body = website_json(site)
        rows.append({**body, "createUser": {"id": creator.id, "username": creator.username} if creator else None})
    return json_reply(paging.envelope(rows))


@route("/api/admin/users", "GET")
def admin_users(ctx: Context, call: Call) -> Reply:
    """Every user, newest first, with their count of live websites (admins only)."""
    paging = paging_of(call)
    if not authenticate(ctx, call).is_admin:
        return UNAUTHORIZED
    users = sorted(ctx.store.users.values(), key=lambda user: user.created_at or ctx.now(), reverse=True)
    if paging.search:
        users = [user for user in users if paging.search.lower() in user.username.lower()]
    rows = [{**_user_row(user), "logoUrl": None, "displayName": None, "updatedAt": iso(user.created_at), "deletedAt": None,
             "_count": {"websites": sum(1 for site in ctx.store.websites.values() if site.user_id == user.id and site.deleted_at is None)}}
            for user in users]  # fmt: skip
    return json_reply(paging.envelope(rows, order_by="createdAt"))


@route("/api/admin/teams", "GET")
def admin_teams(ctx: Context, call: Call) -> Reply:
    """Every team (deleted ones too), newest first (admins only)."""
    paging = paging_of(call)
    if not authenticate(ctx, call).is_admin:
        return UNAUTHORIZED
    found = sorted(ctx.store.teams.values(), key=lambda team: team.created_at, reverse=True)
    if paging.search:
        found = [team for team in found if paging.search.lower() in team.name.lower()]
    return json_reply(paging.envelope([_team_with_counts(ctx, team) for team in found]))


@route("/api/admin/websites", "GET")
def admin_websites(ctx: Context, call: Call) -> Reply:
    """Every live website, newest first, with its user or its team and the team's owners (admins only)."""
    paging = paging_of(call)
    if not authenticate(ctx, call).is_admin:
        return UNAUTHORIZED
    live = [site for site in ctx.store.websites.values() if site.deleted_at is None]
    sites = sorted(live, key=lambda site: site.created_at, reverse=True)
    if paging.search:
        needle = paging.search.lower()
        sites = [site for site in sites if needle in site.name.lower() or needle in (site.domain or "").lower()]
    rows = []
    for site in sites:
        user, team = ctx.store.users.get(site.user_id or ""), ctx.store.teams.get(site.team_id or "")
        owners = [row for row in _members(ctx, team, with_user=False) if row["role"] == "team-owner"] if team else []
        rows.append({**site.as_json(), "user": {"username": user.username, "id": user.id} if user else None,
                     "team": {**team.as_json(), "members": owners} if team else None, "shareId": site.share_id})  # fmt: skip
    return json_reply(paging.envelope(rows))
