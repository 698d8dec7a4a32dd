"""Creating, joining, changing and deleting teams, and adding, changing and removing their members.

Shapes and rules from the server's source (v3.1.0: ``src/app/api/teams/route.ts``,
``teams/join/route.ts``, ``teams/[teamId]/route.ts``, ``teams/[teamId]/users/route.ts``,
``teams/[teamId]/users/[userId]/route.ts``, ``src/queries/prisma/{team,teamUser}.ts``,
``src/permissions/team.ts``), not from a recording. The answers are Prisma's rows: a created team
is the transaction's ``[team, teamUser]`` (the team with its access code, and the owner's
membership); a membership is ``{id, teamId, userId, role, createdAt, updatedAt}``.

The schema has ``relationMode = "prisma"``: no foreign keys, so an owner or member id that names no
user is stored as given. A path id PostgreSQL cannot cast to uuid is an unhandled 500.
"""

from __future__ import annotations

import secrets
import string

from umami_transports.fake import bodies
from umami_transports.fake.app import UNAUTHORIZED, Abort, Call, Reply, authenticate, bare, json_reply, route
from umami_transports.fake.context import Context
from umami_transports.fake.permissions import TEAM_CREATE, TEAM_DELETE, TEAM_UPDATE, has_permission, may_in_team
from umami_transports.fake.replies import OK, not_found, refuse, unauthorized
from umami_transports.fake.routes_admin import check_website_id
from umami_transports.fake.store import Team, TeamUser, uuid_column
from umami_transports.fake.validation import MISSING, Issues

#: ``teamRoleParam``: team-owner is only given by creating the team.
TEAM_ROLES = ("team-member", "team-view-only", "team-manager")
NOT_OWNER = "You must be the owner/manager of this team."
NOT_MEMBER = "The User does not exists on this team."
_CHARS = string.digits + string.ascii_letters  # getRandomChars' alphabet


def access_code() -> str:
    """``team_`` and 16 random letters or digits, as ``POST /api/teams`` makes it."""
    return "team_" + "".join(secrets.choice(_CHARS) for _ in range(16))


def _add_member(ctx: Context, team_id: str, user_id: str, role: str) -> TeamUser:
    now = ctx.now()
    member = TeamUser(ctx.store.new_id(), team_id, user_id, role, now, now)
    ctx.store.team_users.append(member)
    return member


@route("/api/teams", "POST")
def create_team(ctx: Context, call: Call) -> Reply:
    """An admin, or a user whose role may create teams (not view-only); ``ownerId`` makes another
    user the owner, for anyone allowed to create."""
    issues = Issues()
    body = bodies.body_of(call, issues)
    name = bodies.text(issues, body, "name", max_length=50)
    owner_id = bodies.uuid(issues, body, "ownerId", optional=True)
    bodies.raise_issues(issues)
    user = authenticate(ctx, call)
    if not (user.is_admin or has_permission(user.role, TEAM_CREATE)):
        return UNAUTHORIZED
    now = ctx.now()
    team = Team(ctx.store.new_id(), name, access_code(), now, now)
    ctx.store.teams[team.id] = team
    member = _add_member(ctx, team.id, user.id if owner_id is MISSING else uuid_column(owner_id), "team-owner")
    return json_reply([team.as_json(), member.as_json()])


@route("/api/teams/join", "POST")
def join_team(ctx: Context, call: Call) -> Reply:
    """The caller becomes a team-member of the team with that access code (a deleted team's too:
    ``findTeam`` does not filter them)."""
    issues = Issues()
    body = bodies.body_of(call, issues)
    code = bodies.text(issues, body, "accessCode", max_length=50)
    bodies.raise_issues(issues)
    user = authenticate(ctx, call)
    team = next((team for team in ctx.store.teams.values() if team.access_code == code), None)
    if team is None:
        return not_found("Team not found.", "team-not-found")
    if ctx.store.team_user(team.id, user.id) is not None:
        return refuse("User is already a team member.")
    return json_reply(_add_member(ctx, team.id, user.id, "team-member").as_json())


