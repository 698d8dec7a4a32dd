"""Fixtures of the transport contract suite: every test runs once per adapter, against real servers
on 127.0.0.1, through the public ``umami.Client(transport=...)``.

- ``adapter``: one of ADAPTERS; ``make_transport(adapter)`` builds its transport.
- ``call(adapter, client, name, ...)``: the sync method, or ``asyncio.run(client.<name>_async(...))``.
- ``umami_server``: a RecordingServer answering like Umami v3.1 (bodies recorded from a real server).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

import umami
import umami_core
from tests.contract.raw_server import http_response, request_target
from tests.recording_server import Recorded, RecordingServer, Reply, json_reply
from umami_transports import AiohttpTransport, HttpxTransport, RequestsTransport, Transport, arun, run

ADAPTERS = ["httpx-sync", "httpx-async", "requests", "aiohttp"]
ASYNC_ADAPTERS = {"httpx-async", "aiohttp"}

WEBSITE_ID = "97205669-ea1f-4363-a133-7fd337cb3dbb"
USER_ID = "41e2b680-648e-4b09-bcd7-3e2b10c06264"
TOKEN = "btXhLXrnljMEGtyaw43B4I4uCK4IA01RbAHHUtfpF9ShLDH+bum5IJ4LVC1J9uSV1NgWQzdPa57LIre5sGEEV3hQ7L57"
API_KEY = "api_k3y_sup3r_s3cret"

# Bodies as the real server (v3.1.0) sent them: tests/data/recorded cases 001, 002, 008, 036, 027, 071, 076.
USER = {"id": USER_ID, "username": "admin", "role": "admin", "createdAt": "2026-11-27T14:33:22.105Z", "isAdmin": True, "teams": []}
WEBSITE = {
    "id": WEBSITE_ID, "name": "Client Test Site", "domain": "example.com", "resetAt": None, "userId": USER_ID, "teamId": None,
    "createdBy": USER_ID, "createdAt": "2026-11-27T14:48:46.406Z", "updatedAt": "2026-11-27T14:48:46.406Z", "deletedAt": None,
    "replayEnabled": False, "replayConfig": None, "user": {"username": "admin", "id": USER_ID}, "shareId": None,
}  # fmt: skip
SEND_ANSWER = {"cache": "eyJhbGciOiJIUzI1NiJ9.eyJ2aXNpdElkIjoiNGQ2ZSJ9.841ZgTWMYYDU7", "sessionId": "ca7d15c0-ce3f-5260-8c28-f3bc84f22b83",
               "visitId": "4d6e3aa6-41b0-5305-812a-e7c7330d6e54"}  # fmt: skip
STATS = {"pageviews": 11, "visitors": 3, "visits": 4, "bounces": 3, "totaltime": 0,
         "comparison": {"pageviews": 0, "visitors": 0, "visits": 0, "bounces": 0, "totaltime": 0}}  # fmt: skip

DATA = "(/api|/v1|/v1/us|/v1/eu)"  # self-hosted, and Cloud without and with a region
ROUTES: list[tuple[str, str, Any]] = [
    ("GET", r"/api/heartbeat", {"ok": True}),
    ("POST", r"/api/auth/login", {"token": TOKEN, "user": USER}),
    ("POST", r"/api/auth/verify", USER),
    ("GET", DATA + r"/me", {"user": USER}),
    ("POST", r"/api/send", SEND_ANSWER),
    ("GET", DATA + r"/websites", {"data": [WEBSITE], "count": 1, "page": 1, "pageSize": 100}),
    ("GET", DATA + r"/websites/[0-9a-f-]+/stats", STATS),
    ("GET", DATA + r"/websites/[0-9a-f-]+/active", {"visitors": 3}),
]
NOT_FOUND = {"error": {"message": "Not found", "code": "not-found", "status": 404}}


def umami_answer(method: str, path: str) -> tuple[int, Any]:
    """(status, JSON body) of Umami's answer to ``method path``."""
    for route_method, pattern, body in ROUTES:
        if method == route_method and re.fullmatch(pattern, path):
            return 200, body
    return 404, NOT_FOUND


def umami_responder(request: Recorded) -> Reply:
    status, body = umami_answer(request.method, request.path)
    return json_reply(body, status)


def answer_like_umami(raw: bytes) -> bytes:
    """For a RawServer: Umami's answer to the raw request ``raw``."""
    method, target = request_target(raw)
    status, body = umami_answer(method, target.split("?")[0])
    return http_response(status, json.dumps(body).encode())


def make_transport(adapter: str, timeout: float | None = None) -> Transport:
    """The adapter's transport with its default settings, or with every timeout set to ``timeout`` seconds."""
    if timeout is not None and adapter == "aiohttp":
        return AiohttpTransport(timeout=aiohttp.ClientTimeout(connect=timeout, sock_read=timeout))
    if adapter in ("httpx-sync", "httpx-async"):
        return HttpxTransport() if timeout is None else HttpxTransport(timeout=timeout)
    if adapter == "requests":
        return RequestsTransport() if timeout is None else RequestsTransport(timeout=(timeout, timeout))
    if adapter == "aiohttp":
        return AiohttpTransport()
    raise ValueError(adapter)


def call(adapter: str, client: umami.Client, name: str, *args: Any, **kwargs: Any) -> Any:
    """``client.<name>(...)``, or for an async adapter ``asyncio.run(client.<name>_async(...))``."""
    if adapter in ASYNC_ADAPTERS:
        return asyncio.run(getattr(client, f"{name}_async")(*args, **kwargs))
    return getattr(client, name)(*args, **kwargs)


def run_flow(adapter: str, transport: Transport, flow: umami_core.Flow[Any]) -> Any:
    """Run a core flow over ``transport`` with the driver the adapter uses (the public drivers)."""
    if adapter in ASYNC_ADAPTERS:
        return asyncio.run(arun(flow, transport))
    return run(flow, transport)


@pytest.fixture(params=ADAPTERS)
def adapter(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def umami_server() -> Iterator[RecordingServer]:
    with RecordingServer(umami_responder) as server:
        yield server


def configure(client: umami.Client, url_base: str) -> umami.Client:
    """``client`` set up for the self-hosted Umami at ``url_base``, with a default website and hostname."""
    client.set_url_base(url_base)
    client.set_website_id(WEBSITE_ID)
    client.set_hostname("example.com")
    return client


@pytest.fixture
def transport(adapter: str) -> Iterator[Transport]:
    made = make_transport(adapter)
    yield made
    made.close()  # the async adapters' sessions are closed with their event loop


@pytest.fixture
def client(transport: Transport, umami_server: RecordingServer) -> umami.Client:
    return configure(umami.Client(transport=transport), umami_server.url)
