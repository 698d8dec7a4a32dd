"""The fake over real HTTP: the command line, the wire (keep-alive, chunked bodies, HEAD, CORS), Cloud
mode through every transport, concurrent clients, curl, and the examples that document it."""

from __future__ import annotations

import asyncio
import http.client
import json
import shutil
import signal
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

import umami_core
from umami_transports import AiohttpTransport, HttpxTransport, RequestsTransport, Transport, arun, run
from umami_transports.fake import FakeServer, FakeUmami

ROOT = Path(__file__).resolve().parents[2]
WEBSITE = "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
BROWSER = umami_core.BROWSER_USER_AGENT


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer(FakeUmami(website_id=WEBSITE)) as running:
        yield running


def test_command_line_prints_what_a_client_needs() -> None:
    command = [sys.executable, "-m", "umami_transports.fake", "--port", "0", "--website-id", WEBSITE, "--domain", "shop.example"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(5)]
        url = lines[0].split()[-1]
        assert lines[0].startswith("Fake Umami 3.1 listening on http://127.0.0.1:")
        assert "admin / umami" in lines[1] and f"{WEBSITE}  (Example, shop.example)" in lines[2]
        with urllib.request.urlopen(f"{url}/api/heartbeat", timeout=10) as answer:
            assert json.load(answer) == {"ok": True}
        login = urllib.request.Request(
            f"{url}/api/auth/login", json.dumps({"username": "admin", "password": "umami"}).encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(login, timeout=10) as answer:
            assert json.load(answer)["user"]["username"] == "admin"
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


def test_keep_alive_head_options_chunked_and_redirects(server: FakeServer) -> None:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        connection.request("GET", "/api/heartbeat")
        first = connection.getresponse()
        assert (first.status, first.read(), first.will_close) == (200, b'{"ok":true}', False)
        socket = connection.sock
        connection.request("HEAD", "/api/heartbeat")
        head = connection.getresponse()
        assert (head.status, head.read(), head.getheader("Content-Length")) == (200, b"", "11")
        connection.request("OPTIONS", "/api/send")
        options = connection.getresponse()
        assert (options.status, options.getheader("Access-Control-Allow-Origin"), options.read()) == (204, "*", b"")
        body = json.dumps({"type": "event", "payload": {"website": WEBSITE, "url": "/chunked"}}).encode()
        connection.request(
            "POST",
            "/api/send",
            body=iter([body[:20], body[20:]]),
            headers={"User-Agent": BROWSER, "Content-Type": "application/json"},
            encode_chunked=True,
        )
        sent = connection.getresponse()
        assert sent.status == 200 and "sessionId" in json.loads(sent.read())
        connection.request("GET", "/api/heartbeat/")
        moved = connection.getresponse()
        assert (moved.status, moved.getheader("Location"), moved.read()) == (308, "/api/heartbeat", b"/api/heartbeat")
        assert connection.sock is socket  # one connection served all five
    finally:
        connection.close()
    assert [view.url_path for view in server.fake.page_views()] == ["/chunked"]


def test_many_clients_at_once(server: FakeServer) -> None:
    def visitor(number: int) -> int:
        with httpx.Client(base_url=server.url, headers={"User-Agent": BROWSER}) as client:
            for page in range(5):
                payload = {"website": WEBSITE, "url": f"/{page}", "ip": f"203.0.113.{number}"}
                assert client.post("/api/send", json={"type": "event", "payload": payload}).status_code == 200
        return number

    with ThreadPoolExecutor(8) as pool:
        assert sorted(pool.map(visitor, range(16))) == list(range(16))
    assert len(server.fake.page_views()) == 80 and len(server.fake.sessions()) == 16


CLIENTS = 300


def test_a_few_hundred_clients_connecting_at_the_same_moment(server: FakeServer) -> None:
    """Each client opens its own connection at the same moment: none may be refused or reset."""
    start = threading.Barrier(CLIENTS)

    def visitor(number: int) -> tuple[int, str]:
        payload = {"website": WEBSITE, "url": f"/{number}", "ip": f"10.0.{number // 256}.{number % 256}"}
        body = json.dumps({"type": "event", "payload": payload})
        connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
        try:
            start.wait(timeout=30)
            connection.request("POST", "/api/send", body, {"User-Agent": BROWSER, "Content-Type": "application/json"})
            answer = connection.getresponse()
            return answer.status, json.loads(answer.read())["sessionId"]
        except (OSError, http.client.HTTPException) as error:
            return 0, repr(error)
        finally:
            connection.close()

    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(visitor, range(CLIENTS)))
    assert [answer for answer in answers if answer[0] != 200] == []
    assert len({session for _, session in answers}) == CLIENTS
    assert len(server.fake.page_views()) == CLIENTS


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed on this machine")
def test_curl(server: FakeServer) -> None:
    def curl(*args: str) -> Any:
        return json.loads(subprocess.run(["curl", "-s", *args], capture_output=True, text=True, timeout=30, check=True).stdout)

    assert curl(f"{server.url}/api/heartbeat") == {"ok": True}
    send = [
        "-H",
        "Content-Type: application/json",
        "-d",
        json.dumps({"type": "event", "payload": {"website": WEBSITE, "url": "/"}}),
        f"{server.url}/api/send",
    ]
    assert curl(*send) == {"beep": "boop"}  # curl's own User-Agent is a bot's
    assert "sessionId" in curl("-A", BROWSER, *send)


