"""Pydantic models of Umami's management answers: users, teams and their members, share links, and
who you are (``getMe``).

Shapes are taken from the server's source, not from a recording: Umami 3.1.0's routes under
``src/app/api/{users,teams,me,share}`` and the Prisma selects in ``src/queries/prisma/{user,team,
teamUser,share}.ts``. Every model keeps fields it does not know (``extra="allow"``: a newer server
adds some), and every field the server may leave out or send as null is optional.
"""

from __future__ import annotations

from typing import Any, Optional

import pydantic

from umami_core.models import Website

__all__ = ["Account", "Me", "MemberUser", "ShareLink", "Team", "TeamCounts", "TeamMember", "Website"]

_TOLERANT = pydantic.ConfigDict(extra="allow", populate_by_name=True)


class Account(pydantic.BaseModel):
    """A user account as the management routes answer it (never with its password)."""

    model_config = _TOLERANT

    id: str = pydantic.Field(description="The user's id (a UUID).")
    username: str = pydantic.Field(description="The login name.")
    role: str = pydantic.Field(description="'admin', 'user' or 'view-only'.")
    createdAt: Optional[str] = pydantic.Field(default=None, description="When the account was made (ISO 8601).")
    updatedAt: Optional[str] = pydantic.Field(default=None, description="When it last changed, if the server says.")
    isAdmin: Optional[bool] = pydantic.Field(default=None, description="True for administrators, where the server says.")


class MemberUser(pydantic.BaseModel):
    """The user of a team membership, as team member lists include it."""

    model_config = _TOLERANT

    id: str
    username: str


class TeamMember(pydantic.BaseModel):
    """A user's membership of a team, with its role ('team-owner', 'team-manager', 'team-member', 'team-view-only')."""

    model_config = _TOLERANT

    id: str = pydantic.Field(description="The membership's id (not the user's).")
    teamId: str
    userId: str
    role: str
    createdAt: Optional[str] = None
    updatedAt: Optional[str] = None
    user: Optional[MemberUser] = pydantic.Field(default=None, description="The member, in member lists.")


class TeamCounts(pydantic.BaseModel):
    """How many websites and members a team has (``_count`` in team lists)."""

    model_config = _TOLERANT

    websites: int = 0
    members: int = 0


class Team(pydantic.BaseModel):
    """A team: the websites and members it holds are read with team_websites() and team_members()."""

    model_config = _TOLERANT

    id: str
    name: str
    accessCode: Optional[str] = pydantic.Field(default=None, description="The code join_team() takes.")
    logoUrl: Optional[str] = None
    createdAt: Optional[str] = None
    updatedAt: Optional[str] = None
    deletedAt: Optional[str] = None
    members: Optional[list[TeamMember]] = pydantic.Field(default=None, description="Its members, where the answer includes them.")
    counts: Optional[TeamCounts] = pydantic.Field(default=None, alias="_count", description="Website and member counts, in team lists.")


class ShareLink(pydantic.BaseModel):
    """A public share link: ``slug`` is the end of its URL (``/share/{slug}``)."""

    model_config = _TOLERANT

    id: str
    entityId: str = pydantic.Field(description="What is shared: a website's, link's, pixel's or board's id.")
    shareType: Optional[int] = pydantic.Field(default=None, description="What kind of thing entityId is (1 is a website).")
    name: Optional[str] = None
    slug: str
    parameters: Optional[dict[str, Any]] = pydantic.Field(default=None, description="What the shared view shows.")
    createdAt: Optional[str] = None
    updatedAt: Optional[str] = None


class Me(pydantic.BaseModel):
    """Who the credentials belong to (``getMe``): the user, and how they are authenticated.

    The server also echoes the login token: it is dropped, so no repr, log or pickle of a Me holds it.
    """

    model_config = _TOLERANT

    @pydantic.model_validator(mode="before")
    @classmethod
    def _without_token(cls, data: Any) -> Any:
        return {key: value for key, value in data.items() if key != "token"} if isinstance(data, dict) else data

    user: Account
    authType: Optional[str] = pydantic.Field(default=None, description="'api-key' for an API key.")
    shareToken: Optional[str] = None
