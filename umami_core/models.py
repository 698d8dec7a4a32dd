"""The pydantic models returned by the query functions.

Every model ignores fields it does not know (newer servers add fields), and every field the
server may send as null is optional, so a real response is never rejected.
"""

from __future__ import annotations

from typing import Any, Optional

import pydantic

__all__ = ["LoginResponse", "User", "Website", "WebsiteStats", "WebsiteStatsCmp", "WebsiteUser", "WebsitesResponse"]

_LENIENT = pydantic.ConfigDict(extra="ignore", populate_by_name=True)


class User(pydantic.BaseModel):
    """An authenticated Umami user account, the user attribute of a LoginResponse.

    Attributes:
        id: The user's unique identifier.
        username: The login username.
        role: The account role (e.g. 'admin', 'user').
        createdAt: ISO 8601 timestamp of when the account was created.
        isAdmin: True if the account has administrator privileges.
    """

    model_config = _LENIENT

    id: str = pydantic.Field(description="The user's unique identifier.")
    username: str = pydantic.Field(description="The login username.")
    role: str = pydantic.Field(description="The account role (e.g. 'admin', 'user').")
    # Nullable in the server's schema (User.createdAt DateTime?).
    createdAt: Optional[str] = pydantic.Field(default=None, description="ISO 8601 timestamp of when the account was created.")
    isAdmin: bool = pydantic.Field(default=False, description="True if the account has administrator privileges.")


class LoginResponse(pydantic.BaseModel):
    """The result of authenticating against a self-hosted Umami instance, returned by login().

    Attributes:
        token: The bearer token used to authenticate subsequent data and management calls.
        user: The authenticated User account details.
    """

    model_config = _LENIENT

    token: str = pydantic.Field(description="The bearer token used to authenticate subsequent data and management calls.")
    user: User = pydantic.Field(description="The authenticated User account details.")

    def __repr_args__(self) -> Any:
        # pydantic's str() and repr() both come through here: keep the token out of them.
        return [("token", "***"), ("user", self.user)]


class WebsiteUser(pydantic.BaseModel):
    """A minimal reference to the user who owns or created a website.

    Attributes:
        username: The referenced user's login username.
        id: The referenced user's unique identifier.
    """

    model_config = _LENIENT

    username: str = pydantic.Field(description="The referenced user's login username.")
    id: str = pydantic.Field(description="The referenced user's unique identifier.")


class Website(pydantic.BaseModel):
    """A website registered in your Umami instance, as returned by websites().

    Attributes:
        id: The website's unique identifier (use this as the website_id elsewhere).
        name: The display name of the website, if set.
        domain: The website's domain (e.g. 'talkpython.fm').
        shareId: The public share identifier, or null when sharing is disabled.
        resetAt: Timestamp of the last stats reset, or null.
        userId: The owning user's id; null for team-website listings.
        createdAt: ISO 8601 timestamp of when the website was created.
        updatedAt: ISO 8601 timestamp of the last update.
        deletedAt: Soft-delete timestamp, or null if not deleted.
        teamId: The owning team's id, if the website belongs to a team.
        user: The owning user, populated for personal website listings.
        createUser: The creating user, populated for team-website listings.
    """

    model_config = _LENIENT

    id: str = pydantic.Field(description="The website's unique identifier (use this as the website_id elsewhere).")
    name: Optional[str] = pydantic.Field(default=None, description="The display name of the website, if set.")
    # domain, createdAt and updatedAt are nullable in the server's schema (model Website).
    domain: Optional[str] = pydantic.Field(default=None, description="The website's domain (e.g. 'talkpython.fm').")
    shareId: Any = pydantic.Field(default=None, description="The public share identifier, or null when sharing is disabled.")
    resetAt: Any = pydantic.Field(default=None, description="Timestamp of the last stats reset, or null.")
    userId: Optional[str] = pydantic.Field(default=None, description="The owning user's id; null for team-website listings.")
    createdAt: Optional[str] = pydantic.Field(default=None, description="ISO 8601 timestamp of when the website was created.")
    updatedAt: Optional[str] = pydantic.Field(default=None, description="ISO 8601 timestamp of the last update.")
    deletedAt: Any = pydantic.Field(default=None, description="Soft-delete timestamp, or null if not deleted.")
    teamId: Optional[str] = pydantic.Field(default=None, description="The owning team's id, if the website belongs to a team.")
    user: Optional[WebsiteUser] = pydantic.Field(default=None, description="The owning user, populated for personal website listings.")
    createUser: Optional[WebsiteUser] = pydantic.Field(
        default=None, description="The creating user, populated for team-website listings."
    )


class WebsiteStatsCmp(pydantic.BaseModel):
    """Prior-period comparison totals, the comparison attribute of WebsiteStats.

    Attributes:
        pageviews: Number of page views in the comparison period.
        visitors: Number of unique visitors in the comparison period.
        visits: Number of sessions in the comparison period.
        bounces: Number of single-page sessions in the comparison period.
        totaltime: Total engagement time in seconds for the comparison period.
    """

    model_config = _LENIENT

    pageviews: int = pydantic.Field(ge=0, description="Number of page views in the comparison period.")
    visitors: int = pydantic.Field(ge=0, description="Number of unique visitors in the comparison period.")
    visits: int = pydantic.Field(ge=0, description="Number of sessions in the comparison period.")
    bounces: int = pydantic.Field(ge=0, description="Number of single-page sessions in the comparison period.")
    totaltime: int = pydantic.Field(ge=0, description="Total engagement time in seconds for the comparison period.")


class WebsiteStats(pydantic.BaseModel):
    """Aggregate traffic statistics for a website over a time range, returned by website_stats().

    Attributes:
        pageviews: Total number of page views.
        visitors: Number of unique visitors.
        visits: Number of sessions.
        bounces: Number of single-page sessions.
        totaltime: Total engagement time in seconds.
        comparison: Prior-period totals as a WebsiteStatsCmp, or None when the API does not
            return a comparison block.
    """

    model_config = _LENIENT

    pageviews: int = pydantic.Field(ge=0, description="Total number of page views.")
    visitors: int = pydantic.Field(ge=0, description="Number of unique visitors.")
    visits: int = pydantic.Field(ge=0, description="Number of sessions.")
    bounces: int = pydantic.Field(ge=0, description="Number of single-page sessions.")
    totaltime: int = pydantic.Field(ge=0, description="Total engagement time in seconds.")
    comparison: Optional[WebsiteStatsCmp] = pydantic.Field(
        default=None, description="Prior-period totals as a WebsiteStatsCmp, or None when the API returns no comparison block."
    )


class WebsitesResponse(pydantic.BaseModel):
    """The paged envelope of ``/api/websites``; websites() unwraps it and follows every page.

    The websites field is populated from the API's ``data`` key (a pydantic alias): when
    constructing this model from raw API JSON, pass ``data=...``.

    Attributes:
        websites: The list of Website records on this page (aliased from API 'data').
        count: The total number of websites across all pages.
        page: The current page number.
        pageSize: The number of records per page.
        orderBy: The field results are ordered by, if specified.
    """

    model_config = _LENIENT

    websites: list[Website] = pydantic.Field(
        alias="data", description="The list of Website records on this page (aliased from API 'data')."
    )
    count: int = pydantic.Field(ge=0, description="The total number of websites across all pages.")
    page: int = pydantic.Field(ge=0, description="The current page number.")
    pageSize: int = pydantic.Field(ge=0, description="The number of records per page.")
    orderBy: Optional[str] = pydantic.Field(default=None, description="The field results are ordered by, if specified.")
