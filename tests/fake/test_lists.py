"""The events and sessions of a website as lists, series and stats (Umami 3.1's shapes and rules)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from tests.fake.support import FIREFOX_LINUX, Raw
from umami_transports.fake import FakeUmami, ManualClock

NOON = datetime(2026, 5, 14, 12, 0, tzinfo=timezone.utc)  # a Thursday


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


RANGE = {"startAt": ms(NOON - timedelta(hours=2)), "endAt": ms(NOON + timedelta(hours=2))}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOON)


@pytest.fixture
def raw(clock: ManualClock) -> Raw:
    raw = Raw(FakeUmami(clock=clock))
    raw.send({"url": "/", "ip": "203.0.113.1", "id": "ann@example.com"})
    raw.send({"url": "/", "ip": "203.0.113.1", "name": "Signup", "id": "ann@example.com"})
    clock.advance(minutes=70)
    raw.send({"url": "/docs", "ip": "203.0.113.2"}, ua=FIREFOX_LINUX)
    raw.send({"url": "/docs", "ip": "203.0.113.2", "name": "search"}, ua=FIREFOX_LINUX)
    raw.send({"url": "/docs", "ip": "203.0.113.2", "name": "search"}, ua=FIREFOX_LINUX)
    raw.send({"url": "/docs", "ip": "203.0.113.2", "lcp": 1200}, kind="performance", ua=FIREFOX_LINUX)
    return raw


def test_events_list_pages_and_searches_exactly(raw: Raw) -> None:
    status, body = raw.site("events", **RANGE)
    assert status == 200 and body["count"] == 6 and (body["page"], body["pageSize"]) == (1, 20)
    assert [row["eventType"] for row in body["data"]] == [5, 2, 2, 1, 2, 1]  # newest first, performance rows too
    assert raw.site("events", page=2, pageSize=4, **RANGE)[1]["data"] == body["data"][4:]
    assert [row["eventName"] for row in raw.site("events", search="signup", **RANGE)[1]["data"]] == ["Signup"]  # ilike, no '%'
    assert raw.site("events", search="sign", **RANGE)[1]["count"] == 0
    assert [row["urlPath"] for row in raw.site("events", search="/d%", **RANGE)[1]["data"]] == ["/docs"]  # page views only
    assert raw.site("events", pageSize=0, **RANGE)[0] == 400


def test_events_series_and_stats(raw: Raw) -> None:
    status, body = raw.site("events/series", unit="hour", timezone="UTC", **RANGE)
    assert status == 200
    assert body == [{"x": "Signup", "t": "2026-05-14 12:00:00", "y": 1}, {"x": "search", "t": "2026-05-14 13:00:00", "y": 2}]
    top = raw.site("events/series", unit="hour", timezone="utc", limit=1, **RANGE)[1]
    assert top == [{"x": "search", "t": "2026-05-14T13:00:00Z", "y": 2}]  # 'utc': UTC labels
    status, missing = raw.site("events/series", **RANGE)
    assert status == 400
    assert missing["error"]["properties"] == {"timezone": {"errors": ["Invalid input: expected string, received undefined"]}}
    assert raw.site("events/stats", **RANGE) == (200, {"data": {
        "events": 3, "visitors": 2, "visits": 2, "uniqueEvents": 2,
        "comparison": {"events": 0, "visitors": 0, "visits": 0, "uniqueEvents": 0},
    }})  # fmt: skip


def test_sessions_list_search_stats_and_weekly(raw: Raw) -> None:
    status, body = raw.site("sessions", **RANGE)
    assert status == 200 and [row["browser"] for row in body["data"]] == ["firefox", "chrome"] and body["count"] == 2
    assert [row["views"] for row in body["data"]] == [1, 1] and [row["events"] for row in body["data"]] == [2, 1]
    assert [row["browser"] for row in raw.site("sessions", search="ANN@", **RANGE)[1]["data"]] == ["chrome"]  # the distinct id
    assert [row["browser"] for row in raw.site("sessions", search="fox", **RANGE)[1]["data"]] == ["firefox"]
    status, stats = raw.site("sessions/stats", **RANGE)
    assert status == 200 and stats == {"pageviews": {"value": 6}, "visitors": {"value": 2}, "visits": {"value": 2},
                                       "countries": {"value": 0}, "events": {"value": 3}}  # fmt: skip
    status, weekly = raw.site("sessions/weekly", timezone="Asia/Tokyo", **RANGE)
    assert status == 200 and len(weekly) == 7 and {len(day) for day in weekly} == {24}
    assert (weekly[4][21], weekly[4][22], sum(map(sum, weekly))) == (1, 1, 2)  # Thursday 21:00 and 22:00 in Tokyo
    assert raw.site("sessions/weekly", **RANGE)[0] == 400  # timezone is required there


def test_realtime_is_the_last_thirty_minutes(raw: Raw, clock: ManualClock) -> None:
    clock.advance(minutes=5, seconds=30)
    status, body = raw.get(f"/api/realtime/{raw.fake.website_id}", timezone="UTC")
    assert status == 200  # from 12:45 (this minute less 30): Bob's rows only, newest first, his session entry last
    assert [entry["__type"] for entry in body["events"]] == ["pageview", "event", "event", "pageview", "session"]
    assert body["urls"] == {"/docs": 4} and body["totals"] == {"views": 1, "visitors": 1, "events": 2, "countries": 0}
    assert body["series"]["views"] == [{"x": "2026-05-14 13:10:00", "y": 1}]
    assert raw.get(f"/api/realtime/{raw.fake.website_id}", timezone="Not/AZone")[0] == 500  # no schema: the SQL fails


@pytest.mark.parametrize("route", ["events", "sessions", "events/stats"])
def test_lists_need_a_range(raw: Raw, route: str) -> None:
    query: dict[str, Any] = {}
    status, body = raw.site(route, **query)
    assert status == 400 and body["error"]["errors"] == ["Either startAt+endAt or startDate+endDate must be provided"]
