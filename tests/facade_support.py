"""Shared fixtures and helpers of the facade end-to-end tests (tests/test_facade_*.py).

Every facade test talks to a real HTTP server on 127.0.0.1 (tests/recording_server.py) that answers
like Umami 3.1 (bodies from tests/data/recorded/) and records what the library put on the wire. Cloud
mode is tested without changing the library: the httpx client given to ``umami.set_transport()``
has a transport that re-routes requests for ``api.umami.is`` / ``cloud.umami.is`` to the local
server, so the recorded request still shows the Cloud host (``Host`` header) and path.

Fixtures are registered under short names (``server``, ``selfhosted``, ``logged_in``, ``call``, ``cloud``...)
by functions named ``<name>_fixture``; tests/conftest.py registers them for every test.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any, Union

import httpx
import pytest

import umami
import umami_core
from tests.recorded import RECORDED
from tests.recording_server import Recorded, RecordingServer, Reply, json_reply

# -- fixed values ------------------------------------------------------------------------------

SITE = "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
OTHER_SITE = "978435e2-7ba1-4337-9860-ec31ece2db60"
HOSTNAME = "example.com"
#: Distinctive secrets: searched for in messages, reprs and logs.
TOKEN = "tok-SECRET-123"
API_KEY = "key-SECRET-456"
USERNAME = "admin"
PASSWORD = "pw-SECRET-789"

CLOUD_API_HOST = "api.umami.is"
CLOUD_SEND_HOST = "cloud.umami.is"
CLOUD_HOSTS = frozenset({CLOUD_API_HOST, CLOUD_SEND_HOST})

SDK_UA = umami.user_agent
BROWSER_UA = umami_core.BROWSER_USER_AGENT


@cache
def _recorded_file(case: str) -> dict[str, Any]:
    (path,) = sorted(RECORDED.glob(f"{case}_*.json"))[:1]
    return json.loads(path.read_text())  # type: ignore[no-any-return]


def recorded_body(case: str) -> Any:
    """A fresh copy of the recorded response body of ``case`` ('071' or '071_stats')."""
    number = case.split("_")[0]
    return json.loads(json.dumps(_recorded_file(number)["response"]["body"]))


def recorded_reply(case: str) -> Reply:
    """The recorded response of ``case`` as the local server's answer (status, content type, body)."""
    response = _recorded_file(case.split("_")[0])["response"]
    if response["body_is_json"]:
        return json_reply(response["body"], response["status"])
    content_type = next((value for name, value in response["headers"].items() if name.lower() == "content-type"), None)
    headers = {"Content-Type": content_type} if content_type else {}
    return Reply(response["status"], response["body"] or b"", headers)


def login_body(token: str = TOKEN) -> dict[str, Any]:
    body = recorded_body("002")
    body["token"] = token
    return body  # type: ignore[no-any-return]


def website(number: int) -> dict[str, Any]:
    """A website record shaped like the recorded listing (null fields included), with a real UUID."""
    record = dict(recorded_body("027")["data"][0])
    record["id"] = f"3f1c2a4e-5b6d-4e7f-8a9b-{number:012d}"
    record["name"] = f"Site {number}"
    record["domain"] = f"site{number}.example.com"
    return record


# -- a scripted Umami ---------------------------------------------------------------------------

ReplyLike = Union[Reply, Callable[[Recorded], Reply]]

_PREFIX = re.compile(r"^(?:/api|/v1(?:/us|/eu)?)(/.*)$")
_WEBSITE_ROUTE = re.compile(r"^/websites/[^/]+/(stats|active)$")


def api_route(path: str) -> str | None:
    """The route without its prefix: '/api/websites' and '/v1/eu/websites' are both '/websites'."""
    match = _PREFIX.match(path)
    return match.group(1) if match else None


