"""Paged lists of Prisma's ``pagedQuery`` (``src/lib/prisma.ts``): the envelope and the website lists.

The envelope is ``{data, count, page, pageSize}``, with ``orderBy`` and ``search`` only when the
route set them (JSON drops undefined). Lists without an order keep the table's (here: creation) order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from umami_transports.fake.app import Abort, Call, json_reply
from umami_transports.fake.context import Context
from umami_transports.fake.store import Team, Website
from umami_transports.fake.validation import MISSING, Issues

__all__ = ["Paging", "paging_of", "team_owner_websites", "team_websites", "user_teams", "user_websites"]

DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True)
class Paging:
    page: int
    size: int
    search: str | None

    def envelope(self, rows: list[Any], *, order_by: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"data": rows[self.size * (self.page - 1) : self.size * self.page], "count": len(rows), "page": self.page,
                                "pageSize": self.size}  # fmt: skip
        if order_by is not None:
            body["orderBy"] = order_by
        if self.search is not None:
            body["search"] = self.search
        return body


def paging_of(call: Call, *, search: bool = True) -> Paging:
    """``pagingParams`` (and ``searchParams``), checked before the caller is: 400 with zod's envelope."""
    issues = Issues()
    page = issues.number(("page",), call.query.get("page", MISSING), integer=True, positive=True)
    size = issues.number(("pageSize",), call.query.get("pageSize", MISSING), integer=True, positive=True)
    if issues:
        raise Abort(json_reply(issues.envelope(), 400))
    size = DEFAULT_PAGE_SIZE if size is MISSING else size
    return Paging(1 if page is MISSING else page, size, call.query.get("search") if search else None)


def _searched(sites: list[Website], search: str | None) -> list[Website]:
    if not search:
        return sites
    needle = search.lower()
    return [site for site in sites if needle in site.name.lower() or needle in (site.domain or "").lower()]


def _newest_first(ctx: Context, sites: list[Website]) -> list[Website]:
    order = {site_id: index for index, site_id in enumerate(ctx.store.websites)}
    return sorted(sites, key=lambda site: (site.created_at, order[site.id]), reverse=True)


def user_websites(ctx: Context, user_id: str, search: str | None) -> list[Website]:
    """``getUserWebsites``: the user's own live websites (the fake lists them newest first)."""
    mine = [site for site in ctx.store.websites.values() if site.user_id == user_id and site.deleted_at is None]
    return _newest_first(ctx, _searched(mine, search))


def team_owner_websites(ctx: Context, user_id: str, search: str | None) -> list[Website]:
    """``getAllUserWebsitesIncludingTeamOwner``: the user's websites and those of teams the user owns."""
    owned = {member.team_id for member in ctx.store.team_users if member.user_id == user_id and member.role == "team-owner"}
    owned = {team_id for team_id in owned if team_id in ctx.store.teams and ctx.store.teams[team_id].deleted_at is None}
    sites = [site for site in ctx.store.websites.values()
             if site.deleted_at is None and (site.user_id == user_id or site.team_id in owned)]  # fmt: skip
    return _newest_first(ctx, _searched(sites, search))


def team_websites(ctx: Context, team_id: str, search: str | None) -> list[Website]:
    sites = [site for site in ctx.store.websites.values() if site.team_id == team_id and site.deleted_at is None]
    return _newest_first(ctx, _searched(sites, search))


def user_teams(ctx: Context, user_id: str) -> list[Team]:
    """Live teams ``user_id`` is a member of (``getUserTeams``, ``getAllUserTeams``)."""
    ids = {member.team_id for member in ctx.store.team_users if member.user_id == user_id}
    return [team for team in ctx.store.teams.values() if team.id in ids and team.deleted_at is None]
