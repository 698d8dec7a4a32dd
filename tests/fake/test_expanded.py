"""metrics/expanded and values: a metric's values with their visits and time, and a filter's values."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.fake.support import FIREFOX_LINUX, Raw
from umami_transports.fake import FakeUmami, ManualClock

NOON = datetime(2026, 5, 14, 12, 0, tzinfo=timezone.utc)
RANGE = {"startAt": int((NOON - timedelta(hours=1)).timestamp() * 1000), "endAt": int((NOON + timedelta(hours=1)).timestamp() * 1000)}


@pytest.fixture
def raw() -> Raw:
    clock = ManualClock(NOON)
    raw = Raw(FakeUmami(clock=clock))
    raw.send({"url": "/", "hostname": "example.com", "referrer": "https://www.google.de/", "ip": "203.0.113.1"})
    clock.advance(seconds=30)
    raw.send({"url": "/docs", "hostname": "example.com", "ip": "203.0.113.1"})
    raw.send({"url": "/docs", "hostname": "example.com", "ip": "203.0.113.1", "name": "copy"})
    raw.send({"url": "/docs", "hostname": "example.com", "referrer": "https://news.ycombinator.com/", "ip": "203.0.113.2"},
             ua=FIREFOX_LINUX)  # fmt: skip
    return raw


def test_expanded_path_metrics(raw: Raw) -> None:
    status, body = raw.site("metrics/expanded", type="path", **RANGE)
    assert status == 200 and body == [
        {"name": "/docs", "pageviews": "2", "visitors": 2, "visits": 2, "bounces": 2, "totaltime": "0"},  # one row per (visitor, visit)
        {"name": "/", "pageviews": "1", "visitors": 1, "visits": 1, "bounces": 1, "totaltime": "0"},
    ]  # sums of counts are PostgreSQL numerics: strings
    entry = raw.site("metrics/expanded", type="entry", **RANGE)[1]
    assert [(row["name"], row["visitors"]) for row in entry] == [("/", 1), ("/docs", 1)]
    assert raw.site("metrics/expanded", type="browser", limit=1, **RANGE)[1] == [
        {"name": "chrome", "pageviews": "2", "visitors": 1, "visits": 1, "bounces": 0, "totaltime": "30"},
    ]  # fmt: skip
    assert [row["name"] for row in raw.site("metrics/expanded", type="domain", **RANGE)[1]] == ["google.com", "news.ycombinator.com"]
    channels = raw.site("metrics/expanded", type="channel", **RANGE)[1]
    assert {row["name"]: row["visitors"] for row in channels} == {"organicSearch": 1, "organicSocial": 1} and channels[0]["y"] is None
    assert raw.site("metrics/expanded", type="event", **RANGE)[1][0] | {"totaltime": None} == {
        "name": "copy", "pageviews": "1", "visitors": 1, "visits": 1, "bounces": 1, "totaltime": None,
    }  # fmt: skip
    assert raw.site("metrics/expanded", type="nope", **RANGE)[0] == 400


def test_values_of_a_filter(raw: Raw) -> None:
    assert raw.site("values", type="path", **RANGE) == (200, [{"value": "/docs", "count": 3}, {"value": "/", "count": 1}])
    assert raw.site("values", type="browser", search="FIRE", **RANGE)[1] == [{"value": "firefox", "count": 1}]
    assert raw.site("values", type="path", search="/,/nothing", **RANGE)[1] == [{"value": "/", "count": 1}]  # commas: exact values
    referrers = raw.site("values", type="referrer", **RANGE)[1]
    assert referrers == [{"value": "google.de", "count": 1}, {"value": "news.ycombinator.com", "count": 1}]
    status, body = raw.site("values", type="channel", **RANGE)
    assert status == 400 and body["error"]["properties"]["type"]["errors"][0].startswith('Invalid option: expected one of "path"|')
