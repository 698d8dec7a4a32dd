"""The fake's tables, in memory: users, API keys, websites, teams, shares, sessions, events, event data, revenue.

The rows mirror Umami's PostgreSQL schema (``prisma/schema.prisma``): a session is written by the
first send that forms it and never updated ("first event wins"); an event row is one page view
(``event_type`` 1), custom event (2), link hit (3), pixel hit (4) or performance sample (5).
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from umami_transports.fake.data import DataRow, SessionDatum

__all__ = ["ApiKey", "Event", "Revenue", "Session", "Share", "Store", "Team", "TeamUser", "User", "Website", "iso", "uuid_column"]

PAGE_VIEW, CUSTOM_EVENT, LINK_EVENT, PIXEL_EVENT, PERFORMANCE = 1, 2, 3, 4, 5


def iso(moment: datetime | None) -> str | None:
    """JavaScript's ``toISOString()``: UTC, milliseconds, ``Z``."""
    if moment is None:
        return None
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def uuid_column(value: str) -> str:
    """What a PostgreSQL uuid column holds for ``value`` (any letter case): the lower-case, hyphenated form."""
    return str(uuid.UUID(value))


@dataclass
class User:
    id: str
    username: str
    password: str = field(repr=False)
    role: str = "admin"
    created_at: datetime | None = None
    #: The fake's stand-in for an authenticator app: the code that completes this user's login.
    two_factor_code: str | None = field(default=None, repr=False)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "username": self.username, "role": self.role, "createdAt": iso(self.created_at), "isAdmin": self.is_admin}


@dataclass
class ApiKey:
    key: str = field(repr=False)
    id: str
    name: str
    user_id: str


@dataclass
class Team:
    id: str
    name: str
    access_code: str | None
    created_at: datetime
    updated_at: datetime
    logo_url: str | None = None
    deleted_at: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "accessCode": self.access_code, "logoUrl": self.logo_url,
                "createdAt": iso(self.created_at), "updatedAt": iso(self.updated_at), "deletedAt": iso(self.deleted_at)}  # fmt: skip


@dataclass
class TeamUser:
    """A member of a team: role team-owner, team-manager, team-member or team-view-only."""

    id: str
    team_id: str
    user_id: str
    role: str
    created_at: datetime
    updated_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "teamId": self.team_id, "userId": self.user_id, "role": self.role, "createdAt": iso(self.created_at),
                "updatedAt": iso(self.updated_at)}  # fmt: skip


@dataclass
class Website:
    id: str
    name: str
    domain: str | None
    user_id: str | None
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    reset_at: datetime | None = None
    share_id: str | None = None
    team_id: str | None = None
    deleted_at: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "domain": self.domain, "resetAt": iso(self.reset_at), "userId": self.user_id,
            "teamId": self.team_id, "createdBy": self.created_by, "createdAt": iso(self.created_at), "updatedAt": iso(self.updated_at),
            "deletedAt": iso(self.deleted_at), "replayEnabled": False, "replayConfig": None,
        }  # fmt: skip


@dataclass
class Share:
    """A share link of an entity (a website here: share type 1), found by its ``slug``."""

    id: str
    entity_id: str
    name: str
    share_type: int
    slug: str
    parameters: dict[str, Any]
    created_at: datetime
    updated_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "entityId": self.entity_id, "name": self.name, "shareType": self.share_type, "slug": self.slug,
                "parameters": self.parameters, "createdAt": iso(self.created_at), "updatedAt": iso(self.updated_at)}  # fmt: skip


@dataclass
class Session:
    """A visitor as Umami forms it: attributes of the session's first send."""

    id: str
    website_id: str
    browser: str | None
    os: str | None
    device: str | None
    screen: str | None
    language: str | None
    country: str | None
    region: str | None
    city: str | None
    distinct_id: str | None
    created_at: datetime
    #: The ``data`` of ``identify`` sends (session_data), last value per key.
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Event:
    """One stored event row; ``payload`` is the send's payload exactly as it arrived."""

    id: str
    website_id: str
    session_id: str
    visit_id: str
    created_at: datetime
    event_type: int
    url_path: str
    url_query: str
    referrer_path: str | None
    referrer_query: str | None
    referrer_domain: str | None
    page_title: str | None
    hostname: str | None
    event_name: str | None
    tag: str | None
    utm: dict[str, str | None]
    data: dict[str, Any] | None
    payload: dict[str, Any] = field(repr=False)
    seq: int = field(default=0, repr=False)
    #: The event_data rows of ``data`` (none when the server failed to write them).
    data_rows: tuple[DataRow, ...] = field(default=(), repr=False)

    @property
    def is_page_view(self) -> bool:
        return self.event_type == PAGE_VIEW

    @property
    def is_custom_event(self) -> bool:
        return self.event_type == CUSTOM_EVENT

    @property
    def has_data(self) -> bool:
        return bool(self.data)


