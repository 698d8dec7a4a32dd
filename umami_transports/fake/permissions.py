"""Who may change what: Umami 3.1's roles and checks (``src/lib/constants.ts``, ``src/permissions``).

Admins pass every check but the website transfers (where the source does not exempt them). A team
role grants the permissions of ``ROLE_PERMISSIONS``; a user's own role only matters for creating.
Team ids given here are in the database's form (``check_website_id``), since PostgreSQL compares
uuids whatever their letter case.
"""

from __future__ import annotations

from umami_transports.fake.context import Context
from umami_transports.fake.store import User

__all__ = [
    "TEAM_CREATE",
    "TEAM_DELETE",
    "TEAM_UPDATE",
    "TRANSFER_TO_TEAM",
    "TRANSFER_TO_USER",
    "WEBSITE_DELETE",
    "WEBSITE_UPDATE",
    "can_change_entity",
    "can_view_entity",
    "has_permission",
    "may_in_team",
    "team_role",
]

WEBSITE_CREATE, WEBSITE_UPDATE, WEBSITE_DELETE = "website:create", "website:update", "website:delete"
TRANSFER_TO_TEAM, TRANSFER_TO_USER = "website:transfer-to-team", "website:transfer-to-user"
TEAM_CREATE, TEAM_UPDATE, TEAM_DELETE = "team:create", "team:update", "team:delete"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"all"}),
    "user": frozenset({WEBSITE_CREATE, WEBSITE_UPDATE, WEBSITE_DELETE, TEAM_CREATE}),
    "view-only": frozenset(),
    "team-owner": frozenset({TEAM_UPDATE, TEAM_DELETE, WEBSITE_CREATE, WEBSITE_UPDATE, WEBSITE_DELETE, TRANSFER_TO_TEAM, TRANSFER_TO_USER}),
    "team-manager": frozenset({TEAM_UPDATE, WEBSITE_CREATE, WEBSITE_UPDATE, WEBSITE_DELETE, TRANSFER_TO_TEAM}),
    "team-member": frozenset({WEBSITE_CREATE, WEBSITE_UPDATE, WEBSITE_DELETE}),
    "team-view-only": frozenset(),
}


def has_permission(role: str | None, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role or "", frozenset())


def team_role(ctx: Context, team_id: str | None, user_id: str) -> str | None:
    """The user's role in the team, or None when not a member."""
    member = ctx.store.team_user(team_id, user_id) if team_id else None
    return member.role if member else None


def may_in_team(ctx: Context, user: User, team_id: str, permission: str) -> bool:
    """``canUpdateTeam``/``canDeleteTeam``: an admin, or a member whose team role grants ``permission``."""
    return user.is_admin or has_permission(team_role(ctx, team_id, user.id), permission)


def can_view_entity(ctx: Context, user: User, entity_id: str) -> bool:
    """``canViewEntity``: an admin, the entity's owner, or any member of the team that owns it.

    The fake's only entities are websites (deleted ones too, as ``getWebsite`` finds them)."""
    return can_change_entity(ctx, user, entity_id, None)


def can_change_entity(ctx: Context, user: User, entity_id: str, permission: str | None) -> bool:
    """``canUpdateEntity``/``canDeleteEntity``/``canUpdateWebsite``: as viewing, but a team member
    needs ``permission`` (website:update or website:delete) from their team role; None: viewing."""
    if user.is_admin:
        return True
    website = ctx.store.websites.get(entity_id)
    if website is None:
        return False
    if website.user_id:
        return website.user_id == user.id
    role = team_role(ctx, website.team_id, user.id)
    return role is not None if permission is None else has_permission(role, permission)
