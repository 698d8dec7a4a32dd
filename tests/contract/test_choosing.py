"""Choosing the transport: by name, by handing in your own configured session or client, for a Client
and for the module-level functions; the optional libraries stay optional."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import aiohttp
import httpx
import pytest
import requests

import umami
import umami_transports
from tests.contract.conftest import SEND_ANSWER, TOKEN, configure
from tests.recording_server import RecordingServer, json_reply
from umami.errors import APIError

NOT_FOUND = {"error": {"message": "Website not found.", "code": "bad-request", "status": 400}}


@pytest.fixture
def rejecting_server() -> Iterator[RecordingServer]:
    """Every send is rejected with 400: which library's status error comes out shows which adapter ran."""
    with RecordingServer(lambda request: json_reply(NOT_FOUND, 400)) as server:
        yield server


@pytest.mark.parametrize(
    ("name", "sync_error", "async_error"),
    [
        ("httpx", httpx.HTTPStatusError, httpx.HTTPStatusError),
        ("requests", requests.HTTPError, httpx.HTTPStatusError),  # sync only: async calls stay on httpx
        ("aiohttp", httpx.HTTPStatusError, aiohttp.ClientResponseError),  # async only: sync calls stay on httpx
    ],
)
def test_a_client_picks_an_adapter_by_name(
    rejecting_server: RecordingServer, name: str, sync_error: type[Exception], async_error: type[Exception]
) -> None:
    client = configure(umami.Client(transport=name), rejecting_server.url)  # type: ignore[arg-type]

    with pytest.raises(sync_error) as sync_caught:
        client.new_event("signup")
    with pytest.raises(async_error) as async_caught:
        asyncio.run(client.new_event_async("signup"))

    assert isinstance(sync_caught.value, APIError)
    assert isinstance(async_caught.value, APIError)
    assert sync_caught.value.message == async_caught.value.message == "Website not found."


def test_the_module_level_functions_pick_an_adapter_by_name(rejecting_server: RecordingServer) -> None:
    try:
        umami.set_transport("requests")
        umami.set_url_base(rejecting_server.url)
        umami.set_website_id("97205669-ea1f-4363-a133-7fd337cb3dbb")
        umami.set_hostname("example.com")
        with pytest.raises(requests.HTTPError):
            umami.new_event("signup")
        umami.set_transport(None)  # back to the default, httpx
        with pytest.raises(httpx.HTTPStatusError):
            umami.new_event("signup")
    finally:
        umami.set_transport(None)
        umami.reset()
    assert len(rejecting_server.requests) == 2


def test_your_own_requests_session_is_used_and_stays_open(umami_server: RecordingServer) -> None:
    session = requests.Session()
    session.headers["X-Trace"] = "trace-1"
    session.headers["User-Agent"] = "overridden by the core"
    with configure(umami.Client(transport=session), umami_server.url) as client:
        assert client.new_event("signup") == SEND_ANSWER

    recorded = umami_server.last
    assert recorded.headers["x-trace"] == "trace-1"
    assert recorded.headers["user-agent"].startswith("Mozilla/5.0")  # the core's headers win
    assert session.get(f"{umami_server.url}/api/heartbeat").json() == {"ok": True}  # still open: it is yours
    assert umami_server.connections == 1
    session.close()


def test_your_own_aiohttp_session_is_used_and_stays_open(umami_server: RecordingServer) -> None:
    async def main() -> tuple[object, bool]:
        async with aiohttp.ClientSession(headers={"X-Trace": "trace-2"}) as session:
            client = configure(umami.Client(transport=session), umami_server.url)
            result = await client.new_event_async("signup")
            await client.aclose()
            return result, session.closed

    result, closed = asyncio.run(main())

    assert result == SEND_ANSWER
    assert closed is False
    assert umami_server.last.headers["x-trace"] == "trace-2"
    assert umami_server.last.headers["user-agent"].startswith("Mozilla/5.0")


def test_your_own_httpx_client_is_used(umami_server: RecordingServer) -> None:
    with httpx.Client(headers={"X-Trace": "trace-3"}) as own:
        client = configure(umami.Client(transport=own), umami_server.url)
        assert client.new_event("signup") == SEND_ANSWER
        client.close()
        assert not own.is_closed
    assert umami_server.last.headers["x-trace"] == "trace-3"


@pytest.mark.parametrize("wrong", ["curl", 42, requests])
def test_anything_else_is_a_type_error(wrong: object) -> None:
    with pytest.raises(TypeError, match="set_transport"):
        umami.Client(transport=wrong)  # type: ignore[arg-type]


def test_default_timeouts() -> None:
    assert umami_transports.RequestsTransport().timeout == (5.0, 10.0)
    aiohttp_timeout = umami_transports.AiohttpTransport().timeout
    assert (aiohttp_timeout.total, aiohttp_timeout.sock_connect, aiohttp_timeout.sock_read) == (None, 5.0, 10.0)
    assert aiohttp_timeout.connect is None  # aiohttp counts the wait for a pooled connection in it: a burst would fail
    assert umami_transports.DEFAULT_TIMEOUT == httpx.Timeout(10.0, connect=5.0)


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60, check=False)


def test_importing_umami_does_not_import_requests_or_aiohttp() -> None:
    done = run_python("""
        import sys
        import umami, umami_transports
        print(sorted(name for name in ("requests", "aiohttp") if name in sys.modules))
    """)
    assert done.stdout.strip() == "[]", done.stderr


def test_importing_umami_leaves_httpx_and_pydantic_for_the_first_call() -> None:
    # Most of an import's time is theirs (pydantic building the models): a program that only
    # imports umami, or sends nothing yet, does not pay for them.
    done = run_python("""
        import sys
        import umami, umami_transports, umami_core
        print(sorted(name for name in ("httpx", "pydantic", "anyio", "asyncio") if name in sys.modules))
        umami.set_url_base("http://127.0.0.1:9")
        print(umami.heartbeat(), umami.models.Website.__name__, "httpx" in sys.modules, "pydantic" in sys.modules)
    """)
    assert done.stdout.splitlines() == ["[]", "False Website True True"], done.stderr


def test_without_the_optional_libraries_choosing_them_says_how_to_install() -> None:
    """A Python where requests and aiohttp are not installed (``sys.modules[name] = None`` makes their import fail)."""
    done = run_python("""
        import sys
        sys.modules["requests"] = None
        sys.modules["aiohttp"] = None
        import umami, umami_transports
        umami.set_url_base("http://127.0.0.1:9")
        for choose in (lambda: umami.set_transport("requests"), lambda: umami_transports.AiohttpTransport):
            try:
                choose()
            except ImportError as error:
                print(error)
        print(umami.heartbeat())  # httpx alone still works
    """)
    assert done.stdout.splitlines() == [
        "RequestsTransport needs the requests package: pip install requests (or the [requests] extra)",
        "AiohttpTransport needs the aiohttp package: pip install aiohttp (or the [aiohttp] extra)",
        "False",
    ], done.stderr


def test_the_cores_headers_win_over_your_sessions_auth(umami_server: RecordingServer) -> None:
    session = requests.Session()
    session.auth = ("proxy-user", "proxy-password")  # would set its own Authorization header
    client = configure(umami.Client(transport=session), umami_server.url)
    client.login("admin", "pw")
    client.websites()

    assert umami_server.last.headers["authorization"] == f"Bearer {TOKEN}"
    session.close()