class ScriptedUmami:
    """A responder that answers like Umami 3.1, by route; ``on()`` overrides single routes.

    The self-hosted prefix ``/api`` and the Cloud prefixes ``/v1``, ``/v1/us``, ``/v1/eu`` lead to the
    same routes. An unknown route answers the recorded HTML 404 page, as the real server does.
    """

    def __init__(self) -> None:
        self.overrides: dict[tuple[str, str], ReplyLike] = {}
        self.fallback: ReplyLike | None = None

    def on(self, method: str, route: str, reply: ReplyLike) -> None:
        """Answer ``method route`` (route without prefix, e.g. '/websites') with ``reply``."""
        self.overrides[(method, route)] = reply

    def always(self, reply: ReplyLike) -> None:
        """Answer every request with ``reply``."""
        self.fallback = reply

    def __call__(self, request: Recorded) -> Reply:
        route = api_route(request.path) or request.path
        chosen = self.fallback
        if chosen is None:
            chosen = self.overrides.get((request.method, route))
        if chosen is None:
            chosen = self._default(request.method, route)
        return chosen(request) if callable(chosen) else _copy(chosen)

    @staticmethod
    def _default(method: str, route: str) -> Reply:
        known: dict[tuple[str, str], Callable[[], Reply]] = {
            ("POST", "/auth/login"): lambda: json_reply(login_body()),
            ("POST", "/auth/verify"): lambda: recorded_reply("008"),
            ("GET", "/heartbeat"): lambda: recorded_reply("001"),
            ("GET", "/me"): lambda: json_reply({"authType": "api-key", "user": recorded_body("011")["user"]}),
            ("POST", "/send"): lambda: recorded_reply("036"),
            ("GET", "/websites"): lambda: recorded_reply("027"),
        }
        if (method, route) in known:
            return known[(method, route)]()
        match = _WEBSITE_ROUTE.match(route)
        if method == "GET" and match:
            return recorded_reply("071" if match.group(1) == "stats" else "076")
        return recorded_reply("109")


def _copy(reply: Reply) -> Reply:
    # The server mutates reply.headers (setdefault Content-Type): hand it a copy each time.
    return Reply(reply.status, reply.body, dict(reply.headers), reply.delay)


class UmamiServer(RecordingServer):
    """A RecordingServer whose responder is a ScriptedUmami (``server.script``)."""

    def __init__(self) -> None:
        self.script = ScriptedUmami()
        super().__init__(self.script)


# -- Cloud re-routing -----------------------------------------------------------------------------


class Reroute(httpx.BaseTransport):
    """Sends requests for the Cloud hosts to the local server; everything else goes where it says.

    ``urls`` keeps the URL of every request as the library built it (before re-routing).
    """

    def __init__(self, target: str) -> None:
        self.target = httpx.URL(target)
        self.inner = httpx.HTTPTransport()
        self.urls: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        _reroute(request, self.target)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


class AsyncReroute(httpx.AsyncBaseTransport):
    """Async twin of :class:`Reroute`."""

    def __init__(self, target: str) -> None:
        self.target = httpx.URL(target)
        self.inner = httpx.AsyncHTTPTransport()
        self.urls: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        _reroute(request, self.target)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def _reroute(request: httpx.Request, target: httpx.URL) -> None:
    # The Host header was set from the original URL when the request was built, and stays.
    if request.url.host in CLOUD_HOSTS:
        request.url = request.url.copy_with(scheme="http", host=target.host, port=target.port)


def cloud_client(server: RecordingServer) -> httpx.Client:
    return httpx.Client(transport=Reroute(server.url))


def cloud_async_client(server: RecordingServer) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=AsyncReroute(server.url))


def cloud_prefix(region: str | None) -> str:
    return "/v1" + (f"/{region}" if region else "")


# -- calling the facade sync or async -------------------------------------------------------------

Target = Any  # the umami module or a umami.Client


