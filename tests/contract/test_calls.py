"""Every public function, through every adapter, against a real server: what goes on the wire, and
what comes back. Last, the same calls put the same bytes on the wire through every adapter."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

import umami
import umami_core
from tests.contract.conftest import (
    API_KEY,
    SEND_ANSWER,
    TOKEN,
    WEBSITE_ID,
    answer_like_umami,
    call,
    configure,
    make_transport,
    run_flow,
)
from tests.contract.raw_server import RawServer, request_target
from tests.recording_server import RecordingServer
from umami.models import LoginResponse, Website, WebsiteStats

START = datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc)
END = datetime.datetime(2026, 11, 27, 12, 30, tzinfo=datetime.timezone.utc)


def test_heartbeat(adapter: str, client: umami.Client, umami_server: RecordingServer) -> None:
    assert call(adapter, client, "heartbeat") is True
    assert (umami_server.last.method, umami_server.last.path) == ("GET", "/api/heartbeat")
    assert "authorization" not in umami_server.last.headers


def test_login_keeps_the_token_for_the_next_calls(adapter: str, client: umami.Client, umami_server: RecordingServer) -> None:
    result = call(adapter, client, "login", "admin", "s3cret ✓")

    assert isinstance(result, LoginResponse)
    assert (result.token, result.user.username) == (TOKEN, "admin")
    login = umami_server.last
    assert (login.method, login.path, login.json) == ("POST", "/api/auth/login", {"username": "admin", "password": "s3cret ✓"})
    assert login.headers["content-type"] == "application/json"
    assert "authorization" not in login.headers
    assert call(adapter, client, "verify_token") is True
    assert (umami_server.last.path, umami_server.last.headers["authorization"]) == ("/api/auth/verify", f"Bearer {TOKEN}")


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "payload"),
    [
        ("new_event", ("signup",), {"custom_data": {"plan": "pro", "seats": 3, "note": "naïve ✓"}, "distinct_id": 42},
         {"name": "signup", "title": "signup", "url": "/", "data": {"plan": "pro", "seats": 3, "note": "naïve ✓"}, "id": "42"}),
        ("new_revenue_event", (19.99, "EUR"), {"url": "/checkout"},
         {"name": "revenue", "title": "revenue", "url": "/checkout", "data": {"revenue": 19.99, "currency": "EUR"}}),
        ("new_page_view", ("Pricing", "/pricing"), {"referrer": "https://ref.example/", "ip_address": "203.0.113.7"},
         {"title": "Pricing", "url": "/pricing", "referrer": "https://ref.example/", "ip": "203.0.113.7"}),
    ],
)  # fmt: skip
def test_sends(
    adapter: str, client: umami.Client, umami_server: RecordingServer, name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
    payload: dict[str, Any],
) -> None:  # fmt: skip
    assert call(adapter, client, name, *args, **kwargs) == SEND_ANSWER

    sent = umami_server.last
    assert (sent.method, sent.path, sent.json["type"]) == ("POST", "/api/send", "event")
    assert sent.json["payload"] == {"hostname": "example.com", "language": "en-US", "referrer": "", "screen": "1920x1080",
                                    "website": WEBSITE_ID, **payload}  # fmt: skip
    assert sent.headers["user-agent"].startswith("Mozilla/5.0")
    assert "authorization" not in sent.headers


def test_reading_calls(adapter: str, client: umami.Client, umami_server: RecordingServer) -> None:
    call(adapter, client, "login", "admin", "pw")

    sites = call(adapter, client, "websites")
    assert [type(site) for site in sites] == [Website]
    assert sites[0].id == WEBSITE_ID
    assert (umami_server.last.path, umami_server.last.query) == ("/api/websites", [("page", "1"), ("pageSize", "100")])

    stats = call(adapter, client, "website_stats", START, END, url="/pricing", country="DE")
    assert isinstance(stats, WebsiteStats)
    assert (stats.pageviews, stats.visitors, stats.comparison.pageviews) == (11, 3, 0)
    assert umami_server.last.path == f"/api/websites/{WEBSITE_ID}/stats"
    assert umami_server.last.query == [("startAt", "1793491200000"), ("endAt", "1795782600000"), ("path", "/pricing"), ("country", "DE")]

    assert call(adapter, client, "active_users") == 3
    assert umami_server.last.path == f"/api/websites/{WEBSITE_ID}/active"
    assert all(request.headers.get("authorization") == f"Bearer {TOKEN}" for request in umami_server.requests[1:])


# -- the same bytes on the wire ----------------------------------------------------------------

SCENARIO: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("heartbeat", (), {}),
    ("login", ("admin", "s3cret ✓"), {}),
    ("verify_token", (), {}),  # a POST without a body
    ("new_event", ("signup",), {"custom_data": {"plan": "pro", "note": "naïve ✓"}, "distinct_id": "user-42"}),
    ("new_revenue_event", (19.99, "EUR"), {}),
    ("new_page_view", ("Pricing", "/pricing?utm_source=news"), {"referrer": "https://ref.example/"}),
    ("websites", (), {}),
    ("website_stats", (START, END), {"url": "/a b&c", "title": "Ünïcode"}),
    ("active_users", (), {}),
]


def wire_bytes(adapter: str, server: RawServer) -> list[bytes]:
    """The exact bytes of each request of SCENARIO, sent through ``adapter``."""
    transport = make_transport(adapter)
    client = configure(umami.Client(transport=transport), server.url)
    first = len(server.requests)
    for name, args, kwargs in SCENARIO:
        call(adapter, client, name, *args, **kwargs)
    transport.close()
    return server.requests[first:]


def test_the_same_calls_put_the_same_bytes_on_the_wire(adapter: str) -> None:
    """Byte for byte what httpx sends: request line, every header in the same order and case, body.

    It holds because the core encodes URL, headers and body, and each adapter sends the framing
    headers as httpx does (Host; Content-Length: 0 of a bodiless POST; Accept-Encoding and
    Connection: keep-alive; the core's headers; the body's Content-Length). The one thing each
    library decides alone is the Accept-Encoding value, which lists what it can decompress:
    ``gzip, deflate`` for all three, and ``br`` / ``zstd`` as each finds brotli / zstandard installed.
    """
    with RawServer(answer_like_umami) as server:
        reference = wire_bytes("httpx-sync", server)
        sent = wire_bytes(adapter, server)

    assert len(reference) == len(SCENARIO)
    for (name, _, _), expected, actual in zip(SCENARIO, reference, sent, strict=True):
        assert actual.decode() == expected.decode(), name
    # What was compared is the full request, credentials and unicode bodies included.
    assert any(f"Authorization: Bearer {TOKEN}".encode() in raw for raw in sent)
    assert any("naïve ✓".encode() in raw for raw in sent)


def cloud_wire_bytes(adapter: str, server: RawServer) -> list[bytes]:
    """The exact bytes of Cloud-mode calls (API key), the core's Config pointed at ``server``, run by the public drivers."""
    config = umami_core.Config(website_id=WEBSITE_ID, hostname="example.com", api_key=API_KEY, region="eu",
                               cloud_api_url=f"{server.url}/v1", cloud_send_url=f"{server.url}/api/send")  # fmt: skip
    transport = make_transport(adapter)
    first = len(server.requests)
    assert run_flow(adapter, transport, umami_core.verify_token(config)) is True
    assert run_flow(adapter, transport, umami_core.heartbeat(config)) is True
    assert run_flow(adapter, transport, umami_core.new_event(config, "signup")) == SEND_ANSWER
    assert [site.id for site in run_flow(adapter, transport, umami_core.websites(config))] == [WEBSITE_ID]
    transport.close()
    return server.requests[first:]


def test_cloud_calls_put_the_same_bytes_on_the_wire(adapter: str) -> None:
    with RawServer(answer_like_umami) as server:
        reference = cloud_wire_bytes("httpx-sync", server)
        sent = cloud_wire_bytes(adapter, server)

    assert [raw.decode() for raw in sent] == [raw.decode() for raw in reference]
    assert [request_target(raw)[1].split("?")[0] for raw in sent] == ["/v1/eu/me", "/v1/eu/me", "/api/send", "/v1/eu/websites"]
    assert all(f"x-umami-api-key: {API_KEY}".encode() in raw for raw in sent[:2] + sent[3:])
    assert b"x-umami-api-key" not in sent[2]  # sends are never authenticated
