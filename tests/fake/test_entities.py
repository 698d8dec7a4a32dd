"""Reads over what the fake does not store (boards, links, pixels, shares, segments, replays), the
app's config, the export zip and the revenue sessions: Umami 3.1's answers for an empty table."""

from __future__ import annotations

import base64
import io
import zipfile
from datetime import datetime, timedelta, timezone

import pytest

from tests.fake.support import FIREFOX_LINUX, Raw
from umami_transports.fake import FakeUmami, ManualClock

NOON = datetime(2026, 5, 14, 12, 0, tzinfo=timezone.utc)
RANGE = {"startAt": int((NOON - timedelta(hours=1)).timestamp() * 1000), "endAt": int((NOON + timedelta(hours=1)).timestamp() * 1000)}
ANY_ID = "00000000-0000-4000-8000-000000000000"
EMPTY = {"data": [], "count": 0, "page": 1, "pageSize": 20}


@pytest.fixture
def raw() -> Raw:
    return Raw(FakeUmami(clock=ManualClock(NOON)))


def test_empty_tables_answer_as_the_server(raw: Raw) -> None:
    for path in ("/api/boards", "/api/links", "/api/pixels"):
        assert raw.get(path) == (200, EMPTY)
    assert raw.get("/api/links", search="x", page=2)[1] == {**EMPTY, "page": 2, "search": "x"}
    assert raw.get(f"/api/links/{ANY_ID}") == (200, None)  # an admin gets null for a missing row
    assert raw.site("shares") == (200, EMPTY)
    assert raw.site("segments", type="cohort", page=3)[1] == EMPTY  # no paging in that schema
    assert raw.site("segments")[0] == 400
    assert raw.site(f"segments/{ANY_ID}") == (404, {"error": {"message": "Not found", "code": "not-found", "status": 404}})
    assert raw.site("replays", **RANGE) == (200, EMPTY)
    assert raw.site(f"replays/{ANY_ID}")[1] == {"sessionId": None, "events": [], "startedAt": None, "endedAt": None, "eventCount": 0,
                                                 "chunkCount": 0}  # fmt: skip
    assert raw.site(f"replays/saved/{ANY_ID}") == (200, {"isSaved": False})
    assert raw.get("/api/share/some-slug")[0] == 404
    assert raw.get(f"/api/share/id/{ANY_ID}") == (500, b"")  # the server reads a property of the missing share
    assert raw.request("GET", "/api/config")[1]["cloudMode"] is False  # no login needed
    assert raw.get("/api/dashboard") == (200, None)


def test_a_user_is_refused_a_missing_board_and_fails_on_a_missing_link(raw: Raw) -> None:
    raw.fake.add_user("ann", "pw")
    login = raw.request("POST", "/api/auth/login", {"username": "ann", "password": "pw"})[1]
    auth = {"Authorization": f"Bearer {login['token']}"}
    assert raw.request("GET", f"/api/boards/{ANY_ID}", headers=auth)[0] == 401
    assert raw.request("GET", f"/api/links/{ANY_ID}", headers=auth) == (500, b"")
    assert raw.request("GET", f"/api/teams/{ANY_ID}/links", headers=auth)[0] == 401


def test_export_zips_the_metrics_as_csv(raw: Raw) -> None:
    raw.send({"url": "/a,b", "ip": "203.0.113.1"})
    raw.send({"url": "/", "ip": "203.0.113.2"}, ua=FIREFOX_LINUX)
    status, body = raw.site("export", **RANGE)
    assert status == 200
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(body["zip"]))) as archive:
        assert archive.namelist() == ["events.csv", "pages.csv", "referrers.csv", "browsers.csv", "os.csv", "devices.csv", "countries.csv"]
        assert archive.read("pages.csv").decode() == 'x,y\r\n/,1\r\n"/a,b",1'
        assert archive.read("events.csv") == b""  # Papa.unparse of no rows


def test_revenue_sessions(raw: Raw) -> None:
    raw.send({"url": "/buy", "ip": "203.0.113.1", "name": "checkout", "data": {"revenue": 20, "currency": "eur"}})
    raw.send({"url": "/buy", "ip": "203.0.113.2", "name": "checkout", "data": {"revenue": 5, "currency": "USD"}}, ua=FIREFOX_LINUX)
    status, body = raw.site("revenue/sessions", currency="EUR", **RANGE)
    assert status == 200 and body["count"] == 1 and body["data"][0]["browser"] == "chrome"
    assert raw.site("revenue/sessions", currency="eur", **RANGE)[1]["count"] == 0  # compared with upper(currency)
    assert raw.site("revenue/sessions", currency="USD", search="fire", **RANGE)[1]["count"] == 1
    assert raw.site("revenue/sessions", **RANGE)[0] == 400


def test_saved_reports_are_none_and_the_performance_run_is_not_served(raw: Raw) -> None:
    assert raw.get("/api/reports", websiteId=raw.fake.website_id, type="funnel") == (200, EMPTY)
    status, body = raw.get("/api/reports")
    assert status == 400
    assert body["error"]["properties"] == {"websiteId": {"errors": ["Invalid input: expected string, received undefined"]}}
    assert raw.site("reports", type="nope")[0] == 400 and raw.site("reports") == (200, EMPTY)
    assert raw.get(f"/api/reports/{ANY_ID}") == (200, None)
    assert raw.get("/api/reports/funnel") == (405, b"")  # a static route of the server, POST only
    assert raw.request("POST", "/api/reports/funnel", {})[0] == 400  # the other runs are (test_report_routes)
    assert raw.request("POST", "/api/reports/performance", {}) == (405, b"")  # no web vitals are kept