class Caller:
    """Calls a facade function by name: the sync one, or its ``_async`` twin inside ``asyncio.run``.

    Args:
        is_async: Call ``<name>_async`` under a fresh ``asyncio.run`` instead of ``<name>``.
        async_client: For the async side, a factory of the httpx.AsyncClient to install (via
            ``set_transport``) inside the event loop; it is closed before the loop ends. Without it
            the default transport serves, and its client for that loop is closed at the end.
    """

    def __init__(self, is_async: bool, async_client: Callable[[], httpx.AsyncClient] | None = None) -> None:
        self.is_async = is_async
        self.async_client = async_client

    @property
    def mode(self) -> str:
        return "async" if self.is_async else "sync"

    def __call__(self, name: str, *args: Any, target: Target = umami, **kwargs: Any) -> Any:
        if not self.is_async:
            return getattr(target, name)(*args, **kwargs)
        return asyncio.run(self._call_async(target, name, args, kwargs))

    async def _call_async(self, target: Target, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        function = getattr(target, f"{name}_async")
        if self.async_client is not None:
            async with self.async_client() as client:
                target.set_transport(client)
                return await function(*args, **kwargs)
        owner = target if isinstance(target, umami.Client) else umami.default_client()
        try:
            return await function(*args, **kwargs)
        finally:
            await owner.aclose()


# -- wire assertions ----------------------------------------------------------------------------


def assert_data_headers(request: Recorded, *, token: str | None = None, api_key: str | None = None, host: str | None = None) -> None:
    """Headers of a data or auth call: SDK User-Agent, JSON Accept, exactly the credential given."""
    headers = request.headers
    assert headers["user-agent"] == SDK_UA
    assert headers["accept"] == "application/json"
    if token is None:
        assert "authorization" not in headers
    else:
        assert headers["authorization"] == f"Bearer {token}"
    if api_key is None:
        assert "x-umami-api-key" not in headers
    else:
        assert headers["x-umami-api-key"] == api_key
    if host is not None:
        assert headers["host"] == host


def assert_send_headers(request: Recorded, *, user_agent: str = BROWSER_UA, host: str | None = None) -> None:
    """Headers of a /api/send call: the given User-Agent, JSON in and out, and never a credential."""
    headers = request.headers
    assert headers["user-agent"] == user_agent
    assert headers["content-type"] == "application/json"
    assert headers["accept"] == "application/json"
    assert "authorization" not in headers
    assert "x-umami-api-key" not in headers
    if host is not None:
        assert headers["host"] == host


def event_body(payload: dict[str, Any]) -> dict[str, Any]:
    return {"payload": payload, "type": "event"}


def default_event_payload(name: str, **changes: Any) -> dict[str, Any]:
    """The payload new_event(name) sends with every default and the fixtures' website and hostname."""
    payload: dict[str, Any] = {
        "hostname": HOSTNAME,
        "language": "en-US",
        "referrer": "",
        "screen": "1920x1080",
        "title": name,
        "url": "/",
        "website": SITE,
        "name": name,
        "data": {},
    }
    payload.update(changes)
    return payload


# -- fixtures -----------------------------------------------------------------------------------


def _clean_default_client() -> None:
    umami.reset()
    umami.set_transport(None)
    umami.default_client().close()


@pytest.fixture(name="clean_umami")
def clean_umami_fixture() -> Iterator[None]:
    """The default client reset (settings, credentials, transports) before and after the test."""
    _clean_default_client()
    yield
    _clean_default_client()


@pytest.fixture(name="server")
def server_fixture() -> Iterator[UmamiServer]:
    """A scripted Umami on 127.0.0.1 that records every request."""
    with UmamiServer() as running:
        yield running


@pytest.fixture(name="other_server")
def other_server_fixture() -> Iterator[UmamiServer]:
    """A second scripted Umami on another port (another host, as far as credentials go)."""
    with UmamiServer() as running:
        yield running


@pytest.fixture(name="closed_port_url")
def closed_port_url_fixture() -> str:
    """The URL of a port on 127.0.0.1 that was bound and closed: connecting to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(name="selfhosted")
def selfhosted_fixture(clean_umami: None, server: UmamiServer) -> UmamiServer:
    """Self-hosted mode on the local server, with a default website and hostname; not logged in."""
    umami.set_url_base(server.url)
    umami.set_website_id(SITE)
    umami.set_hostname(HOSTNAME)
    return server


@pytest.fixture(name="logged_in")
def logged_in_fixture(selfhosted: UmamiServer) -> UmamiServer:
    """Self-hosted and logged in (the server hands out TOKEN); the login request is forgotten."""
    umami.login(USERNAME, PASSWORD)
    selfhosted.requests.clear()
    return selfhosted


@pytest.fixture(name="call", params=["sync", "async"])
def call_fixture(request: pytest.FixtureRequest) -> Caller:
    """Calls a facade function sync or async (both, as two test cases), over the default transport."""
    return Caller(request.param == "async")


@pytest.fixture(name="region", params=[None, "us", "eu"], ids=["no-region", "us", "eu"])
def region_fixture(request: pytest.FixtureRequest) -> str | None:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(name="cloud")
def cloud_fixture(clean_umami: None, server: UmamiServer, region: str | None) -> Iterator[UmamiServer]:
    """Cloud mode (API_KEY, every region) with the Cloud hosts re-routed to the local server (sync side;
    use :func:`cloud_call` for both sides)."""
    client = cloud_client(server)
    umami.set_transport(client)
    umami.set_cloud_api_key(API_KEY, region=region)
    umami.set_website_id(SITE)
    umami.set_hostname(HOSTNAME)
    yield server
    client.close()


@pytest.fixture(name="cloud_call", params=["sync", "async"])
def cloud_call_fixture(request: pytest.FixtureRequest, cloud: UmamiServer) -> Caller:
    """Calls a facade function sync or async in Cloud mode; the async side gets a re-routing AsyncClient."""
    return Caller(request.param == "async", async_client=lambda: cloud_async_client(cloud))
