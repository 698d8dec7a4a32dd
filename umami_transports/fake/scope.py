"""What a website data route reads: the caller's website, the parsed query and the rows in range.

Order of answers, as on the server: 400 for a bad query, 401 without a valid credential, a bare 500
for a website id PostgreSQL cannot cast, 401 when the caller may not view the website (an admin
may view any id, even an unknown one: all zeros), then the numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from umami_transports.fake.app import UNAUTHORIZED, Abort, Call, authenticate
from umami_transports.fake.context import Context
from umami_transports.fake.query import DATE_PARAMS, DataQuery, parse_query, require_range
from umami_transports.fake.routes_admin import can_view, check_website_id
from umami_transports.fake.stats import select
from umami_transports.fake.store import Event, Session, Website
from umami_transports.fake.validation import MISSING, Issues

__all__ = ["Scope", "page_of", "paging", "scope", "website_of"]

DEFAULT_PAGE_SIZE = 20
Extra = Callable[[Issues, dict[str, str]], dict[str, Any]]


def website_of(ctx: Context, call: Call) -> tuple[str, Website | None]:
    """The website of the path, once the caller is known and may view it (``canViewWebsite``)."""
    user = authenticate(ctx, call)
    website_id = check_website_id(call.params["websiteId"])
    website = ctx.store.live_website(website_id)
    if not can_view(ctx, user, website):
        raise Abort(UNAUTHORIZED)
    return website_id, website


@dataclass
class Scope:
    ctx: Context
    query: DataQuery
    website_id: str
    website: Website | None
    #: The range's start, no earlier than the website's reset (``setWebsiteDate``).
    start: datetime

    @property
    def end(self) -> datetime:
        return self.query.end

    @property
    def events(self) -> list[Event]:
        """Every stored row of the website, unfiltered."""
        return self.ctx.store.website_events(self.website_id)

    @property
    def sessions(self) -> dict[str, Session]:
        return self.ctx.store.sessions

    def rows(self, start: datetime | None = None, end: datetime | None = None, *, bounce_join: bool = True) -> list[Event]:
        """The rows of the range (or of ``start``-``end``) that pass the query's filters."""
        start, end = start or self.start, end or self.end
        return select(self.events, self.sessions, self.query, start, end, bounce_join=bounce_join)

    def extra(self, name: str) -> Any:
        return self.query.extra[name]


def scope(
    ctx: Context, call: Call, extra: Extra | None = None, *, required: bool = True, dated: tuple[str, ...] = DATE_PARAMS,
    int_range: bool = False, filtered: bool = True, needs_range: bool = True,
) -> Scope:  # fmt: skip
    """Parse the query (see :func:`~umami_transports.fake.query.parse_query`), then find the website.

    ``needs_range``: the route's SQL uses the range, so startDate/endDate alone are an unhandled 500.
    """
    query = parse_query(call, extra, required=required, dated=dated, int_range=int_range, filtered=filtered)
    website_id, website = website_of(ctx, call)
    if needs_range:
        require_range(query)
    start = query.start if website is None or website.reset_at is None else max(query.start, website.reset_at)
    return Scope(ctx, query, website_id, website, start)


def paging(issues: Issues, query: dict[str, str]) -> dict[str, Any]:
    """``pagingParams`` and ``searchParams``."""
    page = issues.number(("page",), query.get("page", MISSING), integer=True, positive=True)
    size = issues.number(("pageSize",), query.get("pageSize", MISSING), integer=True, positive=True)
    size = DEFAULT_PAGE_SIZE if size is MISSING else size
    return {"page": 1 if page is MISSING else page, "pageSize": size, "search": query.get("search")}


def page_of(rows: list[Any], chosen: dict[str, Any]) -> dict[str, Any]:
    """``pagedRawQuery``'s envelope (its ``orderBy`` is undefined, so absent)."""
    page, size = chosen["page"], chosen["pageSize"]
    return {"data": rows[size * (page - 1) : size * page], "count": len(rows), "page": page, "pageSize": size}
