"""The examples run as users run them (a subprocess, the server URL as argument) against a local
server that answers like Umami; their output and what they put on the wire are checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.contract.conftest import TOKEN, WEBSITE_ID, umami_answer, umami_responder
from tests.contract.raw_server import RawServer, request_target
from tests.recording_server import RecordingServer

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run_example(name: str, url: str) -> list[str]:
    done = subprocess.run([sys.executable, str(EXAMPLES / name), url], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_embed_http_client() -> None:
    with RecordingServer(umami_responder) as server:
        output = run_example("embed_http_client.py", server.url)

    assert output == [
        "heartbeat: True",
        "logged in as: admin",
        "event sent, session: ca7d15c0-ce3f-5260-8c28-f3bc84f22b83",
        "websites: Client Test Site",
        "active users: 3",
        "connections opened: 1",
        "imported: []",  # neither httpx nor requests nor aiohttp
    ]
    assert [(request.method, request.path) for request in server.requests] == [
        ("GET", "/api/heartbeat"),
        ("POST", "/api/auth/login"),
        ("POST", "/api/send"),
        ("GET", "/api/websites"),
        ("GET", f"/api/websites/{WEBSITE_ID}/active"),
    ]
    assert server.connections == 1
    event = server.requests[2]
    assert event.json["payload"]["data"] == {"via": "http.client"}
    assert event.headers["content-type"] == "application/json"
    assert server.requests[3].headers["authorization"] == f"Bearer {TOKEN}"


def chunked_like_next_js(raw: bytes) -> bytes:
    """Umami (Next.js) answers with chunked bodies: the example's own HTTP code must read them."""
    method, target = request_target(raw)
    status, body = umami_answer(method, target.split("?")[0])
    payload = json.dumps(body).encode()
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (payload[:10], payload[10:]) if part)
    return f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".encode() + chunks + b"0\r\n\r\n"


def test_embed_asyncio_streams() -> None:
    with RawServer(chunked_like_next_js) as server:
        output = run_example("embed_asyncio_streams.py", server.url)

    assert output == [
        "heartbeat: True",
        "logged in as: admin",
        "page view / sent, visit: 4d6e3aa6-41b0-5305-812a-e7c7330d6e54",
        "page view /pricing sent, visit: 4d6e3aa6-41b0-5305-812a-e7c7330d6e54",
        "active users: 3",
        "connections opened: 1",
        "imported: []",
    ]
    assert [request_target(raw) for raw in server.requests] == [
        ("GET", "/api/heartbeat"),
        ("POST", "/api/auth/login"),
        ("POST", "/api/send"),
        ("POST", "/api/send"),
        ("GET", f"/api/websites/{WEBSITE_ID}/active"),
    ]
    assert server.connections == 1
    assert b'"url":"/pricing"' in server.requests[3]
    assert f"Authorization: Bearer {TOKEN}".encode() in server.requests[4]


def test_trio_httpx() -> None:
    with RecordingServer(umami_responder) as server:
        output = run_example("trio_httpx.py", server.url)

    assert output == [
        "running under: trio",
        "heartbeat: True",
        "logged in as: admin",
        "events sent: free:True, pro:True, team:True",
        "active users: 3",
    ]
    paths = [(request.method, request.path) for request in server.requests]
    assert paths[:2] == [("GET", "/api/heartbeat"), ("POST", "/api/auth/login")]
    assert sorted(paths[2:5]) == [("POST", "/api/send")] * 3
    assert paths[5] == ("GET", f"/api/websites/{WEBSITE_ID}/active")
    assert sorted(request.json["payload"]["data"]["plan"] for request in server.requests[2:5]) == ["free", "pro", "team"]


def run_standalone(name: str) -> list[str]:
    """An example that starts its own embedded Umami: run as users run it, with no argument."""
    done = subprocess.run([sys.executable, str(EXAMPLES / name)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_fastapi_app() -> None:
    assert run_standalone("fastapi_app.py") == [
        "GET / -> 200",
        "GET /pricing?utm_source=newsletter -> 200",
        "GET /api/prices -> 200",
        "GET / -> 200",
        "GET /healthz -> 200",
        "GET /pricing -> 200",
        "delivered: True, events queued 4, delivered 4",  # the pages; the crawler's is sent, and dropped by Umami
        "page views: 3, visitors: 2",
        "visitors by path:",
        "  /: 2",
        "  /pricing: 1",
        "visitor IPs the page views carried: ['198.51.100.4', '203.0.113.7']",  # not the proxy's
    ]


def test_flask_app() -> None:
    assert run_standalone("flask_app.py") == [
        "GET / -> 200",
        "GET /account -> 200",
        "GET /account -> 200",
        "GET / -> 200",
        "GET /static/app.css -> 200",
        "delivered: True, events queued 4, delivered 4",
        "page views: 4, visitors: 3",  # user-42 from two addresses is one visitor
        "visitors by page title:",
        "  home: 2",
        "  account: 1",
    ]
