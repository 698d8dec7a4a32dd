"""The numbers of the fake (umami-server.md section c), on a manual clock: stats, comparison, filters,
metrics, series, active visitors; and the website and account routes around them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from tests.fake.support import FIREFOX_LINUX, Raw
from umami_transports.fake import FakeUmami, ManualClock

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOON)


@pytest.fixture
def raw(clock: ManualClock) -> Raw:
    return Raw(FakeUmami(clock=clock))


def day(**query: Any) -> dict[str, Any]:
    return {"startAt": ms(NOON - timedelta(hours=12)), "endAt": ms(NOON + timedelta(hours=11, minutes=59)), **query}


def traffic(raw: Raw, clock: ManualClock) -> None:
    """Visitor A: 3 views over 2 minutes and an event; B: one view (a bounce) and an event; C (Firefox): 2 views in 2 hours."""
    raw.send({"url": "/", "ip": "203.0.113.1", "screen": "1920x1080", "language": "en-US", "referrer": "https://www.google.com/"})
    clock.advance(seconds=50)
    raw.send({"url": "/pricing", "ip": "203.0.113.1", "title": "Pricing"})
    raw.send({"url": "/pricing", "ip": "203.0.113.1", "name": "signup"})
    clock.advance(seconds=70)
    raw.send({"url": "/docs", "ip": "203.0.113.1"})
    raw.send({"url": "/pricing", "ip": "203.0.113.2", "title": "Pricing", "referrer": "https://t.co/x", "language": "de-DE"})
    raw.send({"url": "/pricing", "ip": "203.0.113.2", "name": "signup", "data": {"revenue": 5, "currency": "EUR"}})
    raw.send({"url": "/docs?page=2", "ip": "203.0.113.3", "screen": "390x844"}, ua=FIREFOX_LINUX)
    clock.advance(hours=1)
    raw.send({"url": "/", "ip": "203.0.113.3"}, ua=FIREFOX_LINUX)


def test_stats_formulas(raw: Raw, clock: ManualClock) -> None:
    traffic(raw, clock)
    status, stats = raw.site("stats", **day())
    assert status == 200
    # Custom events never count; C's two views are two visits (two clock hours), each a bounce.
    assert stats == {"pageviews": 6, "visitors": 3, "visits": 4, "bounces": 3, "totaltime": 120,
                     "comparison": {"pageviews": 0, "visitors": 0, "visits": 0, "bounces": 0, "totaltime": 0}}  # fmt: skip
    assert raw.site("stats", **day(excludeBounce="true"))[1]["pageviews"] == 3
    assert raw.site("stats", **day(event="signup"))[1]["pageviews"] == 0  # page views have no event name


def test_comparison_windows(raw: Raw, clock: ManualClock) -> None:
    for moment, path in (
        (NOON - timedelta(days=365), "/last-year"),
        (NOON - timedelta(minutes=59, seconds=30), "/early"),
        (NOON, "/today"),
    ):
        clock.set(moment)
        raw.send({"url": path, "ip": "203.0.113.9"})
    start, end = NOON - timedelta(hours=1), NOON + timedelta(minutes=59, seconds=59, milliseconds=999)
    stats = raw.site("stats", startAt=ms(start), endAt=ms(end))[1]
    # The span is 119.99 minutes; the server takes whole minutes (119), so the previous window ends at
    # 11:00:59.999 and overlaps this one: the view at 11:00:30 counts in both.
    assert (stats["pageviews"], stats["comparison"]["pageviews"]) == (2, 1)
    assert raw.site("stats", startAt=ms(start), endAt=ms(end), compare="yoy")[1]["comparison"]["pageviews"] == 1
    _, series = raw.site("pageviews", startAt=ms(start), endAt=ms(end), unit="hour", compare="prev")
    assert (series["startDate"], series["endDate"]) == ("2026-03-10T11:00:00.000Z", "2026-03-10T12:59:59.999Z")
    assert (series["compare"]["startDate"], series["compare"]["endDate"]) == ("2026-03-10T09:01:00.000Z", "2026-03-10T11:00:59.999Z")
    assert series["compare"]["pageviews"] == [{"x": "2026-03-10T11:00:00Z", "y": 1}]  # no timezone: UTC labels
    _, yoy = raw.site("pageviews", startAt=ms(start), endAt=ms(end), unit="hour", compare="yoy")
    assert yoy["compare"]["pageviews"] == [{"x": "2025-03-10T12:00:00Z", "y": 1}]


@pytest.mark.parametrize(
    ("filters", "pageviews"),
    [
        ({"path": "/pricing"}, 2), ({"path": "/pricing,/docs"}, 4), ({"path": "neq./pricing"}, 4), ({"path": "c.DOC"}, 2),
        ({"path": "dnc.doc"}, 4), ({"path": "re.^/(docs|pricing)$"}, 4), ({"path": "nre.^/$"}, 4), ({"query": "page=2"}, 1),
        ({"title": "Pricing"}, 2), ({"referrer": "eq.t.co"}, 1), ({"browser": "firefox"}, 2), ({"os": "Linux,Mac OS"}, 6),
        ({"language": "de-DE"}, 1), ({"path": "/docs", "browser": "firefox"}, 1),
        ({"path": "/docs", "browser": "firefox", "match": "any"}, 3),
        ({"os1": "Linux", "os2": "Mac OS"}, 0), ({"eventType": "1"}, 6), ({"eventType": "2"}, 0), ({"url": "/ignored"}, 6),
    ],
)  # fmt: skip
def test_filters(raw: Raw, clock: ManualClock, filters: dict[str, str], pageviews: int) -> None:
    traffic(raw, clock)
    assert raw.site("stats", **day(**filters))[1]["pageviews"] == pageviews


def test_unsupported_filter_operators_fail_like_the_server(raw: Raw) -> None:
    assert raw.site("stats", **day(path="gt.5")) == (500, b"")
    # 't.co' reads as operator 't' with value 'co' (umami-server.md 0.12): the server's SQL breaks too.
    assert raw.site("stats", **day(referrer="t.co")) == (500, b"")


def test_active_visitors_are_the_last_five_minutes_of_any_event(raw: Raw, clock: ManualClock) -> None:
    raw.send({"url": "/", "ip": "203.0.113.1"})
    clock.advance(minutes=3)
    raw.send({"url": "/", "ip": "203.0.113.2", "name": "only-an-event"})
    assert raw.site("active") == (200, {"visitors": 2})
    clock.advance(minutes=2, seconds=1)
    assert raw.site("active") == (200, {"visitors": 1})
    raw.send({"url": "/", "ip": "203.0.113.3", "timestamp": int((clock() - timedelta(minutes=10)).timestamp())})
    assert raw.site("active") == (200, {"visitors": 1})  # back-dated events are not active


def test_metrics(raw: Raw, clock: ManualClock) -> None:
    traffic(raw, clock)

    def metric(kind: str, **query: Any) -> Any:
        return raw.site("metrics", **day(type=kind, **query))[1]

    assert {row["x"]: row["y"] for row in metric("path")} == {"/": 2, "/pricing": 2, "/docs": 2}
    assert metric("path", limit=1, offset=1) == [metric("path")[1]]
    assert metric("path", search="pri") == [{"x": "/pricing", "y": 2}]
    assert metric("event") == [{"x": "signup", "y": 2}]
    assert metric("browser") == [{"x": "chrome", "y": 2}, {"x": "firefox", "y": 1}]
    assert metric("language") == [{"x": "de", "y": 1}, {"x": "en", "y": 1}]
    assert metric("referrer") == [{"x": "google.com", "y": 1}, {"x": "t.co", "y": 1}]
    assert metric("channel") == [{"x": "organicSearch", "y": 1}, {"x": "organicSocial", "y": 1}]
    assert metric("entry") == [{"x": "/", "y": 2}, {"x": "/docs", "y": 1}, {"x": "/pricing", "y": 1}]
    assert raw.site("metrics", **day(type="url")) == (400, {"error": {"message": "Bad request", "code": "bad-request", "status": 400}})
    status, body = raw.site("metrics", **day())
    assert (status, body["error"]["properties"]) == (400, {"type": {"errors": ["Invalid input: expected string, received undefined"]}})


def test_pageviews_series(raw: Raw, clock: ManualClock) -> None:
    clock.set(datetime(2026, 3, 10, 23, 30, tzinfo=timezone.utc))
    raw.send({"url": "/", "ip": "203.0.113.1"})
    raw.send({"url": "/", "ip": "203.0.113.1", "name": "not-a-view"})
    clock.advance(hours=1)
    raw.send({"url": "/", "ip": "203.0.113.2"})
    window = {"startAt": ms(NOON), "endAt": ms(NOON + timedelta(days=1))}
    assert raw.site("pageviews", unit="day", timezone="UTC", **window)[1] == {
        "pageviews": [{"x": "2026-03-10 00:00:00", "y": 1}, {"x": "2026-03-11 00:00:00", "y": 1}],
        "sessions": [{"x": "2026-03-10 00:00:00", "y": 1}, {"x": "2026-03-11 00:00:00", "y": 1}],
    }
    berlin = raw.site("pageviews", unit="day", timezone="Europe/Berlin", **window)[1]  # 00:30 and 01:30 on the 11th there
    assert berlin["pageviews"] == [{"x": "2026-03-11 00:00:00", "y": 2}] and berlin["sessions"] == [{"x": "2026-03-11 00:00:00", "y": 2}]
    assert raw.site("pageviews", unit="fortnight", **window)[1]["error"]["properties"] == {"unit": {"errors": ["Invalid unit"]}}
    assert raw.site("pageviews", timezone="Not/AZone", **window)[1]["error"]["properties"] == {"timezone": {"errors": ["Invalid timezone"]}}


def test_date_range_is_required(raw: Raw) -> None:
    either = ["Either startAt+endAt or startDate+endDate must be provided"]
    assert raw.site("stats")[1]["error"]["errors"] == either
    assert raw.site("stats", startDate="2026-01-01", endDate="2026-02-01") == (500, b"")  # accepted, then unusable (as on v3.1)


def test_website_routes(raw: Raw) -> None:
    fake, auth = raw.fake, {"Authorization": f"Bearer {raw.token}"}
    status, created = raw.request("POST", "/api/websites", {"name": "Blog", "domain": "blog.example"}, auth)
    assert status == 200 and created["domain"] == "blog.example" and "user" not in created
    status, listing = raw.get("/api/websites")
    assert (
        [site["name"] for site in listing["data"]] == ["Blog", "Example"]
        and listing["count"] == 2
        and listing["data"][0]["user"]["username"] == "admin"
    )
    assert raw.get("/api/websites", page=2, pageSize=1)[1]["data"][0]["id"] == fake.website_id
    assert raw.get("/api/websites", search="BLOG")[1] | {"data": None} == {
        "data": None,
        "count": 1,
        "page": 1,
        "pageSize": 20,
        "search": "BLOG",
    }
    assert raw.get("/api/websites", page=0)[0] == 400
    assert raw.request("POST", f"/api/websites/{created['id']}", {"name": "Journal"}, auth)[1]["name"] == "Journal"
    assert raw.request("DELETE", f"/api/websites/{created['id']}", headers=auth) == (200, {"ok": True})
    assert raw.get(f"/api/websites/{created['id']}") == (200, None)
    assert raw.get("/api/websites/not-a-uuid") == (500, b"")
    assert raw.request("POST", "/api/websites", {"name": "x" * 101, "domain": "x"}, auth)[0] == 400
    assert raw.request("POST", "/api/websites", {"name": "x", "domain": "x"})[0] == 401


def test_account_routes_and_permissions(raw: Raw) -> None:
    fake = raw.fake
    assert raw.request("POST", "/api/auth/verify", headers={"Authorization": f"Bearer {raw.token}"})[1]["username"] == "admin"
    _, me = raw.get("/api/me")
    assert me["token"] == raw.token and me["user"]["isAdmin"] is True
    assert raw.request("POST", "/api/auth/logout", headers={"Authorization": f"Bearer {raw.token}"}) == (200, {"ok": True})
    assert raw.get("/api/me")[0] == 200  # without Redis a token outlives logout, as on the server
    fake.revoke_tokens()
    assert raw.get("/api/me")[0] == 401
    fake.add_user("viewer", "secret", role="user")
    status, login = raw.request("POST", "/api/auth/login", {"username": "viewer", "password": "secret"})
    assert status == 200 and login["user"]["isAdmin"] is False
    viewer = {"Authorization": f"Bearer {login['token']}"}
    assert raw.request("GET", f"/api/websites/{fake.website_id}/active", headers=viewer)[0] == 401  # not their website
    assert raw.request("GET", "/api/websites", headers=viewer)[1]["count"] == 0
    assert raw.request("GET", "/api/does-not-exist", headers=viewer)[0] == 404
    assert raw.request("POST", "/api/heartbeat") == (405, b"")
    assert raw.request("GET", "/api/auth/verify") == (405, b"")


def test_cloud_paths_take_an_api_key(raw: Raw) -> None:
    key = raw.fake.create_api_key("ci")
    site = raw.fake.website_id
    for prefix in ("/v1", "/v1/eu", "/v1/us"):
        assert raw.request("GET", f"{prefix}/websites/{site}/active", headers={"x-umami-api-key": key}) == (200, {"visitors": 0})
    assert raw.request("GET", "/v1/me", headers={"x-umami-api-key": key})[1]["user"]["username"] == "admin"
    assert raw.request("GET", "/v1/websites", headers={"x-umami-api-key": "wrong"})[0] == 401
    assert raw.request("GET", "/api/websites", headers={"x-umami-api-key": key})[0] == 401  # self-hosted paths want a login token


def test_an_api_key_of_your_choosing(raw: Raw) -> None:
    viewer = raw.fake.add_user("viewer", "secret", role="user")
    assert raw.fake.create_api_key(key="your-cloud-api-key") == "your-cloud-api-key"
    raw.fake.create_api_key(user=viewer, key="viewer-key")
    assert raw.request("GET", "/v1/eu/me", headers={"x-umami-api-key": "your-cloud-api-key"})[1]["user"]["username"] == "admin"
    assert raw.request("GET", "/v1/me", headers={"x-umami-api-key": "viewer-key"})[1]["user"]["username"] == "viewer"
    assert raw.request("GET", "/v1/me", headers={"x-umami-api-key": "your-cloud-api-key "})[0] == 401