TRANSPORTS = ["httpx-sync", "httpx-async", "requests", "aiohttp"]


@pytest.mark.parametrize("adapter", TRANSPORTS)
def test_cloud_mode_over_http(server: FakeServer, adapter: str) -> None:
    """Cloud mode as the library does it (x-umami-api-key on /v1/eu/..., sends to /api/send), with
    the Cloud hosts replaced by the fake's URL through the core's Config."""
    key = server.fake.create_api_key()
    config = umami_core.Config(website_id=WEBSITE, hostname="example.com", region="eu", cloud_api_url=f"{server.url}/v1",
                               cloud_send_url=f"{server.url}/api/send").with_cloud_api_key(key, "eu")  # fmt: skip
    transport: Transport = {
        "httpx-sync": HttpxTransport,
        "httpx-async": HttpxTransport,
        "requests": RequestsTransport,
        "aiohttp": AiohttpTransport,
    }[adapter]()

    def go(flow: Any) -> Any:
        return asyncio.run(arun(flow, transport)) if adapter in ("httpx-async", "aiohttp") else run(flow, transport)

    try:
        assert go(umami_core.heartbeat(config)) is True and go(umami_core.verify_token(config)) is True
        assert "sessionId" in go(umami_core.new_page_view(config, "Home", "/", ip_address="203.0.113.5"))
        go(umami_core.new_revenue_event(config, 12.0, "EUR", ip_address="203.0.113.5"))
        assert [site.id for site in go(umami_core.websites(config))] == [WEBSITE]
        assert go(umami_core.active_users(config)) == 1
        assert go(umami_core.website_stats(config, *_window())).pageviews == 1
        bad = umami_core.Config(cloud_api_url=f"{server.url}/v1").with_cloud_api_key("not-a-key", None)
        assert go(umami_core.verify_token(bad)) is False
    finally:
        transport.close()
    assert [row.revenue for row in server.fake.revenue()] == [12.0]


def _window() -> tuple[Any, Any]:
    import datetime

    now = datetime.datetime.now(datetime.timezone.utc)
    return now - datetime.timedelta(hours=1), now + datetime.timedelta(minutes=1)


def test_demo_runs_on_the_embedded_fake() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=_env_without_umami(),
    )
    assert done.returncode == 0, done.stderr
    lines = [" ".join(line.split()) for line in done.stdout.splitlines()]
    assert lines[0].startswith("Umami demo: embedded fake Umami at http://127.0.0.1:")
    for expected in ("page views 9 0", "visitors 4 0", "visits 4 0", "bounces 1 0", "Active in the last 5 minutes: 2 visitors",
                     "Events: add-to-cart 2, purchase 2, newsletter-signup 1", "Browsers: chrome 1, edge-chromium 1, firefox 1, ios 1",
                     "Revenue sent: 338.90 EUR in 2 purchases"):  # fmt: skip
        assert expected in lines, (expected, done.stdout)
    assert any(line.startswith("/ ") and line.endswith(" 4") for line in lines)


def test_demo_runs_against_a_server_given_in_the_environment(server: FakeServer) -> None:
    env = {
        **_env_without_umami(),
        "UMAMI_URL": server.url,
        "UMAMI_USERNAME": "admin",
        "UMAMI_PASSWORD": "umami",
        "UMAMI_WEBSITE_ID": WEBSITE,
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py")], capture_output=True, text=True, timeout=120, check=False, env=env
    )
    assert done.returncode == 0, done.stderr
    assert f"your Umami at {server.url} (as admin)" in done.stdout and "Active in the last 5 minutes: 4 visitors" in done.stdout
    assert len(server.fake.page_views()) == 9 and len(server.fake.sessions()) == 4


def test_the_example_users_test_passes() -> None:
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(ROOT / "examples" / "test_with_fake.py")],
                          capture_output=True, text=True, timeout=120, check=False, cwd=ROOT)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 passed" in done.stdout


def _env_without_umami() -> dict[str, str]:
    import os

    return {name: value for name, value in os.environ.items() if not name.startswith("UMAMI_")}
