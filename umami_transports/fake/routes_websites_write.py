"""Resetting a website's data and transferring a website between a user and a team.

Shapes and rules from the server's source (v3.1.0: ``src/app/api/websites/[websiteId]/reset`` and
``transfer``, ``src/queries/prisma/website.ts``, ``src/permissions/website.ts``), not from a
recording. A reset deletes the website's events, sessions, event and session data and revenue, and
keeps the website with ``resetAt`` set. A transfer answers Prisma's updated row (without
``shareId``). Transfers do not exempt admins: only a team owner may take a team's website as their
own, and only the website's owner may give it to a team where they are owner or manager.
"""

from __future__ import annotations

from umami_transports.fake import bodies
from umami_transports.fake.app import UNAUTHORIZED, Call, Reply, authenticate, bare, json_reply, route
from umami_transports.fake.context import Context
from umami_transports.fake.permissions import (
    TRANSFER_TO_TEAM,
    TRANSFER_TO_USER,
    WEBSITE_UPDATE,
    can_change_entity,
    has_permission,
    team_role,
)
from umami_transports.fake.replies import OK, refuse
from umami_transports.fake.routes_admin import check_website_id
from umami_transports.fake.store import uuid_column
from umami_transports.fake.validation import MISSING, Issues


@route("/api/websites/{websiteId}/reset", "POST")
def reset_website(ctx: Context, call: Call) -> Reply:
    """``canUpdateWebsite``; the website stays (a soft-deleted one too: ``getWebsite`` finds it)."""
    user = authenticate(ctx, call)
    website_id = check_website_id(call.params["websiteId"])
    if not can_change_entity(ctx, user, website_id, WEBSITE_UPDATE):
        return UNAUTHORIZED
    website = ctx.store.websites.get(website_id)
    if website is None:
        return bare(500)  # an admin's reset of a missing website: Prisma's update fails, unhandled
    ctx.store.delete_website_data(website_id)
    website.reset_at = website.updated_at = ctx.now()
    return OK


@route("/api/websites/{websiteId}/transfer", "POST")
def transfer_website(ctx: Context, call: Call) -> Reply:
    """``userId`` (to the caller, from a team they own) wins over ``teamId``; neither is a bare 400."""
    issues = Issues()
    body = bodies.body_of(call, issues)
    user_id = bodies.uuid(issues, body, "userId", optional=True)
    team_id = bodies.uuid(issues, body, "teamId", optional=True)
    bodies.raise_issues(issues)
    caller = authenticate(ctx, call)
    if user_id is MISSING and team_id is MISSING:
        return refuse()
    website = ctx.store.websites.get(check_website_id(call.params["websiteId"]))
    if website is None:
        return UNAUTHORIZED  # the permission finds no website
    if user_id is not MISSING:
        # canTransferWebsiteToUser compares the body's id, as written, with the caller's.
        role = team_role(ctx, website.team_id, caller.id) if website.team_id and caller.id == user_id else None
        if not has_permission(role, TRANSFER_TO_USER):
            return UNAUTHORIZED
        website.user_id, website.team_id = uuid_column(user_id), None
    else:
        new_team = uuid_column(team_id)
        role = team_role(ctx, new_team, caller.id) if website.user_id == caller.id else None
        if not has_permission(role, TRANSFER_TO_TEAM):
            return UNAUTHORIZED
        website.user_id, website.team_id = None, new_team
    website.updated_at = ctx.now()
    return json_reply(website.as_json())
