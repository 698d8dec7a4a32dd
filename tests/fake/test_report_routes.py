"""The report runs (POST /api/reports/<type>) over a known set of sends, on a manual clock.

Day 1 (2026-03-10, one clock hour): A (Berlin) lands on / from news.example.org with utm and a gclid,
views /pricing, signs up (10 USD, plan pro) and reads /docs; B (Paris) lands on /pricing from t.co
and signs up (5.5 "usd"); C (Firefox) reads /docs?utm_source=news; D views / and buys (20.25 EUR).
Day 2: A views / again. Day 3: C reads /docs again.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from tests.fake.support import FIREFOX_LINUX, Raw
from umami_transports.fake import FakeUmami, ManualClock
from umami_transports.fake.detect import Location

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
RANGE = {"startDate": "2026-03-10T00:00:00Z", "endDate": "2026-03-12T23:59:59Z"}
A, B, C, D = "203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"


@pytest.fixture(scope="module")
def raw() -> Raw:
    clock = ManualClock(NOON)
    raw = Raw(FakeUmami(clock=clock, locations={A: Location("DE", "DE-BE", "Berlin"), B: Location("FR", "FR-IDF", "Paris")}))

    def send(seconds: int, ip: str, url: str, **extra: Any) -> None:
        clock.set(NOON + timedelta(seconds=seconds))
        ua = extra.pop("ua", None)
        status, _ = raw.send({"url": url, "ip": ip, "hostname": "example.com", **extra}, **({"ua": ua} if ua else {}))
        assert status == 200

    send(0, A, "/?utm_source=news&utm_medium=email&gclid=abc", referrer="https://news.example.org/a")
    send(10, B, "/pricing", referrer="https://t.co/x")
    send(20, B, "/pricing", name="signup", data={"revenue": 5.5, "currency": "usd"})
    send(30, C, "/docs?utm_source=news", ua=FIREFOX_LINUX)
    send(60, A, "/pricing")
    send(90, A, "/pricing", name="signup", data={"revenue": 10, "currency": "USD", "plan": "pro"})
    send(120, A, "/docs")
    send(180, D, "/")
    send(210, D, "/", name="buy", data={"revenue": 20.25, "currency": "EUR"})
    send(21 * 3600, A, "/")  # 2026-03-11 09:00
    send(45 * 3600, C, "/docs", ua=FIREFOX_LINUX)  # 2026-03-12 09:00
    return raw


def run(raw: Raw, kind: str, parameters: dict[str, Any], filters: dict[str, Any] | None = None, token: str | None = None,
        website_id: str | None = None) -> tuple[int, Any]:  # fmt: skip
    body = {"websiteId": website_id or raw.fake.website_id, "type": kind, "filters": filters or {}, "parameters": {**RANGE, **parameters}}
    return raw.request("POST", f"/api/reports/{kind}", body, {"Authorization": f"Bearer {token or raw.token}"})


def ok(raw: Raw, kind: str, parameters: dict[str, Any] | None = None, filters: dict[str, Any] | None = None) -> Any:
    status, body = run(raw, kind, parameters or {}, filters)
    assert status == 200, body
    return body


# -- funnel ------------------------------------------------------------------------------------------


def test_funnel_counts_sessions_step_by_step_within_the_window(raw: Raw) -> None:
    steps = [{"type": "path", "value": "/"}, {"type": "path", "value": "/pricing"}, {"type": "event", "value": "signup"}]
    # "/": A and D (D's buy event is on "/" too); "/pricing" after "/": only A; then A signs up.
    assert ok(raw, "funnel", {"window": 10, "steps": steps}) == [
        {"type": "path", "value": "/", "visitors": 2, "previous": 0, "dropped": 0, "dropoff": None, "remaining": 1},
        {"type": "path", "value": "/pricing", "visitors": 1, "previous": 2, "dropped": 1, "dropoff": 0.5, "remaining": 0.5},
        {"type": "event", "value": "signup", "visitors": 1, "previous": 1, "dropped": 0, "dropoff": 0, "remaining": 0.5},
    ]


def test_funnel_event_data_filters_and_wildcards(raw: Raw) -> None:
    pro = {"type": "event", "value": "signup", "filters": [{"property": "plan", "operator": "eq", "value": "pro"}]}
    plain = ok(raw, "funnel", {"window": 1, "steps": [{"type": "path", "value": "/pri*"}, {"type": "event", "value": "signup"}]})
    assert [step["visitors"] for step in plain] == [2, 2]  # A and B both sign up within a minute of /pricing
    filtered = ok(raw, "funnel", {"window": 1, "steps": [{"type": "path", "value": "/pricing"}, pro]})
    assert [step["visitors"] for step in filtered] == [2, 1]  # only A's signup has plan=pro
    assert filtered[1]["filters"] == pro["filters"] and filtered[1]["dropoff"] == 0.5


def test_funnel_first_step_takes_the_body_filters(raw: Raw) -> None:
    steps = [{"type": "path", "value": "/pricing"}, {"type": "event", "value": "signup"}]
    body = ok(raw, "funnel", {"window": 5, "steps": steps}, {"country": "FR"})
    assert [(step["visitors"], step["remaining"]) for step in body] == [(1, 1), (1, 1)]


# -- goal, journey, retention, utm -----------------------------------------------------------------


def test_goal_counts_sessions_that_reached_it_out_of_all(raw: Raw) -> None:
    assert ok(raw, "goal", {"type": "event", "value": "signup"}) == {"num": 2, "total": 4}
    assert ok(raw, "goal", {"type": "path", "value": "/docs"}) == {"num": 2, "total": 4}
    assert ok(raw, "goal", {"type": "path", "value": "/docs"}, {"browser": "firefox"}) == {"num": 1, "total": 1}
    # The goal's own event type (page views) replaces the filters' one, and the total takes none.
    assert ok(raw, "goal", {"type": "path", "value": "/pricing"}, {"eventType": 2}) == {"num": 2, "total": 4}


def test_journey_sequences_of_visits(raw: Raw) -> None:
    assert ok(raw, "journey", {"steps": 3}) == [
        {"items": ["/docs", None, None], "count": 2},
        {"items": ["/", "/pricing", "signup", None], "count": 1},
        {"items": ["/", "buy", None, None], "count": 1},
        {"items": ["/", None, None], "count": 1},
        {"items": ["/pricing", "signup", None, None], "count": 1},
    ]
    assert [row["items"][0] for row in ok(raw, "journey", {"steps": 3, "startStep": "/"})] == ["/", "/", "/"]
    ends = ok(raw, "journey", {"steps": 3, "endStep": "signup"})
    assert [row["items"] for row in ends] == [["/", "/pricing", "signup", None], ["/pricing", "signup", None, None]]
    # eventType 1: page views only, so A's first visit is /, /pricing, /docs; D's visit and A's second are just /.
    assert ok(raw, "journey", {"steps": 7, "eventType": 1, "startStep": "/"}) == [
        {"items": ["/", None], "count": 2}, {"items": ["/", "/pricing", "/docs", None], "count": 1},
    ]


def test_retention_day_buckets(raw: Raw) -> None:
    assert ok(raw, "retention") == [
        {"date": "2026-03-10T00:00:00Z", "day": 0, "visitors": 4, "returnVisitors": 4, "percentage": 100},
        {"date": "2026-03-10T00:00:00Z", "day": 1, "visitors": 4, "returnVisitors": 1, "percentage": 25},
        {"date": "2026-03-10T00:00:00Z", "day": 2, "visitors": 4, "returnVisitors": 1, "percentage": 25},
    ]
    # At UTC+14 day 1 starts at 02:00 local on the 11th, and A's return (23:00 local on the 11th) is day 0.
    assert ok(raw, "retention", {"timezone": "Pacific/Kiritimati"}) == [
        {"date": "2026-03-11 00:00:00", "day": 0, "visitors": 4, "returnVisitors": 4, "percentage": 100},
        {"date": "2026-03-11 00:00:00", "day": 1, "visitors": 4, "returnVisitors": 1, "percentage": 25},
    ]


def test_utm_counts_page_views_per_value(raw: Raw) -> None:
    body = ok(raw, "utm")
    assert list(body) == ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"]
    assert body == {"utm_source": [{"utm": "news", "views": 2}], "utm_medium": [{"utm": "email", "views": 1}],
                    "utm_campaign": [], "utm_term": [], "utm_content": []}  # fmt: skip
    assert ok(raw, "utm", filters={"browser": "firefox"})["utm_source"] == [{"utm": "news", "views": 1}]


# -- revenue, attribution, breakdown ---------------------------------------------------------------


def test_revenue_sums_per_currency(raw: Raw) -> None:
    body = ok(raw, "revenue", {"currency": "USD"})
    assert body["chart"] == [{"x": "signup", "t": "2026-03-10T00:00:00Z", "y": "15.5", "count": 2}]  # "usd" is USD upper-cased
    assert body["total"] == {
        "sum": "15.5", "count": 2, "unique_count": 2, "total_sessions": 4, "average": 7.75, "arpu": 3.875,
        "comparison": {"sum": None, "count": 0, "unique_count": 0, "total_sessions": 0, "average": 0, "arpu": 0},
    }  # fmt: skip
    assert body["country"] == [{"name": "DE", "value": "10"}, {"name": "FR", "value": "5.5"}]
    assert body["region"] == [{"country": "DE", "name": "DE-BE", "value": "10"}, {"country": "FR", "name": "FR-IDF", "value": "5.5"}]
    assert body["referrer"] == [{"name": "news.example.org", "value": "10"}, {"name": "t.co", "value": "5.5"}]
    assert body["channel"] == [{"name": "paidAds", "value": "10"}, {"name": "organicSocial", "value": "5.5"}]
    eur = ok(raw, "revenue", {"currency": "EUR", "unit": "hour"})
    assert eur["chart"] == [{"x": "buy", "t": "2026-03-10T12:00:00Z", "y": "20.25", "count": 1}]
    assert eur["channel"] == [{"name": "Unknown", "value": "20.25"}]  # D has no referrer: null is not ''
    assert ok(raw, "revenue", {"currency": "usd"})["total"]["sum"] is None  # the parameter is not upper-cased


def test_revenue_filters_apply_to_the_paying_event_not_to_the_session_count(raw: Raw) -> None:
    total = ok(raw, "revenue", {"currency": "USD"}, {"country": "DE"})["total"]
    assert (total["sum"], total["count"], total["total_sessions"], total["arpu"]) == ("10", 1, 4, 2.5)


def test_attribution_first_and_last_click(raw: Raw) -> None:
    first = ok(raw, "attribution", {"model": "first-click", "type": "event", "step": "signup"})
    assert first == {
        "referrer": [{"name": "news.example.org", "value": 1}, {"name": "t.co", "value": 1}],
        "paidAds": [{"name": "Google Ads", "value": 1}],
        "utm_source": [{"name": "news", "value": 1}], "utm_medium": [{"name": "email", "value": 1}],
        "utm_campaign": [], "utm_content": [], "utm_term": [],
        "total": {"pageviews": 2, "visitors": 2, "visits": 2},
    }  # fmt: skip
    # Last click: A's row before its signup is the bare /pricing view; B's is its view from t.co.
    last = ok(raw, "attribution", {"model": "last-click", "type": "event", "step": "signup"})
    assert (last["referrer"], last["paidAds"], last["utm_source"]) == ([{"name": "t.co", "value": 1}], [], [])
    docs = ok(raw, "attribution", {"model": "first-click", "type": "path", "step": "/docs"})
    assert docs["total"] == {"pageviews": 3, "visitors": 2, "visits": 3}
    assert docs["utm_source"] == [{"name": "news", "value": 2}]  # A's landing and C's both carry utm_source=news


def test_breakdown_groups_page_views(raw: Raw) -> None:
    assert ok(raw, "breakdown", {"fields": ["browser"]}) == [
        {"views": "6", "visitors": 3, "visits": 4, "bounces": 3, "totaltime": "120", "browser": "chrome"},
        {"views": "2", "visitors": 1, "visits": 2, "bounces": 2, "totaltime": "0", "browser": "firefox"},
    ]
    rows = ok(raw, "breakdown", {"fields": ["path", "country"]})
    # One visitor each; the ties on two views go by value. A bounce is one view of the group in a visit.
    assert rows[:2] == [
        {"views": "2", "visitors": 1, "visits": 2, "bounces": 2, "totaltime": "0", "path": "/", "country": "DE"},
        {"views": "2", "visitors": 1, "visits": 2, "bounces": 2, "totaltime": "0", "path": "/docs", "country": None},
    ]
    assert len(rows) == 6
    assert {"views": "1", "visitors": 1, "visits": 1, "bounces": 1, "totaltime": "0", "path": "/pricing", "country": "FR"} in rows


# -- validation, refusal, reset --------------------------------------------------------------------


def test_an_invalid_body_is_zods_400(raw: Raw) -> None:
    status, body = raw.request("POST", "/api/reports/funnel", {})
    assert status == 400  # validated before the caller: no token needed for the 400
    assert body["error"]["properties"] == {
        "websiteId": {"errors": ["Invalid input: expected string, received undefined"]},
        "filters": {"errors": ["Invalid input: expected object, received undefined"]},
        "type": {"errors": ["Invalid input"]},
    }
    status, body = run(raw, "funnel", {"endDate": "soon", "window": 0, "steps": [{"type": "page", "value": "/"}]})
    assert status == 400
    params = body["error"]["properties"]["parameters"]["properties"]
    assert params["endDate"] == {"errors": ["Invalid input: expected date, received Date"]}
    assert params["window"] == {"errors": ["Too small: expected number to be >0"]}
    assert params["steps"]["errors"] == ["Too small: expected array to have >=2 items"]
    assert params["steps"]["items"][0]["properties"]["type"] == {"errors": ['Invalid option: expected one of "path"|"event"']}
    status, body = run(raw, "journey", {"steps": 9}, {"eventType": "x"})
    assert body["error"]["properties"]["filters"]["properties"]["eventType"] == {"errors": ["Invalid input: expected number, received NaN"]}
    assert body["error"]["properties"]["parameters"]["properties"]["steps"] == {"errors": ["Too big: expected number to be <=7"]}


def test_a_website_the_user_cannot_view_is_refused(raw: Raw) -> None:
    fake = raw.fake
    if fake.store.user_by_name("outsider") is None:
        fake.add_user("outsider", "secret")
    status, login = raw.request("POST", "/api/auth/login", {"username": "outsider", "password": "secret"})
    assert status == 200
    status, body = run(raw, "goal", {"type": "event", "value": "signup"}, token=login["token"])
    assert (status, body["error"]["code"]) == (401, "unauthorized")
    status, _ = raw.request("POST", "/api/reports/utm", {"websiteId": fake.website_id, "type": "utm", "filters": {}, "parameters": RANGE})
    assert status == 401  # a valid body without a token
    # An admin may read any website id: an unknown one has no rows.
    unknown = "00000000-0000-4000-8000-000000000001"
    assert run(raw, "goal", {"type": "event", "value": "signup"}, website_id=unknown)[1] == {"num": 0, "total": 0}


def test_what_the_server_fails_on_is_a_bare_500(raw: Raw) -> None:
    assert run(raw, "breakdown", {"fields": []})[0] == 500
    assert run(raw, "utm", {}, {"segment": "00000000-0000-4000-8000-000000000002"})[0] == 500  # no such segment
    # A utm body passes the schema anywhere; the goal query needs its type and value.
    utm_body = {"websiteId": raw.fake.website_id, "type": "utm", "filters": {}, "parameters": RANGE}
    assert raw.request("POST", "/api/reports/goal", utm_body, {"Authorization": f"Bearer {raw.token}"})[0] == 500
    assert raw.get("/api/reports/funnel")[0] == 405


def test_reset_raises_the_start_except_for_the_journey() -> None:
    clock = ManualClock(NOON)
    raw = Raw(FakeUmami(clock=clock))
    raw.send({"url": "/old", "ip": A, "hostname": "example.com"})
    clock.set(datetime(2026, 3, 11, 9, 0, tzinfo=timezone.utc))
    raw.send({"url": "/new", "ip": B, "hostname": "example.com"})
    assert raw.fake.website is not None
    raw.fake.website.reset_at = datetime(2026, 3, 11, tzinfo=timezone.utc)
    assert ok(raw, "goal", {"type": "path", "value": "/old"}) == {"num": 0, "total": 1}
    assert sorted(row["items"][0] for row in ok(raw, "journey", {"steps": 2})) == ["/new", "/old"]
