"""Share links of websites: list, create, read, change and delete them, and open one by its slug.

Shapes and rules from the server's source (v3.1.0: ``src/app/api/websites/[websiteId]/shares``,
``share/route.ts``, ``share/id/[shareId]/route.ts``, ``share/[slug]/route.ts``,
``src/queries/prisma/share.ts``, ``src/permissions/{website,entity}.ts``), not from a recording. A
share is Prisma's row ``{id, entityId, name, shareType, slug, parameters, createdAt, updatedAt}``;
its entity may be a website, link, pixel or board, and the fake stores only websites, so the other
kinds are never found. A website's ``shareId`` is the slug of its newest share.

Odd but as the server does: reading or deleting a share id that does not exist reads a property of
null (an unhandled 500), while changing one answers 404; the share table has no foreign key, so an
admin may share a website id that names no website.
"""

from __future__ import annotations

import secrets
import string
from typing import Any

from umami_transports.fake import bodies, ids
from umami_transports.fake.app import UNAUTHORIZED, Abort, Call, Reply, authenticate, bare, json_reply, route
from umami_transports.fake.context import Context
from umami_transports.fake.listing import paging_of
from umami_transports.fake.permissions import WEBSITE_DELETE, WEBSITE_UPDATE, can_change_entity, can_view_entity
from umami_transports.fake.replies import OK, not_found
from umami_transports.fake.routes_admin import check_website_id
from umami_transports.fake.routes_entities import check_filters_and_paging
from umami_transports.fake.scope import website_of
from umami_transports.fake.store import Share, User
from umami_transports.fake.validation import MISSING, Issues

WEBSITE_SHARE = 1  # ENTITY_TYPE.website
_CHARS = string.digits + string.ascii_letters  # getRandomChars' alphabet


def random_slug() -> str:
    return "".join(secrets.choice(_CHARS) for _ in range(16))


def _new_share(ctx: Context, entity_id: str, share_type: int, name: str, slug: str, parameters: dict[str, Any]) -> Reply:
    """``createShare``: the row, or an unhandled 500 when the slug is taken (it is unique)."""
    if ctx.store.share_by_slug(slug) is not None:
        return bare(500)
    now = ctx.now()
    share = Share(ctx.store.new_id(), entity_id, name, share_type, slug, parameters, now, now)
    ctx.store.add_share(share)
    return json_reply(share.as_json())


@route("/api/websites/{websiteId}/shares", "GET")
def website_shares(ctx: Context, call: Call) -> Reply:
    """The website's shares, newest first (``search`` is not in the schema: ignored)."""
    check_filters_and_paging(call)
    website_id, _ = website_of(ctx, call)
    shares = [share.as_json() for share in ctx.store.entity_shares(website_id)]
    return json_reply(paging_of(call, search=False).envelope(shares))


@route("/api/websites/{websiteId}/shares", "POST")
def create_website_share(ctx: Context, call: Call) -> Reply:
    """``canUpdateWebsite``; the slug is random, ``parameters`` default to ``{}``."""
    issues = Issues()
    body = bodies.body_of(call, issues)
    name = bodies.text(issues, body, "name", max_length=200)
    parameters = bodies.record(issues, body, "parameters", optional=True)
    bodies.raise_issues(issues)
    user = authenticate(ctx, call)
    website_id = check_website_id(call.params["websiteId"])  # the permission's lookup casts it
    if not can_change_entity(ctx, user, website_id, WEBSITE_UPDATE):
        return UNAUTHORIZED
    return _new_share(ctx, website_id, WEBSITE_SHARE, name, random_slug(), {} if parameters is MISSING else parameters)


@route("/api/share", "POST")
def create_share(ctx: Context, call: Call) -> Reply:
    """Any entity's share (``canUpdateEntity``); ``slug`` may be chosen, ``parameters`` are required."""
    issues = Issues()
    body = bodies.body_of(call, issues)
    entity_id = bodies.uuid(issues, body, "entityId")
    share_type = bodies.integer(issues, body, "shareType")
    name = bodies.text(issues, body, "name", max_length=200)
    slug = bodies.text(issues, body, "slug", max_length=100, optional=True)
    parameters = bodies.record(issues, body, "parameters")
    bodies.raise_issues(issues)
    user = authenticate(ctx, call)
    entity_id = check_website_id(entity_id)
    if not can_change_entity(ctx, user, entity_id, WEBSITE_UPDATE):
        return UNAUTHORIZED
    return _new_share(ctx, entity_id, share_type, name, slug if isinstance(slug, str) and slug else random_slug(), parameters)


def _share_for(ctx: Context, call: Call) -> tuple[User, Share]:
    """The caller and the path's share; a share id that is not stored is the server's unhandled 500."""
    user = authenticate(ctx, call)
    share = ctx.store.share(check_website_id(call.params["shareId"]))
    if share is None:
        raise Abort(bare(500))  # the route reads share.entityId of null
    return user, share


@route("/api/share/id/{shareId}", "GET")
def get_share(ctx: Context, call: Call) -> Reply:
    user, share = _share_for(ctx, call)
    if not can_view_entity(ctx, user, share.entity_id):
        return UNAUTHORIZED
    return json_reply(share.as_json())


@route("/api/share/id/{shareId}", "POST")
def update_share(ctx: Context, call: Call) -> Reply:
    """Name, slug and parameters are all required (``canUpdateEntity``)."""
    issues = Issues()
    body = bodies.body_of(call, issues)
    name = bodies.text(issues, body, "name", max_length=200)
    slug = bodies.text(issues, body, "slug", max_length=100)
    parameters = bodies.record(issues, body, "parameters")
    bodies.raise_issues(issues)
    user = authenticate(ctx, call)
    share = ctx.store.share(check_website_id(call.params["shareId"]))
    if share is None:
        return not_found()
    if not can_change_entity(ctx, user, share.entity_id, WEBSITE_UPDATE):
        return UNAUTHORIZED
    taken = ctx.store.share_by_slug(slug)
    if taken is not None and taken is not share:
        return bare(500)  # the slug is unique: a constraint violation, unhandled
    share.name, share.slug, share.parameters, share.updated_at = name, slug, parameters, ctx.now()
    ctx.store.refresh_share_id(share.entity_id)
    return json_reply(share.as_json())


@route("/api/share/id/{shareId}", "DELETE")
def delete_share(ctx: Context, call: Call) -> Reply:
    user, share = _share_for(ctx, call)
    if not can_change_entity(ctx, user, share.entity_id, WEBSITE_DELETE):
        return UNAUTHORIZED
    ctx.store.remove_shares(share.entity_id, share.id)
    return OK


@route("/api/share/{slug}", "GET")
def share_by_slug(ctx: Context, call: Call) -> Reply:
    """No authentication: a website share answers its id, type, parameters, website and a share
    token (an HS256 JWT of those, signed with ``secret()``). White labels need Redis: none here."""
    share = ctx.store.share_by_slug(call.params["slug"])
    if share is None or share.share_type != WEBSITE_SHARE or share.entity_id not in ctx.store.websites:
        return not_found()  # links, pixels and boards are never stored here
    data: dict[str, Any] = {"shareId": share.id, "shareType": share.share_type, "parameters": share.parameters,
                            "websiteId": share.entity_id}  # fmt: skip
    data["token"] = ids.jwt_encode({**data, "iat": ctx.now_seconds()}, ctx.secret)
    return json_reply(data)
