"""Website ids in any letter case, as Umami 3.1 takes them (umami-server.md, section b).

PostgreSQL compares and returns uuid columns in canonical lower-case form and zod's uuid check
ignores case, so an upper-case id reaches the same website everywhere. Only the session id, hashed
from the payload's ``website`` string as it was sent, differs from the lower-case spelling's.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import umami
from tests.fake.support import Raw
from umami_core import BROWSER_USER_AGENT
from umami_transports.fake import FakeUmami, ManualClock, ids

WEBSITE = "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
UPPER = WEBSITE.upper()
NOW = datetime(2026, 5, 14, 10, 37, 12, tzinfo=timezone.utc)
IP = "203.0.113.7"


@pytest.fixture
def raw() -> Raw:
    return Raw(FakeUmami(website_id=WEBSITE, clock=ManualClock(NOW)))


def send(raw: Raw, website: str, **payload: object) -> tuple[int, dict[str, object]]:
    body = {"type": "event", "payload": {"website": website, "hostname": "example.com", "ip": IP, **payload}}
    return raw.request("POST", "/api/send", body, {"User-Agent": BROWSER_USER_AGENT})  # type: ignore[return-value]


def test_a_send_to_an_upper_case_id_is_stored_for_the_website(raw: Raw) -> None:
    status, answer = send(raw, UPPER, url="/pricing")
    assert status == 200, answer
    send(raw, UPPER, url="/checkout", name="purchase", data={"revenue": 9.5, "currency": "EUR"})
    assert [event.url_path for event in raw.fake.events(WEBSITE)] == ["/pricing", "/checkout"]
    assert [session.website_id for session in raw.fake.sessions()] == [WEBSITE]
    assert [(row.website_id, row.revenue) for row in raw.fake.revenue()] == [(WEBSITE, 9.5)]


def test_the_session_id_is_hashed_from_the_id_as_sent(raw: Raw) -> None:
    secret = ids.secret(raw.fake.context.app_secret)
    upper = send(raw, UPPER, url="/")[1]
    lower = send(raw, WEBSITE, url="/")[1]
    assert upper["sessionId"] == ids.session_id(secret, UPPER, NOW, IP, BROWSER_USER_AGENT, None)
    assert lower["sessionId"] == ids.session_id(secret, WEBSITE, NOW, IP, BROWSER_USER_AGENT, None) != upper["sessionId"]
    assert ids.jwt_decode(str(upper["cache"]), secret)["websiteId"] == UPPER  # type: ignore[index]


def test_a_batch_and_an_unknown_upper_case_id(raw: Raw) -> None:
    items = [{"type": "event", "payload": {"website": UPPER, "url": "/a"}}, {"type": "event", "payload": {"website": UPPER, "url": "/b"}}]
    status, answer = raw.request("POST", "/api/batch", items, {"User-Agent": BROWSER_USER_AGENT})
    assert (status, answer["processed"], answer["errors"]) == (200, 2, 0)
    assert len(raw.fake.page_views(WEBSITE)) == 2
    assert send(raw, "978435E2-7BA1-4337-9860-EC31ECE2DB60", url="/")[0] == 400  # no such website, in any case


def test_stats_and_the_data_routes_answer_for_an_upper_case_id(raw: Raw) -> None:
    send(raw, WEBSITE, url="/one")
    send(raw, UPPER, url="/two", ip="198.51.100.1")
    window = {"startAt": int((NOW - timedelta(days=1)).timestamp() * 1000), "endAt": int((NOW + timedelta(minutes=1)).timestamp() * 1000)}
    for route, query in [("stats", window), ("active", {}), ("pageviews", {**window, "unit": "hour"}),
                         ("metrics", {**window, "type": "path"}), ("events", window), ("sessions", window), ("daterange", {})]:  # fmt: skip
        lower = raw.get(f"/api/websites/{WEBSITE}/{route}", **query)
        assert lower[0] == 200, route
        assert raw.get(f"/api/websites/{UPPER}/{route}", **query) == lower, route
    assert raw.get(f"/api/websites/{UPPER}/stats", **window)[1]["pageviews"] == 2
    assert raw.get(f"/api/realtime/{UPPER}")[1] == raw.get(f"/api/realtime/{WEBSITE}")[1]


def test_the_website_routes_take_an_upper_case_id(raw: Raw) -> None:
    auth = {"Authorization": f"Bearer {raw.token}"}
    assert raw.get(f"/api/websites/{UPPER}")[1]["id"] == WEBSITE
    status, updated = raw.request("POST", f"/api/websites/{UPPER}", {"name": "Renamed"}, auth)
    assert (status, updated["id"], updated["name"]) == (200, WEBSITE, "Renamed")
    assert raw.request("DELETE", f"/api/websites/{UPPER}", headers=auth) == (200, {"ok": True})
    assert raw.fake.store.live_website(WEBSITE) is None


def test_a_website_created_with_an_upper_case_id_is_stored_in_lower_case(raw: Raw) -> None:
    auth = {"Authorization": f"Bearer {raw.token}"}
    other = "978435e2-7ba1-4337-9860-ec31ece2db60"
    status, created = raw.request("POST", "/api/websites", {"id": other.upper(), "name": "Shop", "domain": "shop.example"}, auth)
    assert (status, created["id"]) == (200, other)
    assert raw.get(f"/api/websites/{other}")[1]["name"] == "Shop"
    assert raw.request("POST", "/api/websites", {"id": other, "name": "Again", "domain": "shop.example"}, auth)[0] == 500  # same row
    assert raw.request("POST", "/api/websites", {"id": WEBSITE.upper(), "name": "Dup", "domain": "x.example"}, auth)[0] == 500


def test_the_helpers_take_either_case(raw: Raw) -> None:
    send(raw, UPPER, url="/", name="signup")
    assert len(raw.fake.custom_events(UPPER)) == len(raw.fake.custom_events(WEBSITE)) == 1
    assert len(raw.fake.sessions(UPPER)) == 1
    assert raw.fake.create_website("Other", "other.example", website_id="978435E2-7BA1-4337-9860-EC31ECE2DB60").id == (
        "978435e2-7ba1-4337-9860-ec31ece2db60"
    )


def test_the_library_with_an_upper_case_website_id(umami_fake: FakeUmami) -> None:
    umami.set_website_id(umami_fake.website_id.upper())
    umami.new_page_view("Home", "/", ip_address=IP)
    umami.new_revenue_event(19.99, "EUR", url="/checkout", ip_address=IP)
    umami.login(umami_fake.username, umami_fake.password)
    now = datetime.now(timezone.utc)
    assert umami.website_stats(now - timedelta(hours=1), now + timedelta(minutes=1)).pageviews == 1
    assert umami.active_users() == 1
    assert [row.revenue for row in umami_fake.revenue(umami_fake.website_id)] == [19.99]
