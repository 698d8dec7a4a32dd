"""Faults on purpose over real HTTP (FakeServer on 127.0.0.1): TCP resets, answers later than the
client waits, error statuses on a kept-alive connection, many threads at once, the library's own
transport, and the command line."""

from __future__ import annotations

import email.utils
import http.client
import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

import umami
from umami_core import BROWSER_USER_AGENT, Request
from umami_transports.fake import FakeServer, FakeTransport, FakeUmami, FaultCounts, Faults

WEBSITE = "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
HEADERS = {"User-Agent": BROWSER_USER_AGENT, "Content-Type": "application/json"}


def body(url: str = "/x") -> bytes:
    return json.dumps({"type": "event", "payload": {"website": WEBSITE, "url": url}}).encode()


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer(FakeUmami(website_id=WEBSITE)) as running:
        yield running


def post_send(server: FakeServer, url: str = "/x", timeout: float = 10) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        connection.request("POST", "/api/send", body(url), HEADERS)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def raw_exchange(server: FakeServer, request: bytes) -> bytes:
    """Send ``request`` on a plain socket and read until the server closes (ConnectionResetError on a reset)."""
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


def raw_send(url: str = "/x") -> bytes:
    data = body(url)
    head = f"POST /api/send HTTP/1.1\r\nHost: fake\r\nUser-Agent: {BROWSER_USER_AGENT}\r\nContent-Type: application/json\r\n"
    return head.encode() + f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode() + data


def test_a_reset_is_a_tcp_reset_after_the_request_is_read(server: FakeServer) -> None:
    server.fake.faults = Faults(reset_rate=1.0, routes=("/api/send",))
    with pytest.raises(ConnectionResetError):  # a RST: a FIN would end the read with b""
        raw_exchange(server, raw_send())
    assert len(server.fake.requests) == 1 and server.fake.requests[0].body == body()  # read whole, then reset
    assert server.fake.events() == [] and server.fake.fault_counts == FaultCounts(resets=1)
    assert raw_exchange(server, b"GET /api/heartbeat HTTP/1.1\r\nHost: fake\r\nConnection: close\r\n\r\n").endswith(b'{"ok":true}')
    server.fake.faults = Faults(reset_rate=1.0, after_store=True)
    with pytest.raises(ConnectionResetError):
        post_send(server, "/stored")
    assert [view.url_path for view in server.fake.page_views()] == ["/stored"]


def test_a_delay_outlasts_the_clients_timeout(server: FakeServer) -> None:
    server.fake.faults = Faults(delay_rate=1.0, delay=0.3, routes=("/api/send",))
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        post_send(server, timeout=0.1)
    assert time.monotonic() - started < 0.3
    assert post_send(server, timeout=5) == (504, b"504 Gateway Timeout")  # a client that waits long enough
    assert time.monotonic() - started >= 0.4
    time.sleep(0.3)  # the first answer is due by now: still nothing stored
    assert server.fake.events() == [] and server.fake.fault_counts.delays == 2
    server.fake.faults = Faults(delay_rate=1.0, delay=0.3, after_store=True)
    with pytest.raises(TimeoutError):
        post_send(server, "/stored", timeout=0.1)
    assert [view.url_path for view in server.fake.page_views()] == ["/stored"]  # stored, answer lost
    status, answer = post_send(server, "/late", timeout=5)
    assert status == 200 and "sessionId" in json.loads(answer)


def test_stopping_the_server_ends_a_delayed_answer() -> None:
    server = FakeServer(FakeUmami(faults=Faults(delay_rate=1.0, delay=30.0))).start()
    ended: list[BaseException] = []

    def client() -> None:
        connection = http.client.HTTPConnection(server.host, server.port, timeout=20)
        try:
            connection.request("GET", "/api/heartbeat")
            connection.getresponse()
        except (OSError, http.client.HTTPException) as error:
            ended.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=client)
    thread.start()
    deadline = time.monotonic() + 5
    while not server.fake.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    server.stop()
    thread.join(5)
    assert not thread.is_alive() and time.monotonic() - started < 2
    assert len(ended) == 1 and isinstance(ended[0], http.client.RemoteDisconnected)  # closed without an answer


