"""Event data, session data (identify) and one session, read back as Umami 3.1 answers them: the
routes that were a 404 page on the fake while the real server answered 200."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from tests.fake.support import Raw
from umami_transports.fake import FakeServer, FakeUmami, ManualClock

NOON = datetime(2026, 5, 14, 12, 0, tzinfo=timezone.utc)
RANGE = {"startAt": int((NOON - timedelta(hours=1)).timestamp() * 1000), "endAt": int((NOON + timedelta(hours=1)).timestamp() * 1000)}


@pytest.fixture
def raw() -> Raw:
    raw = Raw(FakeUmami(clock=ManualClock(NOON)))
    ann, bob = {"ip": "203.0.113.1"}, {"ip": "203.0.113.2"}
    raw.send({"url": "/cart", "name": "add", "data": {"sku": "A-1", "price": 19.99, "gift": True, "meta": {"size": "L"}}, **ann})
    raw.send({"url": "/cart", "name": "add", "data": {"sku": "B-2", "price": 5, "when": "2026-05-14T09:30:00.000Z"}, **bob})
    raw.send({"url": "/", "data": {"tags": ["a", 1.0], "note": None}, **ann})  # a page view with data
    raw.send({"data": {"plan": "pro", "seats": 3}, **ann}, kind="identify")
    raw.send({"data": {"plan": "free"}, **bob}, kind="identify")
    raw.send({"data": {"plan": "team"}, **ann}, kind="identify")  # updates ann's plan in place
    return raw


def test_event_data_properties_count_rows_per_event_and_key(raw: Raw) -> None:
    status, body = raw.site("event-data/properties", **RANGE)
    assert status == 200
    assert {(row["eventName"], row["propertyName"], row["total"]) for row in body} == {
        ("add", "sku", 2), ("add", "price", 2), ("add", "gift", 1), ("add", "meta.size", 1), ("add", "when", 1),
        (None, "tags", 1), (None, "note", 1),
    } and len(body) == 7  # fmt: skip
    assert body[0]["total"] == 2  # most first


def test_event_data_values_of_one_key(raw: Raw) -> None:
    assert raw.site("event-data/values", event="add", propertyName="price", **RANGE)[1] in (
        [{"value": "19.9900", "total": 1}, {"value": "5", "total": 1}],
        [{"value": "5", "total": 1}, {"value": "19.9900", "total": 1}],
    )  # numbers lose only '.0000'
    assert raw.site("event-data/values", event="add", propertyName="when", **RANGE)[1] == [{"value": "2026-05-14T09:00:00Z", "total": 1}]
    assert raw.site("event-data/values", event="other", propertyName="sku", **RANGE)[1] == []  # `event` filters the event name
    status, body = raw.site("event-data/values", **RANGE)
    assert status == 400 and body["error"]["properties"] == {
        "event": {"errors": ["Invalid input: expected string, received undefined"]},
        "propertyName": {"errors": ["Invalid input: expected string, received undefined"]},
    }


def test_event_data_of_one_event(raw: Raw) -> None:
    event = raw.fake.custom_events(name="add")[0]
    status, body = raw.site(f"event-data/{event.id}")
    assert status == 200
    assert [(row["dataKey"], row["dataType"], row["stringValue"], row["numberValue"]) for row in body] == [
        ("sku", 1, "A-1", None), ("price", 2, "19.9900", "19.99"), ("gift", 3, "true", None), ("meta.size", 1, "L", None),
    ]  # fmt: skip
    assert {row["eventId"] for row in body} == {event.id} and body[0]["eventName"] == "add"
    assert body[0]["createdAt"] == "2026-05-14T12:00:00.000Z"
    page_view = raw.fake.page_views()[0]
    assert [(row["dataKey"], row["dataType"], row["stringValue"]) for row in raw.site(f"event-data/{page_view.id}")[1]] == [
        ("tags", 5, '["a",1]'), ("note", 5, "null"),
    ]  # arrays and null as JSON.stringify writes them
    assert raw.site("event-data/00000000-0000-4000-8000-000000000000") == (200, [])
    assert raw.site("event-data/not-a-uuid") == (500, b"")


def test_session_data_properties_and_values(raw: Raw) -> None:
    assert raw.site("session-data/properties", **RANGE)[1] == [{"propertyName": "plan", "total": 2}, {"propertyName": "seats", "total": 1}]
    plans = raw.site("session-data/values", propertyName="plan", **RANGE)[1]
    assert plans == [{"value": "free", "total": 1}, {"value": "team", "total": 1}]
    assert raw.site("session-data/values", propertyName="seats", **RANGE)[1] == [{"value": "3", "total": 1}]
    assert raw.site("session-data/values", **RANGE)[1] == []  # no key asked: no rows
    status, body = raw.site("session-data/properties")
    assert status == 400 and body["error"]["properties"]["startAt"]["errors"] == ["Invalid input: expected number, received NaN"]
    assert raw.site("session-data/properties", startAt="1.5", endAt="2")[0] == 400  # integers here


def test_one_session_its_properties_and_activity(raw: Raw) -> None:
    ann = raw.fake.sessions()[0]
    status, body = raw.site(f"sessions/{ann.id}")
    assert status == 200
    assert body | {"firstAt": None, "lastAt": None} == {
        "id": ann.id, "distinctId": None, "websiteId": raw.fake.website_id, "browser": ann.browser, "os": ann.os, "device": ann.device,
        "screen": None, "language": None, "country": None, "region": None, "city": None, "firstAt": None, "lastAt": None,
        "visits": 1, "views": "1", "events": "1", "totaltime": "0",
    }  # fmt: skip
    status, properties = raw.site(f"sessions/{ann.id}/properties")
    assert status == 200 and [(row["dataKey"], row["dataType"], row["stringValue"], row["numberValue"]) for row in properties] == [
        ("plan", 1, "team", None), ("seats", 2, "3", "3"),
    ]  # fmt: skip
    status, activity = raw.site(f"sessions/{ann.id}/activity", **RANGE)
    assert status == 200
    assert [(row["eventType"], row["eventName"], row["hasData"]) for row in activity] == [(1, None, True), (2, "add", True)]
    assert raw.site("sessions/00000000-0000-4000-8000-000000000000") == (200, {})


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer(FakeUmami()) as running:
        yield running


def test_identify_and_event_data_read_back_over_http(server: FakeServer) -> None:
    site = server.fake.website_id
    with httpx.Client(base_url=server.url, headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0"}) as client:
        sent = client.post("/api/send", json={"type": "identify", "payload": {"website": site, "data": {"plan": "pro"}}}).json()
        client.post("/api/send", json={"type": "event", "payload": {"website": site, "url": "/", "name": "buy", "data": {"n": 2}}})
        token = client.post("/api/auth/login", json={"username": "admin", "password": "umami"}).json()["token"]
        auth: dict[str, Any] = {"headers": {"Authorization": f"Bearer {token}"}}
        now = int(server.fake.now().timestamp() * 1000)
        window = {"startAt": now - 60_000, "endAt": now + 60_000}
        properties = client.get(f"/api/websites/{site}/sessions/{sent['sessionId']}/properties", **auth).json()
        assert [(row["dataKey"], row["stringValue"]) for row in properties] == [("plan", "pro")]
        fields = client.get(f"/api/websites/{site}/event-data/properties", params=window, **auth).json()
        assert fields == [{"eventName": "buy", "propertyName": "n", "total": 1}]


def test_event_data_that_cannot_be_written_writes_no_revenue_either() -> None:
    raw = Raw(FakeUmami(clock=ManualClock(NOON)))
    status, body = raw.send({"url": "/", "name": "buy", "data": {"revenue": 5, "currency": "EUR", "note": "x" * 501}, "ip": "203.0.113.1"})
    assert status == 500 and body["error"]["code"] == "server-error"
    (event,) = raw.fake.custom_events()  # the event row is written first, as on the server
    assert event.data_rows == () and raw.fake.revenue() == []
    assert raw.send({"url": "/", "name": "buy", "data": {"when": "2026-13-45T10:00:00"}, "ip": "203.0.113.1"})[0] == 500  # RangeError