@dataclass
class Revenue:
    id: str
    website_id: str
    session_id: str
    event_id: str
    event_name: str | None
    currency: str
    revenue: float
    created_at: datetime


@dataclass
class Store:
    """Every table. Not thread-safe by itself: FakeUmami serialises access with its lock."""

    users: dict[str, User] = field(default_factory=dict)
    api_keys: dict[str, ApiKey] = field(default_factory=dict)
    websites: dict[str, Website] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    team_users: list[TeamUser] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    sessions: dict[str, Session] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    revenue: list[Revenue] = field(default_factory=list)
    #: session_data of sessions that have no session row (an identify that reused a cache token).
    orphan_session_data: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: The session_data table: session id -> data key -> row (an identify updates a key in place).
    session_data: dict[str, dict[str, SessionDatum]] = field(default_factory=dict)
    _seq: itertools.count[int] = field(default_factory=itertools.count, repr=False)

    @staticmethod
    def new_id() -> str:
        return str(uuid.uuid4())

    def next_seq(self) -> int:
        return next(self._seq)

    def user_by_name(self, username: str) -> User | None:
        return next((user for user in self.users.values() if user.username == username), None)

    def team_user(self, team_id: str, user_id: str) -> TeamUser | None:
        return next((member for member in self.team_users if member.team_id == team_id and member.user_id == user_id), None)

    def live_website(self, website_id: str) -> Website | None:
        website = self.websites.get(website_id)
        return website if website is not None and website.deleted_at is None else None

    def website_events(self, website_id: str) -> list[Event]:
        return [event for event in self.events if event.website_id == website_id]

    def delete_website_data(self, website_id: str) -> None:
        self.events = [event for event in self.events if event.website_id != website_id]
        self.revenue = [row for row in self.revenue if row.website_id != website_id]
        self.sessions = {key: session for key, session in self.sessions.items() if session.website_id != website_id}
        for session_id, rows in list(self.session_data.items()):
            if any(datum.website_id == website_id for datum in rows.values()):
                del self.session_data[session_id]

    # -- shares, and deleting users and teams as ``src/queries/prisma/{share,user,team}.ts`` do ------

    def share(self, share_id: str) -> Share | None:
        return next((share for share in self.shares if share.id == share_id), None)

    def share_by_slug(self, slug: str) -> Share | None:
        return next((share for share in self.shares if share.slug == slug), None)

    def entity_shares(self, entity_id: str) -> list[Share]:
        """The entity's shares, newest first (ties: the later created first)."""
        mine = [(index, share) for index, share in enumerate(self.shares) if share.entity_id == entity_id]
        return [share for _, share in sorted(mine, key=lambda item: (item[1].created_at, item[0]), reverse=True)]

    def add_share(self, share: Share) -> None:
        self.shares.append(share)
        self.refresh_share_id(share.entity_id)

    def remove_shares(self, entity_id: str, share_id: str | None = None) -> None:
        """The entity's shares (only ``share_id`` when given)."""
        self.shares = [share for share in self.shares if share.entity_id != entity_id or share_id not in (None, share.id)]
        self.refresh_share_id(entity_id)

    def refresh_share_id(self, entity_id: str) -> None:
        """A website's ``shareId`` is the slug of its newest share (``attachShareIdToWebsite``)."""
        website = self.websites.get(entity_id)
        if website is not None:
            newest = self.entity_shares(entity_id)
            website.share_id = newest[0].slug if newest else None

    def remove_team(self, team_id: str) -> None:
        """The team and its memberships; its websites stay, without a team (Prisma's SetNull)."""
        self.team_users = [member for member in self.team_users if member.team_id != team_id]
        self.teams.pop(team_id, None)
        for website in self.websites.values():
            if website.team_id == team_id:
                website.team_id = None

    def remove_user(self, user_id: str) -> None:
        """The user, their websites with their data, their memberships and the teams they own."""
        for website_id in [site.id for site in self.websites.values() if site.user_id == user_id]:
            self.delete_website_data(website_id)
            del self.websites[website_id]
        owned = {member.team_id for member in self.team_users if member.user_id == user_id and member.role == "team-owner"}
        self.team_users = [member for member in self.team_users if member.user_id != user_id]
        for team_id in owned:
            self.remove_team(team_id)
        for website in self.websites.values():
            if website.created_by == user_id:
                website.created_by = None  # Prisma's SetNull on the createUser relation
        del self.users[user_id]
