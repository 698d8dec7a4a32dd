"""Channels and chart series as the real 3.1 server computes them (differences once seen when the
official tracker drove the fake and a real server with the same clicks)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from tests.fake.support import Raw
from umami_transports.fake import FakeUmami, ManualClock

NOON = datetime(2026, 12, 4, 11, 5, tzinfo=timezone.utc)


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


@pytest.fixture
def raw() -> Raw:
    return Raw(FakeUmami(clock=ManualClock(NOON)))


def around(**query: Any) -> dict[str, Any]:
    return {"startAt": ms(NOON - timedelta(hours=1)), "endAt": ms(NOON + timedelta(hours=1)), **query}


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"url": "/", "referrer": "https://blog.example.org/post"}, [{"x": "referral", "y": 1}]),
        ({"url": "/", "referrer": "https://www.example.com/other", "hostname": "www.example.com"}, []),  # the site itself
        ({"url": "/", "referrer": "https://www.google.de/"}, [{"x": "organicSearch", "y": 1}]),
        ({"url": "/?utm_medium=paid&utm_source=news", "referrer": "https://www.google.de/"}, [{"x": "paidAds", "y": 1}]),
        ({"url": "/?utm_medium=ppc", "referrer": "https://www.facebook.com/"}, [{"x": "paidSocial", "y": 1}]),
        ({"url": "/?gclid=abc"}, [{"x": "paidAds", "y": 1}]),
        ({"url": "/?utm_medium=newsletter-mail"}, [{"x": "email", "y": 1}]),
        ({"url": "/?utm_source=sms-blast"}, [{"x": "sms", "y": 1}]),
        ({"url": "/", "referrer": "https://m.youtube.com/watch"}, [{"x": "organicVideo", "y": 1}]),
        ({"url": "/"}, []),  # no referrer and no campaign: no channel
    ],
)
def test_channels_follow_the_servers_rules(raw: Raw, payload: dict[str, Any], expected: list[dict[str, Any]]) -> None:
    raw.send({"hostname": "example.com", **payload, "ip": "203.0.113.5"})
    assert raw.site("metrics", **around(type="channel")) == (200, expected)


def test_a_referral_counts_visitors_and_custom_events_do_not(raw: Raw) -> None:
    for ip in ("203.0.113.1", "203.0.113.2"):
        raw.send({"url": "/", "hostname": "example.com", "referrer": "https://news.example.net/", "ip": ip})
        raw.send({"url": "/", "hostname": "example.com", "referrer": "https://news.example.net/", "ip": ip, "name": "click"})
    assert raw.site("metrics", **around(type="channel", limit=1, offset=5))[1] == [{"x": "referral", "y": 2}]  # no paging here


def views_at(raw: Raw, clock: ManualClock, *moments: datetime) -> None:
    for moment in moments:
        clock.set(moment)
        raw.send({"url": "/", "ip": "203.0.113.9"})


@pytest.mark.parametrize(
    ("span", "unit", "expected"),
    [
        (timedelta(days=365 * 3), "hour", ["2023-01-01T00:00:00Z", "2026-01-01T00:00:00Z"]),  # > 24 months: year
        (timedelta(days=365), "hour", ["2025-12-01T00:00:00Z", "2026-12-01T00:00:00Z"]),  # 12 months: month at the finest
        (timedelta(days=60), "minute", ["2026-10-05T00:00:00Z", "2026-12-04T00:00:00Z"]),  # 2 months: day
        (timedelta(days=2), "minute", ["2026-12-02T11:00:00Z", "2026-12-04T11:00:00Z"]),  # 2 days: hour
        (timedelta(days=365 * 3), "month", ["2023-12-01T00:00:00Z", "2026-12-01T00:00:00Z"]),  # allowed: kept
        (timedelta(minutes=50), None, ["2026-12-04T10:16:00Z", "2026-12-04T11:05:00Z"]),  # no unit: the minimum, minutes
    ],
)
def test_the_unit_is_clamped_to_what_the_range_allows(span: timedelta, unit: str | None, expected: list[str]) -> None:
    clock = ManualClock(NOON)
    raw = Raw(FakeUmami(clock=clock))
    views_at(raw, clock, NOON - span + timedelta(minutes=1), NOON)  # one view at each end
    query = {"startAt": ms(NOON - span), "endAt": ms(NOON), **({"unit": unit} if unit else {})}
    status, body = raw.site("pageviews", **query)
    assert status == 200 and [point["x"] for point in body["pageviews"]] == expected


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ({}, "2026-12-04T11:05:00Z"),  # no timezone: ISO with Z
        ({"timezone": "utc"}, "2026-12-04T11:05:00Z"),  # exactly 'utc' counts as none
        ({"timezone": "UTC"}, "2026-12-04 11:05:00"),  # any other zone: local wall time, as in recorded 095-097
        ({"timezone": "Asia/Tokyo"}, "2026-12-04 20:05:00"),
    ],
)
def test_labels_depend_on_the_timezone_parameter(raw: Raw, zone: dict[str, str], label: str) -> None:
    raw.send({"url": "/", "ip": "203.0.113.9"})
    body = raw.site("pageviews", **around(unit="minute", startAt=ms(NOON - timedelta(minutes=30)), endAt=ms(NOON + timedelta(minutes=5)),
                                          **zone))[1]  # fmt: skip
    assert body == {"pageviews": [{"x": label, "y": 1}], "sessions": [{"x": label, "y": 1}]}


def test_any_exclude_bounce_value_excludes_bounces(raw: Raw) -> None:
    raw.send({"url": "/", "ip": "203.0.113.1"})
    raw.send({"url": "/next", "ip": "203.0.113.1"})
    raw.send({"url": "/", "ip": "203.0.113.2"})  # a bounce
    for value in ("true", "false", "1"):  # getQueryFilters tests the string's truthiness
        assert raw.site("stats", **around(excludeBounce=value))[1]["pageviews"] == 2
        assert raw.site("metrics", **around(type="path", excludeBounce=value))[1] == [{"x": "/", "y": 1}, {"x": "/next", "y": 1}]
    assert raw.site("stats", **around())[1]["pageviews"] == 3