def test_error_statuses_keep_the_connection_alive(server: FakeServer) -> None:
    server.fake.faults = Faults(rate=1.0, statuses=(429, 503), retry_after=timedelta(seconds=5), max_faults=2, seed=1)
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        answers = []
        for _ in range(3):
            connection.request("POST", "/api/send", body(), HEADERS)
            answer = connection.getresponse()
            answers.append((answer.status, answer.getheader("Retry-After"), answer.getheader("Date"), answer.read()))
            sock = connection.sock
        assert connection.sock is sock
    finally:
        connection.close()
    (first, retry, date, text), second, last = answers
    assert {first, second[0]} <= {429, 503} and text in (b"429 Too Many Requests", b"503 Service Unavailable")
    waited = email.utils.parsedate_to_datetime(retry or "") - email.utils.parsedate_to_datetime(date or "")
    assert timedelta(seconds=5) <= waited <= timedelta(seconds=6)  # an HTTP-date 5 s after the answer's Date
    assert last[0] == 200 and len(server.fake.page_views()) == 1


def test_many_threads_see_the_faults_of_one_sequence(server: FakeServer) -> None:
    faults = Faults(rate=0.3, reset_rate=0.1, routes=("/api/send",), seed=5)
    server.fake.faults = faults

    def visitor(number: int) -> int:
        for page in range(25):
            try:
                post_send(server, f"/{number}/{page}")
            except ConnectionResetError:
                pass
        return number

    with ThreadPoolExecutor(8) as pool:
        assert sorted(pool.map(visitor, range(8))) == list(range(8))
    alone = FakeUmami(faults=faults)
    transport = FakeTransport(alone)
    for _ in range(200):
        try:
            transport.send(umami_request())
        except ConnectionResetError:
            pass
    assert server.fake.fault_counts == alone.fault_counts and 60 <= server.fake.fault_counts.total <= 100
    assert len(server.fake.page_views()) == 200 - server.fake.fault_counts.total


def umami_request() -> Request:
    return Request("POST", "http://fake/api/send", tuple(HEADERS.items()), body())


@pytest.mark.umami_fake(faults=Faults(reset_rate=1.0, routes=("/api/send",)))
def test_the_librarys_transport_raises_transport_error_on_a_reset(umami_fake_server: FakeServer) -> None:
    assert umami.heartbeat() is True
    with pytest.raises(umami.errors.TransportError):
        umami.new_event("signup")
    umami_fake_server.fake.faults = Faults(delay_rate=1.0, delay=5.0, routes=("/api/send",))
    umami.set_limits(deadline=0.3)
    started = time.monotonic()
    with pytest.raises(umami.errors.TransportError):
        umami.new_event("signup")
    assert time.monotonic() - started < 2 and umami_fake_server.fake.fault_counts == FaultCounts(resets=1, delays=1)


def test_command_line_faults_and_batch_limit() -> None:
    command = [sys.executable, "-m", "umami_transports.fake", "--website-id", WEBSITE, "--fault-rate", "1", "--fault-status", "503",
               "--retry-after", "7", "--fault-route", "/api/send", "--batch-limit", "1"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(6)]
        url = lines[0].split()[-1]
        assert lines[4].startswith("  faults:      Faults(rate=1.0, statuses=(503,), retry_after=7,") and "'/api/send'" in lines[4]
        with urllib.request.urlopen(f"{url}/api/heartbeat", timeout=10) as answer:
            assert answer.status == 200
        with pytest.raises(urllib.error.HTTPError) as failed:
            urllib.request.urlopen(urllib.request.Request(f"{url}/api/send", body(), HEADERS), timeout=10)
        assert (failed.value.code, failed.value.headers["Retry-After"]) == (503, "7")
        failed.value.close()
        items = json.dumps([json.loads(body())] * 2).encode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(urllib.request.Request(f"{url}/api/batch", items, HEADERS), timeout=10)
        assert json.load(refused.value)["error"]["errors"] == ["Too big: expected array to have <=1 items"]
        refused.value.close()
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


def test_command_line_refuses_impossible_faults() -> None:
    done = subprocess.run([sys.executable, "-m", "umami_transports.fake", "--fault-rate", "2"], capture_output=True, text=True,
                          timeout=30, check=False)  # fmt: skip
    assert done.returncode == 2 and "Faults.rate must be between 0 and 1" in done.stderr
