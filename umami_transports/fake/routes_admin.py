"""Routes for the server, the account and the websites: heartbeat, auth, me, websites CRUD.

Server files: ``src/app/api/heartbeat``, ``auth/login``, ``auth/verify``, ``auth/logout``, ``me``,
``websites`` and ``websites/[websiteId]`` (GET, POST = update, DELETE). As in Umami's
``parseRequest``, the body or query is validated before the caller is authenticated.
"""

from __future__ import annotations

import re
from typing import Any

from umami_transports.fake import ids
from umami_transports.fake.app import UNAUTHORIZED, Abort, Call, Reply, authenticate, bare, json_reply, parse_json, route
from umami_transports.fake.context import Context
from umami_transports.fake.listing import paging_of, team_owner_websites, user_teams, user_websites
from umami_transports.fake.permissions import WEBSITE_CREATE, WEBSITE_DELETE, WEBSITE_UPDATE, can_change_entity, has_permission, may_in_team
from umami_transports.fake.store import Share, User, Website, uuid_column
from umami_transports.fake.validation import MISSING, Issues, bad_request

__all__ = ["can_view", "check_website_id", "website_json"]

def _validated(issues: Issues) -> None:
    if issues:
        raise Abort(json_reply(issues.envelope(), 400))


def check_website_id(website_id: str) -> str:
    """The id in PostgreSQL's canonical form; anything PostgreSQL cannot cast to uuid is an unhandled 500."""
    digits = website_id.strip("{}").replace("-", "")
    if not re.fullmatch(r"[0-9a-fA-F]{32}", digits):
        raise Abort(bare(500))
    digits = digits.lower()
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def can_view(ctx: Context, user: User, website: Website | None) -> bool:
    """``canViewWebsite``: admins see every website (even one that does not exist), users their own
    and their teams' (``src/permissions/website.ts``)."""
    if user.is_admin:
        return True
    if website is None:
        return False
    if website.user_id:
        return website.user_id == user.id
    return website.team_id is not None and ctx.store.team_user(website.team_id, user.id) is not None


def website_json(website: Website, *, with_user: User | None = None) -> dict[str, Any]:
    body = website.as_json()
    if with_user is not None:
        body["user"] = {"username": with_user.username, "id": with_user.id}
    body["shareId"] = website.share_id
    return body


@route("/", "GET")
def home(ctx: Context, call: Call) -> Reply:
    store = ctx.store
    sites = "".join(f"<li>{site.name} ({site.domain}): <code>{site.id}</code></li>" for site in store.websites.values())
    page = (
        "<!DOCTYPE html><html><head><title>Fake Umami</title></head><body><h1>Fake Umami</h1>"
        f"<p>An in-memory Umami 3.1 API for tests. Log in at <code>POST /api/auth/login</code>.</p><ul>{sites}</ul>"
        f"<p>{len(store.events)} events, {len(store.sessions)} sessions stored.</p></body></html>"
    )
    return Reply(200, raw=page.encode(), content_type="text/html; charset=utf-8")


@route("/api/heartbeat", "GET")
def heartbeat(ctx: Context, call: Call) -> Reply:
    return json_reply({"ok": True})


@route("/api/auth/login", "POST")
def login(ctx: Context, call: Call) -> Reply:
    issues = Issues()
    body = issues.object((), parse_json(call.body))
    if body is not None:
        username = issues.string(("username",), body.get("username", MISSING), optional=False)
        password = issues.string(("password",), body.get("password", MISSING), optional=False)
    _validated(issues)
    user = ctx.store.user_by_name(username)
    if user is None or user.password != password:
        return json_reply({"error": {"message": "Unauthorized", "code": "incorrect-username-password", "status": 401}}, 401)
    if user.two_factor_code is not None:  # newer servers (3.3+): a partial token, completed at /api/2fa/verify
        partial = ids.sign_token({"userId": user.id, "partial": True, "iat": ctx.now_seconds()}, ctx.token_key)
        return json_reply({"partialToken": partial, "requiresTwoFactor": True})
    return _logged_in(ctx, user)


