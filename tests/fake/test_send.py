"""``/api/send`` and ``/api/batch`` of the fake: validation envelopes, bot check, what is stored."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fake.support import CHROME_WINDOWS, FIREFOX_LINUX, Raw
from umami_transports.fake import FakeUmami, Location


@pytest.fixture
def raw() -> Raw:
    return Raw(FakeUmami())


def payload_error(field: str, message: str) -> dict[str, Any]:
    properties = {"payload": {"errors": [], "properties": {field: {"errors": [message]}}}}
    return {"error": {"message": "Bad request", "code": "bad-request", "status": 400, "errors": [], "properties": properties}}


@pytest.mark.parametrize(("field", "limit"), [("name", 50), ("tag", 50), ("hostname", 100), ("screen", 11), ("language", 35)])
def test_string_limits(raw: Raw, field: str, limit: int) -> None:
    assert raw.send({"url": "/", field: "x" * limit})[0] == 200
    assert raw.send({"url": "/", field: "x" * (limit + 1)}) == (
        400,
        payload_error(field, f"Too big: expected string to have <={limit} characters"),
    )


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"website": "test-website-id"}, "website", "Invalid UUID"),
        ({"website": None}, "website", "Invalid input: expected string, received null"),
        ({"data": [1, 2]}, "data", "Invalid input: expected record, received array"),
        ({"data": "text"}, "data", "Invalid input: expected record, received string"),
        ({"timestamp": 1.5}, "timestamp", "Invalid input: expected int, received number"),
        ({"timestamp": "soon"}, "timestamp", "Invalid input: expected number, received NaN"),
        ({"title": None}, "title", "Invalid input: expected string, received null"),
        ({"url": "http://"}, "url", "Invalid URL."),
        ({"lcp": 60001}, "lcp", "Too big: expected number to be <=60000"),
        ({"link": "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"}, "website", "Exactly one of website, link, or pixel must be provided"),
    ],
)
def test_payload_errors(raw: Raw, payload: dict[str, Any], field: str, message: str) -> None:
    assert raw.send(payload) == (400, payload_error(field, message))


def test_envelope_errors_at_the_top(raw: Raw) -> None:
    undefined = {
        "error": {
            "message": "Bad request",
            "code": "bad-request",
            "status": 400,
            "errors": ["Invalid input: expected object, received undefined"],
        }
    }
    assert raw.request("POST", "/api/send", raw=b"{oops") == (400, undefined)
    assert raw.request("POST", "/api/send", raw=b"") == (400, undefined)
    status, body = raw.request("POST", "/api/send", {"type": "pageview", "payload": {"website": raw.fake.website_id}})
    assert (status, body["error"]["properties"]) == (
        400,
        {"type": {"errors": ['Invalid option: expected one of "event"|"identify"|"performance"']}},
    )
    assert raw.request("GET", "/api/send") == (405, b"")


def test_website_lookup_comes_before_the_bot_check(raw: Raw) -> None:
    unknown = {"website": "00000000-0000-4000-8000-000000000000", "url": "/"}
    assert raw.send(unknown, ua="curl/8.5.0") == (400, {"error": {"message": "Website not found.", "code": "bad-request", "status": 400}})
    assert raw.send({"url": "/"}, ua="curl/8.5.0") == (200, {"beep": "boop"})
    assert raw.fake.events() == []


@pytest.mark.parametrize(
    "agent",
    [
        "python-requests/2.31.0",
        "python-httpx/0.28.1",
        "curl/8.5.0",
        "Name/1.0",
        "Mozilla/5.0",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
    ],
)
def test_bot_agents_are_dropped(raw: Raw, agent: str) -> None:
    assert raw.send({"url": "/"}, ua=agent) == (200, {"beep": "boop"})
    assert raw.fake.events() == [] and raw.fake.sessions() == []


def test_payload_user_agent_overrides_the_header(raw: Raw) -> None:
    assert raw.send({"url": "/", "userAgent": "curl/8.5.0"}, ua=CHROME_WINDOWS) == (200, {"beep": "boop"})
    assert raw.send({"url": "/", "userAgent": FIREFOX_LINUX, "screen": "1920x1080"}, ua="python-httpx/0.28.1")[0] == 200
    (session,) = raw.fake.sessions()
    assert (session.browser, session.os, session.device) == ("firefox", "Linux", "laptop")
    raw.send({"url": "/", "ip": "203.0.113.1", "browser": "netscape", "os": "BeOS", "device": "mobile"})
    assert [(s.browser, s.os, s.device) for s in raw.fake.sessions()][1] == ("netscape", "BeOS", "mobile")


def test_first_event_wins_and_a_long_distinct_id_fails_like_postgresql(raw: Raw) -> None:
    raw.send({"url": "/", "id": "user-1", "screen": "390x844"}, ua=FIREFOX_LINUX)
    raw.send({"url": "/", "id": "user-1", "screen": "1920x1080"}, ua=CHROME_WINDOWS)
    (session,) = raw.fake.sessions()
    assert (session.browser, session.screen, session.distinct_id) == ("firefox", "390x844", "user-1")
    status, body = raw.send({"url": "/", "id": "u" * 51})
    assert status == 500 and body["error"]["code"] == "server-error" and "character varying(50)" in body["error"]["errorObject"]["message"]


def test_what_an_event_stores(raw: Raw) -> None:
    raw.send({"url": "/landing?utm_source=news&utm_medium=email&gclid=1#top", "title": "Caf%C3%A9", "hostname": "www.example.com",
              "referrer": "https://www.google.com/search?q=umami", "name": "click", "tag": "b", "data": {"a": {"b": 1}}})  # fmt: skip
    (event,) = raw.fake.events()
    assert (event.url_path, event.url_query, event.page_title, event.hostname) == (
        "/landing#top",
        "utm_source=news&utm_medium=email&gclid=1",
        "Café",
        "www.example.com",
    )
    assert (event.referrer_domain, event.referrer_path, event.referrer_query) == ("google.com", "/search", "q=umami")
    assert (event.utm["utm_source"], event.utm["utm_medium"], event.utm["gclid"], event.event_name, event.tag) == (
        "news",
        "email",
        "1",
        "click",
        "b",
    )
    assert event.is_custom_event and event.data == {"a": {"b": 1}} and event.payload["title"] == "Caf%C3%A9"
    raw.send({})
    minimal = raw.fake.events()[1]
    assert (minimal.url_path, minimal.hostname, minimal.page_title, minimal.is_page_view) == ("", "localhost", None, True)


def test_revenue_rows_need_a_positive_amount_and_a_currency(raw: Raw) -> None:
    for data in (
        {"revenue": 10, "currency": "USD"},
        {"revenue": "2.5", "currency": "EUR"},
        {"revenue": 0, "currency": "USD"},
        {"revenue": 5},
    ):
        raw.send({"url": "/", "name": "purchase", "data": data})
    assert [(row.revenue, row.currency) for row in raw.fake.revenue()] == [(10.0, "USD"), (2.5, "EUR")]


def test_identify_stores_session_data_and_no_event(raw: Raw) -> None:
    status, answer = raw.send({"id": "user-9", "data": {"plan": "pro"}}, kind="identify")
    assert status == 200 and raw.fake.events() == []
    (session,) = raw.fake.sessions()
    assert (session.id, session.distinct_id, session.data) == (answer["sessionId"], "user-9", {"plan": "pro"})


def test_locations_ignore_ip_and_client_ip_header() -> None:
    fake = FakeUmami(
        locations={"203.0.113.7": Location("DE", "DE-BE", "Berlin")}, ignore_ip=("198.51.100.0/24",), client_ip_header="x-client"
    )
    raw = Raw(fake, client_ip="192.0.2.50")
    raw.send({"url": "/", "ip": "203.0.113.7"})
    raw.send({"url": "/"}, x_client="192.0.2.60", cf_ipcountry="FR", cf_region_code="IDF", cf_ipcity="Paris")
    raw.send({"url": "/"}, x_client="10.1.2.3", cf_ipcountry="FR")  # a private address has no location
    assert [(s.country, s.region, s.city) for s in fake.sessions()] == [
        ("DE", "DE-BE", "Berlin"),
        ("FR", "FR-IDF", "Paris"),
        (None, None, None),
    ]
    forbidden = {"error": {"message": "Forbidden", "code": "forbidden", "status": 403}}
    assert raw.send({"url": "/", "ip": "198.51.100.9"}) == (403, forbidden)
    assert raw.send({"url": "/"}, x_client="198.51.100.10") == (403, forbidden)


def test_batch(raw: Raw) -> None:
    site = raw.fake.website_id
    good, bad = {"type": "event", "payload": {"website": site, "url": "/1"}}, {"type": "event", "payload": {"website": "nope"}}
    status, body = raw.request("POST", "/api/batch", [good, bad, good], {"User-Agent": CHROME_WINDOWS})
    assert (status, body["size"], body["processed"], body["errors"], [d["index"] for d in body["details"]]) == (200, 3, 2, 1, [1])
    assert body["details"][0]["response"] == payload_error("website", "Invalid UUID")
    assert isinstance(body["cache"], str) and len(raw.fake.page_views()) == 2
    assert raw.request("POST", "/api/batch", [good], {"User-Agent": "curl/8.5.0"}) == (
        200,
        {"size": 1, "processed": 1, "errors": 0, "details": []},
    )
    assert raw.request("POST", "/api/batch", []) == (200, {"size": 0, "processed": 0, "errors": 0, "details": [], "cache": None})
    status, body = raw.request("POST", "/api/batch", [{}, 1])
    assert (status, body["error"]["items"]) == (400, [None, {"errors": ["Invalid input: expected record, received number"]}])
    status, body = raw.request("POST", "/api/batch", good)
    assert (status, body["error"]["errors"]) == (400, ["Invalid input: expected array, received object"])
