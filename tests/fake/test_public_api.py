"""Every public function of ``umami``, sync and async, end to end against the fake Umami: in process
(FakeTransport) and over real HTTP on 127.0.0.1 with each transport (httpx, requests, aiohttp).

The set-up is the documented one for users' tests: the ``umami_fake`` / ``umami_fake_server``
fixtures of the pytest plugin, and ``umami.set_transport()``.
"""

from __future__ import annotations

import asyncio
import datetime
import inspect
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

import umami
from umami.errors import APIError, OperationNotAllowedError
from umami_transports import AiohttpTransport, RequestsTransport
from umami_transports.fake import FakeServer, FakeUmami

#: (how the fake is served, which flavour of the functions is called)
MODES = [("in-process", "sync"), ("in-process", "async"), ("httpx", "sync"), ("httpx", "async"), ("requests", "sync"), ("aiohttp", "async")]
CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
UNKNOWN_SITE = "00000000-0000-4000-8000-000000000000"


@dataclass
class Site:
    """The fake, how it is served, and a recorder of the public functions called."""

    fake: FakeUmami
    served: str
    flavour: str
    called: set[str] = field(default_factory=set)

    def call(self, name: str, /, *args: Any, **kwargs: Any) -> Any:
        """``umami.<name>(...)``, or ``umami.<name>_async(...)`` in a fresh event loop in the async flavour."""
        if self.flavour == "async":
            name += "_async"
            self.called.add(name)
            return asyncio.run(getattr(umami, name)(*args, **kwargs))
        self.called.add(name)
        return getattr(umami, name)(*args, **kwargs)

    def collect(self, name: str, /, *args: Any, **kwargs: Any) -> list[Any]:
        """Every item of ``umami.<name>(...)`` (an iterator), or of ``umami.<name>_async(...)`` in a fresh event loop."""
        if self.flavour == "async":
            name += "_async"
            self.called.add(name)

            async def gather() -> list[Any]:
                return [item async for item in getattr(umami, name)(*args, **kwargs)]

            return asyncio.run(gather())
        self.called.add(name)
        return list(getattr(umami, name)(*args, **kwargs))

    def local(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """A function without I/O (configuration), called the same way in both flavours."""
        self.called.add(name)
        return getattr(umami, name)(*args, **kwargs)


@pytest.fixture(params=MODES, ids=["-".join(mode) for mode in MODES])
def site(request: pytest.FixtureRequest) -> Iterator[Site]:
    served, flavour = request.param
    if served == "in-process":
        yield Site(request.getfixturevalue("umami_fake"), served, flavour)
        return
    server: FakeServer = request.getfixturevalue("umami_fake_server")
    transport = RequestsTransport() if served == "requests" else AiohttpTransport() if served == "aiohttp" else None
    if transport is not None:
        umami.set_transport(transport)
    try:
        yield Site(server.fake, served, flavour)
    finally:
        umami.set_transport(None)
        if transport is not None:
            transport.close()


def _window() -> tuple[datetime.datetime, datetime.datetime]:
    now = datetime.datetime.now(datetime.timezone.utc)
    return now - datetime.timedelta(hours=1), now + datetime.timedelta(minutes=1)


def public_functions() -> set[str]:
    return {name for name in umami.__all__ if inspect.isroutine(getattr(umami, name))}


def test_every_public_function(site: Site) -> None:
    fake = site.fake
    site.local("default_client")
    site.local("set_limits", deadline=20.0)
    assert umami.default_client().limits.deadline == 20.0
    assert site.call("heartbeat") is True
    assert site.local("is_logged_in") is False
    assert site.call("verify_token") is False

    login = site.call("login", fake.username, fake.password)
    assert (login.user.username, login.user.isAdmin) == ("admin", True)
    assert site.local("is_logged_in") is True
    assert site.call("verify_token") is True

    site.local("set_url_base", umami.default_client().config.url_base + "/")  # stripped again
    site.local("set_website_id", fake.website_id)
    site.local("set_hostname", "shop.example.com")
    view = site.call("new_page_view", "Home", "/", ip_address="203.0.113.7", referrer="https://www.google.com/?q=shoes")
    event = site.call("new_event", "add-to-cart", url="/cart", custom_data={"sku": "A-1", "qty": 2}, ip_address="203.0.113.7")
    paid = site.call("new_revenue_event", 49.5, currency="EUR", url="/checkout", ip_address="198.51.100.4", distinct_id="user-42")
    # Same IP and User-Agent (the library's browser one): one visitor; a distinct id makes another.
    assert view["sessionId"] == event["sessionId"] != paid["sessionId"]
    identified = site.call("identify", "user-42", {"plan": "pro"}, ip_address="198.51.100.4")
    assert identified["sessionId"] == paid["sessionId"]  # the distinct id makes the session

    site.local("disable")
    assert site.call("new_event", "not-sent") == {}
    site.local("enable")

    site.local("enable_background_sending", linger=0.01)
    assert site.call("new_event", "in-the-background", ip_address="203.0.113.7") == {"queued": True}
    assert site.call("flush", 5.0)
    delivered = site.local("delivery_stats")
    assert (delivered.queued, delivered.delivered, delivered.pending) == (1, 1, 0)
    assert site.local("shutdown", 5.0)
    assert site.local("disable_background_sending")  # already off: nothing to flush

    start, end = _window()
    stats = site.call("website_stats", start, end)
    # Custom and revenue events never count: one page view, one visitor, one visit, a bounce.
    assert (stats.pageviews, stats.visitors, stats.visits, stats.bounces, stats.totaltime) == (1, 1, 1, 1, 0)
    assert stats.comparison is not None and stats.comparison.pageviews == 0
    assert site.call("website_stats", start, end, url="/nowhere").pageviews == 0
    assert site.call("active_users") == 2  # custom events do count here
    assert [website.id for website in site.call("websites")] == [fake.website_id]
    assert site.call("call", "getMe")["user"]["username"] == "admin"
    assert [website["id"] for website in site.collect("iterate", "listWebsites")] == [fake.website_id]
    assert [(row.x, row.y) for row in site.call("metrics", "path", start, end)] == [("/", 1)]
    assert sum(point.y for point in site.call("pageview_series", start, end, unit="hour").pageviews) == 1
    assert [event.eventType for event in site.collect("events", start, end)].count(1) == 1
    assert len(site.collect("sessions", start, end)) == 2
    assert site.call("realtime").totals.views == 1
    assert site.call("date_range").startDate is not None
    assert [row.name for row in site.call("expanded_metrics", "path", start, end)] == ["/"]
    assert {point.x for point in site.call("event_series", start, end)} >= {"add-to-cart"}
    assert site.call("session_stats", start, end).visitors.value == 2
    assert sum(map(sum, site.call("weekly_sessions", start, end))) >= 1
    session_id = view["sessionId"]
    assert site.call("session", session_id).views == 1
    assert len(site.call("session_activity", session_id, start, end)) >= 2
    assert site.call("session_properties", session_id) == []
    assert [row.propertyName for row in site.call("session_data_properties", start, end)] == ["plan"]
    assert [row.value for row in site.call("session_data_values", "plan", start, end)] == ["pro"]
    assert ("add-to-cart", "sku") in {(row.eventName, row.propertyName) for row in site.call("event_data_properties", start, end)}
    assert [row.value for row in site.call("event_data_values", "add-to-cart", "sku", start, end)] == ["A-1"]
    assert site.call("event_data_stats", start, end).properties >= 2
    _reports(site, start, end)
    _management(site)

    api_key = fake.create_api_key()
    site.local("set_cloud_api_key", api_key, "eu")
    with pytest.raises(OperationNotAllowedError):
        site.call("login", fake.username, fake.password)
    if site.served == "in-process":  # over HTTP, Cloud mode goes to umami.is: see test_cloud_mode_over_http
        assert site.call("heartbeat") is True and site.call("verify_token") is True
        assert site.call("active_users") == 2
    site.local("clear_cloud_api_key")
    assert site.call("active_users") == 2

    site.local("set_api_key", "umami_a-self-hosted-key")  # replaces the login token (Umami 3.4+ keys)
    assert site.local("is_logged_in") is True
    site.local("set_transport", None if site.served != "in-process" else umami.default_client()._sync_transport)
    site.local("reset")
    assert site.call("heartbeat") is False and site.local("is_logged_in") is False

    assert [row.url_path for row in fake.page_views()] == ["/"]
    assert [row.event_name for row in fake.custom_events()] == ["add-to-cart", "revenue", "in-the-background"]
    site.local("close")
    asyncio.run(site.local("aclose"))
    flavour_functions = {name for name in public_functions() if name.endswith("_async") == (site.flavour == "async")}
    configuration = {name for name in public_functions() if not name.endswith("_async") and f"{name}_async" not in public_functions()}
    assert site.called == flavour_functions | configuration


def _reports(site: Site, start: datetime.datetime, end: datetime.datetime) -> None:
    """The reports over what test_every_public_function sent: a page view and two custom events of one
    visitor, and a revenue event of another."""
    steps = [("path", "/"), ("event", "add-to-cart")]
    assert [(step.value, step.visitors) for step in site.call("funnel", steps, start, end)] == [("/", 1), ("add-to-cart", 1)]
    goal = site.call("goal", "event", "add-to-cart", start, end)
    assert (goal.num, goal.total) == (1, 2)
    assert all(path.count >= 1 for path in site.call("journey", start, end, steps=2))
    assert [row.day for row in site.call("retention", start, end)][:1] == [0]
    assert site.call("utm", start, end).utm_source == []
    revenue = site.call("revenue", "EUR", start, end)
    assert (revenue.total.sum, revenue.total.count) == (49.5, 1)
    assert site.call("attribution", "/", start, end).total.visitors == 1
    assert [(row.path, row.views) for row in site.call("breakdown", ["path"], start, end)] == [("/", 1)]


def _management(site: Site) -> None:
    """Users, teams and members, websites and share links, made, changed and removed again."""
    fake = site.fake
    me = site.call("me").user
    assert me.username == fake.username
    assert [website.id for website in site.collect("my_websites")] == [fake.website_id]
    ada = site.call("create_user", "ada", "a-long-password")
    assert site.call("update_user", ada.id, role="view-only").role == "view-only"
    assert site.call("user", ada.id).username == "ada"
    team = site.call("create_team", "Growth")
    assert site.call("update_team", team.id, name="Growth EU").name == "Growth EU"
    assert site.call("add_team_member", team.id, ada.id).role == "team-member"
    assert site.call("update_team_member", team.id, ada.id, "team-view-only").role == "team-view-only"
    assert site.call("team_member", team.id, ada.id).userId == ada.id
    assert {member.userId for member in site.collect("team_members", team.id)} == {ada.id, me.id}
    assert [row.id for row in site.collect("teams")] == [team.id] == [row.id for row in site.collect("my_teams")]
    assert [row.id for row in site.collect("user_teams", ada.id)] == [team.id]
    assert site.call("team", team.id).name == "Growth EU"
    site.call("remove_team_member", team.id, ada.id)
    blog = site.call("create_website", "Blog", "blog.example.com", team_id=team.id)
    assert [row.id for row in site.collect("team_websites", team.id)] == [blog.id]
    assert site.call("update_website", name="Blog (EU)", website_id=blog.id).name == "Blog (EU)"
    assert site.call("website", website_id=blog.id).domain == "blog.example.com"
    assert list(site.collect("user_websites", ada.id)) == []
    site.call("reset_website", blog.id)
    share = site.call("create_website_share", "Public", website_id=blog.id)
    assert [row.id for row in site.collect("website_shares", website_id=blog.id)] == [share.id]
    assert site.call("update_share", share.id, "Public", "our-stats", {}).slug == "our-stats"
    assert site.call("share", share.id).slug == "our-stats"
    site.call("delete_share", share.id)
    site.call("delete_website", blog.id)
    code = site.call("team", team.id).accessCode
    site.call("login", "ada", "a-long-password")
    assert site.call("join_team", code).role == "team-member"
    assert site.call("change_password", "a-long-password", "another-long-password").username == "ada"
    site.call("login", fake.username, fake.password)
    site.call("delete_team", team.id)
    site.call("delete_user", ada.id)
    with pytest.raises(APIError):
        site.call("login", "ada", "another-long-password")
    site.call("login", fake.username, fake.password)


def test_sends_are_stored_as_the_server_stores_them(site: Site) -> None:
    fake = site.fake
    answer = site.call("new_page_view", "Pricing", "/pricing?utm_source=news#plans", ua=FIREFOX_LINUX, ip_address="203.0.113.9")
    site.call("new_event", "signup", url="/pricing", custom_data={"plan": "pro", "seats": 3}, ip_address="203.0.113.9", title="Sign up")
    site.call("new_revenue_event", 19.99, ip_address="203.0.113.9")
    site.call("new_page_view", "Home", "/", ip_address="203.0.113.9", distinct_id=42)

    (view, home) = fake.page_views()
    assert (view.url_path, view.url_query, view.page_title, view.utm["utm_source"]) == (
        "/pricing#plans",
        "utm_source=news",
        "Pricing",
        "news",
    )
    assert view.session_id == answer["sessionId"] and view.visit_id == answer["visitId"]
    assert view.payload["url"] == "/pricing?utm_source=news#plans"
    (signup,) = fake.custom_events(name="signup")
    assert (signup.page_title, signup.data) == ("Sign up", {"plan": "pro", "seats": 3})
    (revenue,) = fake.revenue()
    assert (revenue.revenue, revenue.currency, revenue.event_name) == (19.99, "USD", "revenue")
    # The library sends events with a Chrome-on-Mac User-Agent; the page view had Firefox's.
    sessions = {session.id: session for session in fake.sessions()}
    assert (sessions[view.session_id].browser, sessions[view.session_id].os) == ("firefox", "Linux")
    assert (sessions[signup.session_id].browser, sessions[signup.session_id].os, sessions[signup.session_id].device) == (
        "chrome",
        "Mac OS",
        "laptop",
    )
    assert sessions[home.session_id].distinct_id == "42" and home.session_id not in (view.session_id, signup.session_id)


def test_bots_are_answered_but_not_stored(site: Site) -> None:
    assert site.call("new_page_view", "Home", "/", ua="python-requests/2.31.0") == {"beep": "boop"}
    assert site.call("new_page_view", "Home", "/", ua="curl/8.5.0") == {"beep": "boop"}
    assert site.fake.events() == [] and site.fake.sessions() == []
    assert "sessionId" in site.call("new_page_view", "Home", "/", ua="")  # an empty User-Agent is not a bot
    (session,) = site.fake.sessions()
    assert (session.browser, session.os) == (None, None)


def test_server_errors_reach_the_caller(site: Site) -> None:
    with pytest.raises(APIError) as refused:
        site.call("login", "admin", "not-the-password")
    assert refused.value.status_code == 401
    if site.served == "httpx":
        assert isinstance(refused.value, httpx.HTTPStatusError)
    with pytest.raises(APIError) as unknown:
        site.call("new_event", "signup", website_id=UNKNOWN_SITE)
    assert (unknown.value.status_code, unknown.value.message) == (400, "Website not found.")
    site.call("login", "admin", "umami")
    start, end = _window()
    assert site.call("website_stats", start, end, website_id=UNKNOWN_SITE).pageviews == 0  # an admin sees zeros
    site.fake.revoke_tokens()
    with pytest.raises(APIError) as expired:
        site.call("active_users")
    assert expired.value.status_code == 401


def test_stats_filters(site: Site) -> None:
    for ip, ua, path in (("203.0.113.1", CHROME_WINDOWS, "/a"), ("203.0.113.2", FIREFOX_LINUX, "/a"), ("203.0.113.2", FIREFOX_LINUX, "/b")):
        site.call("new_page_view", path.upper(), path, ua=ua, ip_address=ip)
    site.call("login", "admin", "umami")
    start, end = _window()
    assert site.call("website_stats", start, end).pageviews == 3
    assert site.call("website_stats", start, end, url="/a").visitors == 2
    assert site.call("website_stats", start, end, browser="firefox").pageviews == 2
    assert site.call("website_stats", start, end, os="Windows 10,Linux").visitors == 2  # commas: any of them
    assert site.call("website_stats", start, end, title="/B").pageviews == 1
    assert site.call("website_stats", start, end, host="example.com").pageviews == 3
    assert site.call("website_stats", start, end, event="anything").pageviews == 0
    firefox = site.call("website_stats", start, end, browser="firefox")
    assert (firefox.visits, firefox.bounces) == (1, 0)