def _logged_in(ctx: Context, user: User) -> Reply:
    token = ids.sign_token({"userId": user.id, "role": user.role, "iat": ctx.now_seconds()}, ctx.token_key)
    return json_reply({"token": token, "user": {**user.as_json(), "teams": _teams_brief(ctx, user)}})


@route("/api/2fa/verify", "POST")
def verify_two_factor(ctx: Context, call: Call) -> Reply:
    """The second step of a two-factor login, as the fake models it (Umami 3.1 has no 2FA; the
    contract names the route, not its body): the partial token as the Bearer credential (or the
    body's ``partialToken``) and the code as ``code``; the answer is the login's."""
    body = parse_json(call.body)
    body = body if isinstance(body, dict) else {}
    payload = ids.unsign_token(_bearer_of(call) or str(body.get("partialToken") or ""), ctx.token_key)
    user = ctx.store.users.get(str(payload.get("userId"))) if payload and payload.get("partial") else None
    if user is None:
        return UNAUTHORIZED
    if user.two_factor_code is None or body.get("code") != user.two_factor_code:
        return json_reply({"error": {"message": "Invalid code", "code": "invalid-two-factor-code", "status": 401}}, 401)
    return _logged_in(ctx, user)


def _bearer_of(call: Call) -> str | None:
    scheme, _, token = call.headers.get("authorization", "").partition(" ")
    return token if scheme.lower() == "bearer" and token else None


@route("/api/auth/verify", "POST")
def verify(ctx: Context, call: Call) -> Reply:
    user = authenticate(ctx, call)
    body: dict[str, Any] = {**user.as_json(), "teams": _teams_brief(ctx, user)}
    if ctx.cloud_mode or call.cloud:
        body["subscription"] = {"isPro": False, "isBusiness": False, "isNoBilling": True, "hasSubscription": False}
    return json_reply(body)


def _teams_brief(ctx: Context, user: User) -> list[dict[str, Any]]:
    """``getAllUserTeams``: id, name and logo of the user's teams."""
    return [{"id": team.id, "name": team.name, "logoUrl": team.logo_url} for team in user_teams(ctx, user.id)]


@route("/api/auth/logout", "POST")
def logout(ctx: Context, call: Call) -> Reply:
    authenticate(ctx, call)  # without Redis the token stays valid, as on the real server
    return json_reply({"ok": True})


@route("/api/me", "GET")
def me(ctx: Context, call: Call) -> Reply:
    user = authenticate(ctx, call)
    if call.cloud:
        key = ctx.store.api_keys[call.headers.get("x-umami-api-key") or call.headers.get("authorization", " ").split(" ")[1]]
        return json_reply({"apiKey": {"id": key.id, "name": key.name}, "authType": "api-key", "shareToken": None, "user": user.as_json()})
    token = call.headers.get("authorization", "").split(" ")[1]
    return json_reply({"token": token, "shareToken": None, "user": user.as_json()})


@route("/api/websites", "GET")
def list_websites(ctx: Context, call: Call) -> Reply:
    """The caller's websites (``includeTeams``: and those of teams the caller owns, without ``user``)."""
    paging = paging_of(call)
    user = authenticate(ctx, call)
    if call.query.get("includeTeams"):
        return json_reply(paging.envelope([website_json(site) for site in team_owner_websites(ctx, user.id, paging.search)]))
    return json_reply(paging.envelope([website_json(site, with_user=user) for site in user_websites(ctx, user.id, paging.search)]))