def _team_id(ctx: Context, call: Call, permission: str) -> str:
    """The path's team, once the caller holds ``permission`` in it (``canUpdateTeam``/``canDeleteTeam``)."""
    user = authenticate(ctx, call)
    team_id = check_website_id(call.params["teamId"])  # the membership lookup casts it
    if not may_in_team(ctx, user, team_id, permission):
        raise Abort(unauthorized(NOT_OWNER))
    return team_id


@route("/api/teams/{teamId}", "POST")
def update_team(ctx: Context, call: Call) -> Reply:
    """An owner or manager (or an admin) renames the team or sets its access code."""
    issues = Issues()
    body = bodies.body_of(call, issues)
    name = bodies.text(issues, body, "name", max_length=50, optional=True)
    code = bodies.text(issues, body, "accessCode", max_length=50, optional=True)
    bodies.raise_issues(issues)
    team = ctx.store.teams.get(_team_id(ctx, call, TEAM_UPDATE))
    if team is None:
        return bare(500)  # Prisma's update of a missing row, unhandled
    if isinstance(code, str) and any(other.access_code == code for other in ctx.store.teams.values() if other is not team):
        return bare(500)  # the access code is unique: a constraint violation, unhandled
    team.name = name if isinstance(name, str) else team.name
    team.access_code = code if isinstance(code, str) else team.access_code
    team.updated_at = ctx.now()
    return json_reply(team.as_json())


@route("/api/teams/{teamId}", "DELETE")
def delete_team(ctx: Context, call: Call) -> Reply:
    """An owner (or an admin). Self-hosted: the team and its memberships go, its websites stay
    without a team; CLOUD_MODE only marks the team deleted."""
    team = ctx.store.teams.get(_team_id(ctx, call, TEAM_DELETE))
    if team is None:
        return bare(500)  # Prisma's delete of a missing row, unhandled
    if ctx.cloud_mode:
        team.deleted_at = ctx.now()
    else:
        ctx.store.remove_team(team.id)
    return OK


@route("/api/teams/{teamId}/users", "POST")
def add_team_user(ctx: Context, call: Call) -> Reply:
    issues = Issues()
    body = bodies.body_of(call, issues)
    user_id = bodies.uuid(issues, body, "userId")
    role = bodies.choice(issues, body, "role", TEAM_ROLES)
    bodies.raise_issues(issues)
    team_id = _team_id(ctx, call, TEAM_UPDATE)
    user_id = uuid_column(user_id)
    if ctx.store.team_user(team_id, user_id) is not None:
        return refuse("User is already a member of the Team.")
    return json_reply(_add_member(ctx, team_id, user_id, role).as_json())


@route("/api/teams/{teamId}/users/{userId}", "POST")
def update_team_user(ctx: Context, call: Call) -> Reply:
    """An owner or manager changes a member's role (any member's: the owner's too)."""
    issues = Issues()
    body = bodies.body_of(call, issues)
    role = bodies.choice(issues, body, "role", TEAM_ROLES)
    bodies.raise_issues(issues)
    team_id = _team_id(ctx, call, TEAM_UPDATE)
    member = ctx.store.team_user(team_id, check_website_id(call.params["userId"]))
    if member is None:
        return refuse(NOT_MEMBER)
    member.role, member.updated_at = role, ctx.now()
    return json_reply(member.as_json())


@route("/api/teams/{teamId}/users/{userId}", "DELETE")
def delete_team_user(ctx: Context, call: Call) -> Reply:
    """``canDeleteTeamUser``: an admin, the member themself (leaving), or an owner or manager."""
    user = authenticate(ctx, call)
    team_id = check_website_id(call.params["teamId"])
    leaving = call.params["userId"] == user.id  # compared as written in the path
    if not (leaving or may_in_team(ctx, user, team_id, TEAM_UPDATE)):
        return unauthorized(NOT_OWNER)
    user_id = check_website_id(call.params["userId"])
    if ctx.store.team_user(team_id, user_id) is None:
        return refuse(NOT_MEMBER)
    ctx.store.team_users = [member for member in ctx.store.team_users if not (member.team_id == team_id and member.user_id == user_id)]
    return OK
