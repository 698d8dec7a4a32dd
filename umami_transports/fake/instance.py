"""FakeUmami: one in-memory Umami server, with helpers to look at what it was sent."""

from __future__ import annotations

import secrets
import threading
from collections import Counter, deque
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from umami_core import Request, Response
from umami_transports.fake import (  # noqa: F401 - importing registers the routes
    app,
    collect,
    routes_admin,
    routes_data,
    routes_entities,
    routes_events,
    routes_expanded,
    routes_export,
    routes_reports,
    routes_sessions,
    routes_shares,
    routes_teams_write,
    routes_users,
    routes_users_write,
    routes_websites_write,
)
from umami_transports.fake.context import Clock, Context, system_clock
from umami_transports.fake.detect import Location
from umami_transports.fake.faults import Answer, FaultCounts, Faults, Injector, carry_out
from umami_transports.fake.store import ApiKey, Event, Revenue, Session, Store, Team, TeamUser, User, Website, uuid_column

__all__ = ["DEFAULT_APP_SECRET", "FakeUmami", "ManualClock"]

DEFAULT_APP_SECRET = "fake-umami-secret"


class ManualClock:
    """A clock that only moves when told to: ``FakeUmami(clock=ManualClock(...))`` for deterministic tests.

    Example::

        clock = ManualClock(datetime(2026, 5, 14, 10, 0, tzinfo=timezone.utc))
        fake = FakeUmami(clock=clock)
        clock.advance(minutes=10)
    """

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(timezone.utc)
        if self.now.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime (with a tzinfo).")

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move forward by ``delta`` or by ``timedelta(**parts)`` (seconds=..., minutes=...); returns the new time."""
        self.now += delta if delta is not None else timedelta(**parts)
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment


class FakeUmami:
    """An Umami 3.1 server in memory: the same answers, ids and numbers as the real one.

    Serve it in process with :class:`~umami_transports.fake.FakeTransport`, or over HTTP with
    :class:`~umami_transports.fake.FakeServer`. Starts with one admin user and one website.

    Args:
        clock: Returns the server's current time (an aware datetime); :class:`ManualClock` for tests.
        app_secret: The server's APP_SECRET (session and visit ids depend on it).
        username, password: The admin user's credentials.
        website_id, website_name, website_domain: The website created at start (a random id by default).
        create_website: False to start without a website.
        bot_check: False is the server's DISABLE_BOT_CHECK.
        client_ip_header: The server's CLIENT_IP_HEADER.
        ignore_ip: The server's IGNORE_IP: addresses or CIDR ranges answered 403.
        locations: Where IP addresses are (no GeoIP database here): ``{"203.0.113.7": Location("DE", "DE-BE", "Berlin")}``.
        cloud_mode: The server's CLOUD_MODE.
        faults: Requests to fail on purpose (:class:`~umami_transports.fake.Faults`); none by default.
        batch_limit: The most items ``/api/batch`` takes, as newer servers cap it (500); more are
            refused with a 400 and nothing of the batch is stored. None (3.1): no limit.
    """

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        app_secret: str = DEFAULT_APP_SECRET,
        username: str = "admin",
        password: str = "umami",
        website_id: str | None = None,
        website_name: str = "Example",
        website_domain: str = "example.com",
        create_website: bool = True,
        bot_check: bool = True,
        client_ip_header: str | None = None,
        ignore_ip: tuple[str, ...] = (),
        locations: Mapping[str, Location] | None = None,
        cloud_mode: bool = False,
        faults: Faults | None = None,
        batch_limit: int | None = None,
    ) -> None:
        self.context = Context(
            Store(), clock or system_clock, app_secret, bot_check, client_ip_header, tuple(ignore_ip), dict(locations or {}), cloud_mode,
            batch_limit,
        )  # fmt: skip
        self._lock = threading.RLock()
        self._injector = Injector(faults or Faults())
        self._fault_counts: Counter[int | str] = Counter()
        #: The requests received, oldest first (bot sends and rejected ones too; the last 10 000).
        self.requests: deque[Request] = deque(maxlen=10_000)
        self.username, self.password = username, password
        self.admin = self.add_user(username, password, role="admin")
        self.website: Website | None = None
        if create_website:
            self.website = self.create_website(website_name, website_domain, website_id=website_id)

    @property
    def store(self) -> Store:
        return self.context.store

    @property
    def website_id(self) -> str:
        """The id of the website created at start."""
        if self.website is None:
            raise LookupError("This FakeUmami was made with create_website=False.")
        return self.website.id

    @property
    def clock(self) -> Clock:
        """The server's clock (the ``clock`` argument: a :class:`ManualClock` can be moved through this)."""
        return self.context.clock

    def now(self) -> datetime:
        """The server's current time (UTC, to the millisecond)."""
        return self.context.now()

    def handle(self, request: Request, client_ip: str | None = "127.0.0.1") -> Response:
        """Answer one request (any host: only the path and query count), without injected faults."""
        with self._lock:
            self.requests.append(request)
            return app.handle(self.context, request, client_ip)

    def answer(self, request: Request, client_ip: str | None = "127.0.0.1") -> Answer:
        """Answer one request with the injected :attr:`faults`: what the transports serve.

        The request is processed (and its events stored) unless a fault comes before that; the
        transport then waits ``answer.delay`` seconds and sends ``answer.response``, or resets the
        connection when it is None.
        """
        path = urlsplit(request.url).path or "/"
        with self._lock:
            self.requests.append(request)
            faults = self._injector.faults
            fault = self._injector.draw(path, app.api_path(path)[0])
            if fault is not None:
                self._fault_counts[fault.status or fault.kind] += 1
            processed = fault is None or faults.after_store
            return carry_out(fault, app.handle(self.context, request, client_ip) if processed else None, faults)

    @property
    def faults(self) -> Faults:
        """The faults injected from now on; setting them (thread-safe) starts their draws from their seed again."""
        with self._lock:
            return self._injector.faults

    @faults.setter
    def faults(self, faults: Faults | None) -> None:
        with self._lock:
            self._injector = Injector(faults or Faults())

    @property
    def fault_counts(self) -> FaultCounts:
        """How many requests were failed on purpose so far, by kind (until :meth:`clear`)."""
        with self._lock:
            counts = self._fault_counts
            statuses = {key: counts[key] for key in sorted(key for key in counts if isinstance(key, int))}
            return FaultCounts(statuses, counts["reset"], counts["delay"])

    # -- setting up ------------------------------------------------------------------------------

    def add_user(self, username: str, password: str, role: str = "user", *, two_factor_code: str | None = None) -> User:
        """Add a user (role ``admin``, ``user`` or ``view-only``); with ``two_factor_code``, their login
        asks for that code as newer servers ask for an authenticator's (a partial token, then ``/api/2fa/verify``)."""
        with self._lock:
            user = User(self.store.new_id(), username, password, role, self.now(), two_factor_code=two_factor_code)
            self.store.users[user.id] = user
            return user

    def create_website(
        self, name: str, domain: str, *, website_id: str | None = None, owner: User | None = None, team: Team | None = None
    ) -> Website:
        """Add a website owned by ``owner`` (the admin by default), or by ``team`` (created by ``owner``);
        ``website_id`` must be a UUID."""
        website_id = uuid_column(website_id) if website_id is not None else self.store.new_id()
        with self._lock:
            now, owner = self.now(), owner or self.admin
            website = Website(website_id, name, domain, None if team else owner.id, owner.id, now, now, team_id=team.id if team else None)
            self.store.websites[website.id] = website
            return website

    def add_team(self, name: str, owner: User | None = None) -> Team:
        """Add a team owned by ``owner`` (the admin by default), with an access code as the server makes them."""
        with self._lock:
            now = self.now()
            team = Team(self.store.new_id(), name, "team_" + secrets.token_hex(8), now, now)
            self.store.teams[team.id] = team
            self.add_team_member(team, owner or self.admin, "team-owner")
            return team

    def add_team_member(self, team: Team, user: User, role: str = "team-member") -> TeamUser:
        """Add ``user`` to ``team`` (role team-owner, team-manager, team-member or team-view-only)."""
        with self._lock:
            now = self.now()
            member = TeamUser(self.store.new_id(), team.id, user.id, role, now, now)
            self.store.team_users.append(member)
            return member

    def create_api_key(self, name: str = "fake", user: User | None = None, *, key: str | None = None) -> str:
        """A Cloud API key (for ``x-umami-api-key`` on ``/v1`` paths) acting as ``user`` (the admin by default).

        ``key``: the key itself, e.g. the one a piece of code you test has written in (a random one by default).
        """
        with self._lock:
            key = key if key is not None else "api_" + secrets.token_urlsafe(24)
            self.store.api_keys[key] = ApiKey(key, self.store.new_id(), name, (user or self.admin).id)
            return key

    def revoke_tokens(self) -> None:
        """Invalidate every login token, as changing APP_SECRET would (to test expired sessions)."""
        with self._lock:
            self.context.token_key = secrets.token_hex(32)

    def clear(self) -> None:
        """Forget every event, session and revenue row, the requests and the fault counts (users, websites and keys stay)."""
        with self._lock:
            self.store.events.clear()
            self.store.sessions.clear()
            self.store.revenue.clear()
            self.store.orphan_session_data.clear()
            self.store.session_data.clear()
            self.requests.clear()
            self._fault_counts.clear()

    # -- looking at what was sent ----------------------------------------------------------------

    def events(self, website_id: str | None = None) -> list[Event]:
        """Every stored event row (page views, custom events...), oldest first; bot sends are not stored."""
        website_id = _as_stored(website_id)
        with self._lock:
            return [event for event in self.store.events if website_id is None or event.website_id == website_id]

    def page_views(self, website_id: str | None = None, *, url: str | None = None) -> list[Event]:
        """The stored page views (``url``: only those whose stored path is ``url``)."""
        return [event for event in self.events(website_id) if event.is_page_view and (url is None or event.url_path == url)]

    def custom_events(self, website_id: str | None = None, *, name: str | None = None) -> list[Event]:
        """The stored custom events (``name``: only those with that event name)."""
        return [event for event in self.events(website_id) if event.is_custom_event and (name is None or event.event_name == name)]

    def sessions(self, website_id: str | None = None) -> list[Session]:
        """The sessions the sends formed (one per visitor), in order of creation."""
        website_id = _as_stored(website_id)
        with self._lock:
            return [session for session in self.store.sessions.values() if website_id is None or session.website_id == website_id]

    def session_of(self, event: Event) -> Session | None:
        """The session an event belongs to."""
        with self._lock:
            return self.store.sessions.get(event.session_id)

    def revenue(self, website_id: str | None = None) -> list[Revenue]:
        """The revenue rows (events whose data had ``revenue > 0`` and a ``currency``)."""
        website_id = _as_stored(website_id)
        with self._lock:
            return [row for row in self.store.revenue if website_id is None or row.website_id == website_id]


def _as_stored(website_id: str | None) -> str | None:
    """A website id as the rows hold it, so the helpers take it in any letter case (as the server does)."""
    try:
        return None if website_id is None else uuid_column(website_id)
    except ValueError:
        return website_id  # not a UUID: matches no row