@route("/api/websites", "POST")
def create_website(ctx: Context, call: Call) -> Reply:
    issues = Issues()
    body = issues.object((), parse_json(call.body))
    if body is not None:
        name = issues.string(("name",), body.get("name", MISSING), max_length=100, optional=False)
        domain = issues.string(("domain",), body.get("domain", MISSING), max_length=500, optional=False)
        share_id = _nullable(issues, ("shareId",), body.get("shareId", MISSING), 50)
        team_id = _nullable(issues, ("teamId",), body.get("teamId", MISSING), None)
        website_id = body.get("id", MISSING)
        if website_id is not None:
            website_id = issues.uuid(("id",), website_id)
    _validated(issues)
    user = authenticate(ctx, call)
    team = team_id if isinstance(team_id, str) and team_id else None
    # canCreateTeamWebsite (an admin, or a team role granting website:create), and canCreateWebsite.
    if (team and not may_in_team(ctx, user, team, WEBSITE_CREATE)) or not (user.is_admin or has_permission(user.role, WEBSITE_CREATE)):
        return UNAUTHORIZED
    new_id = uuid_column(website_id) if isinstance(website_id, str) else ctx.store.new_id()
    if new_id in ctx.store.websites:
        return bare(500)  # unique constraint violation, unhandled
    now = ctx.now()
    # A team's website belongs to the team, not to its creator.
    site = Website(new_id, name, domain, None if team else user.id, user.id, now, now, team_id=team)
    ctx.store.websites[site.id] = site
    if isinstance(share_id, str) and share_id and not _share_website(ctx, site, share_id):
        return bare(500)  # the slug is taken: a constraint violation, unhandled (the website stays)
    return json_reply(website_json(site))


def _share_website(ctx: Context, website: Website, slug: str) -> bool:
    """The share a website's ``shareId`` makes (3.1 keeps shares in their own table); False when the slug is taken."""
    if ctx.store.share_by_slug(slug) is not None:
        return False
    now = ctx.now()
    ctx.store.add_share(Share(ctx.store.new_id(), website.id, website.name, 1, slug, {"overview": True, "events": True}, now, now))
    return True


def _nullable(issues: Issues, path: tuple[str | int, ...], value: object, max_length: int | None) -> Any:
    return None if value is None else issues.string(path, value, max_length=max_length)


def _website_for(ctx: Context, call: Call, user: User, permission: str | None = None) -> tuple[str, Website | None]:
    """The path's website once the caller may view it, and change it when ``permission`` is given
    (``canUpdateWebsite``/``canDeleteWebsite``: a team member needs it from their team role)."""
    website_id = check_website_id(call.params["websiteId"])
    website = ctx.store.live_website(website_id)
    if not can_view(ctx, user, website) or (permission and not can_change_entity(ctx, user, website_id, permission)):
        raise Abort(UNAUTHORIZED)
    return website_id, website


@route("/api/websites/{websiteId}", "GET")
def get_website(ctx: Context, call: Call) -> Reply:
    user = authenticate(ctx, call)
    _, website = _website_for(ctx, call, user)
    return json_reply(None if website is None else website_json(website))


@route("/api/websites/{websiteId}", "POST")
def update_website(ctx: Context, call: Call) -> Reply:
    issues = Issues()
    body = issues.object((), parse_json(call.body))
    if body is not None:
        name = issues.string(("name",), body.get("name", MISSING), max_length=100)
        domain = issues.string(("domain",), body.get("domain", MISSING), max_length=500)
        share_id = _nullable(issues, ("shareId",), body.get("shareId", MISSING), 50)
    _validated(issues)
    user = authenticate(ctx, call)
    _, website = _website_for(ctx, call, user, WEBSITE_UPDATE)
    if website is None:
        return bare(500)  # prisma's update of a missing row, unhandled
    website.name = website.name if name is MISSING else name
    website.domain = website.domain if domain is MISSING else domain
    website.updated_at = ctx.now()
    if share_id is None:
        ctx.store.remove_shares(website.id)  # null removes every share of the website
    elif isinstance(share_id, str) and share_id and not _share_website(ctx, website, share_id):
        return json_reply(bad_request("That share ID is already taken."), 400)
    return json_reply(website_json(website))


@route("/api/websites/{websiteId}", "DELETE")
def delete_website(ctx: Context, call: Call) -> Reply:
    user = authenticate(ctx, call)
    website_id, website = _website_for(ctx, call, user, WEBSITE_DELETE)
    if website is None:
        return bare(500)
    ctx.store.delete_website_data(website_id)
    ctx.store.remove_shares(website_id)
    del ctx.store.websites[website_id]
    return json_reply({"ok": True})
