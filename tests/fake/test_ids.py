"""Session and visit ids as the server derives them (umami-server.md section a, step 8), and the cache token."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.fake.support import Raw
from umami_core import BROWSER_USER_AGENT
from umami_transports.fake import FakeUmami, ManualClock, ids

# The test vectors of umami-server.md, verified there against the server's Node code.
SECRET = "test-secret"
WEBSITE = "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
IP = "203.0.113.7"
CREATED = datetime(2026, 5, 14, 10, 37, 12, tzinfo=timezone.utc)
SESSION = "16e02fec-51b9-5780-bbd3-e26fc59103c6"
VISIT = "7e4eb84c-fddd-5a30-b5a9-eacde5557440"
DISTINCT_SESSION = "8eb116a6-cd42-5c8d-90e5-d22c602e64cb"
NO_IP_SESSION = "0c2033ae-49ce-5093-9407-15ecce157e57"


def test_vectors_of_the_id_functions() -> None:
    secret = ids.secret(SECRET)
    assert ids.session_id(secret, WEBSITE, CREATED, IP, BROWSER_USER_AGENT, None) == SESSION
    assert ids.visit_id(secret, SESSION, CREATED) == VISIT
    assert ids.session_id(secret, WEBSITE, CREATED, IP, BROWSER_USER_AGENT, "user-42") == DISTINCT_SESSION
    assert ids.session_id(secret, WEBSITE, CREATED, None, BROWSER_USER_AGENT, None) == NO_IP_SESSION


@pytest.fixture
def vector_fake() -> FakeUmami:
    return FakeUmami(app_secret=SECRET, website_id=WEBSITE, clock=ManualClock(CREATED))


def test_vectors_through_the_send_route(vector_fake: FakeUmami) -> None:
    raw = Raw(vector_fake)
    _, answer = raw.send({"url": "/", "ip": IP})
    assert (answer["sessionId"], answer["visitId"]) == (SESSION, VISIT)
    assert raw.send({"url": "/", "ip": IP, "id": "user-42"})[1]["sessionId"] == DISTINCT_SESSION
    assert Raw(vector_fake, client_ip=None).send({"url": "/"})[1]["sessionId"] == NO_IP_SESSION
    # Without payload.ip the connecting address counts, and proxy headers before it.
    assert raw.send({"url": "/"}, x_forwarded_for=f"{IP}, 10.0.0.1")[1]["sessionId"] == SESSION
    assert Raw(vector_fake, client_ip=IP).send({"url": "/"})[1]["sessionId"] == SESSION


def test_sessions_rotate_monthly_and_visits_hourly(vector_fake: FakeUmami) -> None:
    raw, clock = Raw(vector_fake), vector_fake.context.clock
    assert isinstance(clock, ManualClock)
    first = raw.send({"url": "/", "ip": IP})[1]
    clock.advance(minutes=30)  # 11:07, another clock hour
    later = raw.send({"url": "/", "ip": IP})[1]
    assert later["sessionId"] == first["sessionId"] and later["visitId"] != first["visitId"]
    clock.set(datetime(2026, 6, 1, tzinfo=timezone.utc))
    assert raw.send({"url": "/", "ip": IP})[1]["sessionId"] != first["sessionId"]
    assert raw.send({"url": "/", "ip": IP, "id": "user-42"})[1]["sessionId"] == DISTINCT_SESSION  # never rotates


def test_the_cache_token_is_an_hs256_jwt_of_the_ids(vector_fake: FakeUmami) -> None:
    answer = Raw(vector_fake).send({"url": "/", "ip": IP})[1]
    claims = ids.jwt_decode(answer["cache"], ids.secret(SECRET))
    assert claims == {"websiteId": WEBSITE, "sessionId": SESSION, "visitId": VISIT, "iat": int(CREATED.timestamp())}
    assert ids.jwt_decode(answer["cache"], ids.secret("another secret")) is None
    assert ids.jwt_decode(answer["cache"][:-2] + "xx", ids.secret(SECRET)) is None


def test_the_cache_token_keeps_a_visit_for_30_minutes_from_its_first_event(vector_fake: FakeUmami) -> None:
    raw, clock = Raw(vector_fake), vector_fake.context.clock
    assert isinstance(clock, ManualClock)
    first = raw.send({"url": "/", "ip": IP})[1]
    clock.advance(minutes=25)  # 11:02: a new clock hour, but the cached visit goes on
    kept = raw.send({"url": "/b", "ip": IP}, x_umami_cache=first["cache"])[1]
    assert kept["visitId"] == first["visitId"] and kept["cache"] == first["cache"]
    clock.advance(minutes=10)  # 35 minutes after the first event: the visit is re-derived
    renewed = raw.send({"url": "/c", "ip": IP}, x_umami_cache=first["cache"])[1]
    assert renewed["visitId"] == ids.visit_id(ids.secret(SECRET), SESSION, clock()) != first["visitId"]
    assert raw.send({"url": "/", "ip": IP}, x_umami_cache="bogus")[1]["visitId"] == renewed["visitId"]  # an invalid token is ignored


def test_a_valid_cache_token_skips_the_website_lookup_and_the_session_insert(vector_fake: FakeUmami) -> None:
    raw = Raw(vector_fake)
    cache = raw.send({"url": "/", "ip": IP})[1]["cache"]
    status, _ = raw.request("DELETE", f"/api/websites/{WEBSITE}", headers={"Authorization": f"Bearer {raw.token}"})
    assert status == 200
    assert raw.send({"url": "/", "ip": IP})[0] == 400  # "Website not found."
    assert raw.send({"url": "/", "ip": IP}, x_umami_cache=cache)[0] == 200  # as on the server: the token vouches for it


def test_timestamp_is_in_seconds(vector_fake: FakeUmami) -> None:
    raw = Raw(vector_fake)
    an_hour_ago = int((CREATED - timedelta(hours=1)).timestamp())
    answer = raw.send({"url": "/old", "ip": IP, "timestamp": an_hour_ago})[1]
    (event,) = vector_fake.page_views()
    assert event.created_at == CREATED - timedelta(hours=1)
    assert answer["visitId"] == ids.visit_id(ids.secret(SECRET), SESSION, CREATED - timedelta(hours=1)) != VISIT
    raw.send({"url": "/string", "ip": IP, "timestamp": str(an_hour_ago)})
    raw.send({"url": "/millis", "ip": IP, "timestamp": an_hour_ago * 1000})
    assert vector_fake.page_views(url="/string")[0].created_at == CREATED - timedelta(hours=1)
    assert vector_fake.page_views(url="/millis")[0].created_at.year > 9000  # ~year 55 000 on the server
