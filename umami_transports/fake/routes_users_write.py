"""Creating, changing and deleting users, and changing one's own password.

Shapes and rules from the server's source (v3.1.0: ``src/app/api/users/route.ts``,
``users/[userId]/route.ts``, ``me/password/route.ts``, ``src/queries/prisma/user.ts``,
``src/permissions/user.ts``), not from a recording. The answers are Prisma's selects: a created user
is ``{id, username, role}``; an updated one adds ``createdAt``. Passwords are kept as given, since
the fake's login compares them as given (the server keeps bcrypt hashes). Deleting a user is the
self-hosted deletion (CLOUD_MODE's soft deletion is not modelled): their websites with their data,
the teams they own with their memberships, their own memberships.
"""

from __future__ import annotations

from typing import Any

from umami_transports.fake import bodies
from umami_transports.fake.app import UNAUTHORIZED, Call, Reply, authenticate, bare, json_reply, route
from umami_transports.fake.context import Context
from umami_transports.fake.replies import OK, not_found, refuse
from umami_transports.fake.routes_admin import check_website_id
from umami_transports.fake.store import User, iso, uuid_column
from umami_transports.fake.validation import MISSING, Issues

__all__ = ["USER_ROLES", "updated_user"]

#: ``userRoleParam``.
USER_ROLES = ("admin", "user", "view-only")


def updated_user(user: User) -> dict[str, Any]:
    """``updateUser``'s select."""
    return {"id": user.id, "username": user.username, "role": user.role, "createdAt": iso(user.created_at)}


@route("/api/users", "POST")
def create_user(ctx: Context, call: Call) -> Reply:
    """Admins only; the username must be free; ``id`` may be chosen."""
    issues = Issues()
    body = bodies.body_of(call, issues)
    chosen_id = bodies.uuid(issues, body, "id", optional=True)
    username = bodies.text(issues, body, "username", max_length=255)
    password = bodies.text(issues, body, "password", min_length=8, max_length=255)
    role = bodies.choice(issues, body, "role", USER_ROLES)
    bodies.raise_issues(issues)
    if not authenticate(ctx, call).is_admin:
        return UNAUTHORIZED
    if ctx.store.user_by_name(username) is not None:
        return refuse("User already exists")
    user_id = uuid_column(chosen_id) if chosen_id is not MISSING else ctx.store.new_id()
    if user_id in ctx.store.users:
        return bare(500)  # the primary key is taken: Prisma's error, unhandled
    user = User(user_id, username, password, role, ctx.now())
    ctx.store.users[user.id] = user
    return json_reply({"id": user.id, "username": user.username, "role": user.role})


@route("/api/users/{userId}", "POST")
def update_user(ctx: Context, call: Call) -> Reply:
    """An admin changes anyone's username, password or role; a user only their own password (the
    other fields are ignored, not refused)."""
    issues = Issues()
    body = bodies.body_of(call, issues)
    username = bodies.text(issues, body, "username", max_length=255, optional=True)
    password = bodies.text(issues, body, "password", min_length=8, max_length=255, optional=True)
    role = bodies.choice(issues, body, "role", USER_ROLES, optional=True)
    bodies.raise_issues(issues)
    caller = authenticate(ctx, call)
    if not (caller.is_admin or caller.id == call.params["userId"]):  # canUpdateUser compares the path as written
        return UNAUTHORIZED
    user = ctx.store.users.get(check_website_id(call.params["userId"]))
    if user is None:
        return not_found()
    # The route only takes truthy values: an empty username is ignored, as JavaScript's `if (username)`.
    new_name = username if caller.is_admin and isinstance(username, str) and username else None
    if new_name is not None and new_name != user.username and ctx.store.user_by_name(new_name) is not None:
        return refuse("User already exists")
    if isinstance(password, str):
        user.password = password
    if caller.is_admin and isinstance(role, str):
        user.role = role
    if new_name is not None:
        user.username = new_name
    return json_reply(updated_user(user))


@route("/api/users/{userId}", "DELETE")
def delete_user(ctx: Context, call: Call) -> Reply:
    caller = authenticate(ctx, call)
    if not caller.is_admin:
        return UNAUTHORIZED
    if call.params["userId"] == caller.id:
        return refuse("You cannot delete yourself.")
    user_id = check_website_id(call.params["userId"])
    if user_id not in ctx.store.users:
        return bare(500)  # Prisma's delete of a missing row fails the transaction, unhandled
    ctx.store.remove_user(user_id)
    return OK


@route("/api/me/password", "POST")
def update_my_password(ctx: Context, call: Call) -> Reply:
    issues = Issues()
    body = bodies.body_of(call, issues)
    current = bodies.text(issues, body, "currentPassword")
    new = bodies.text(issues, body, "newPassword", min_length=8)
    bodies.raise_issues(issues)
    user = authenticate(ctx, call)
    if user.password != current:
        return refuse("Current password is incorrect")
    user.password = new
    return json_reply(updated_user(user))
