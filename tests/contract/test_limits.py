"""The bounds of every call, through every adapter, against servers that misbehave on purpose:
headers or a body trickled a byte at a time end at the call's deadline; a gzip bomb and a 100 MB
error page are read in bounded memory; a redirect whose Location transports read differently is
never followed. Each of these held a call forever, or took gigabytes, before."""

from __future__ import annotations

import functools
import time
import tracemalloc
import zlib
from collections.abc import Iterator

import httpx
import pytest

import umami
from tests.contract.conftest import call, configure, make_transport
from tests.contract.raw_server import RawServer, http_response
from umami.errors import APIError, TransportTimeoutError, UnexpectedResponseError

DEADLINE = 1.0
#: How late a call may end after its deadline: the time to notice, close and raise.
SLACK = 1.5


def trickle(first: bytes, then: bytes = b"a", every: float = 0.05) -> Iterator[bytes]:
    """``first``, then ``then`` every ``every`` seconds, forever (until the client hangs up)."""
    yield first
    while True:
        time.sleep(every)
        yield then


def timed_call(adapter: str, client: umami.Client, name: str, *args: object) -> tuple[BaseException | object, float]:
    started = time.monotonic()
    try:
        outcome: BaseException | object = call(adapter, client, name, *args)
    except Exception as exc:  # noqa: BLE001 - the outcome is what the test looks at
        outcome = exc
    return outcome, time.monotonic() - started


@pytest.mark.parametrize(
    "answer",
    [
        lambda raw: trickle(b"HTTP/1.1 200 OK\r\nX-Slow: "),
        lambda raw: trickle(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n[", b" "),
        lambda raw: trickle(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", b"1\r\n \r\n"),
    ],
    ids=["trickled-headers", "trickled-body", "endless-chunked-trickle"],
)
def test_a_trickling_server_ends_the_call_at_its_deadline(adapter: str, answer: object) -> None:
    with RawServer(answer) as server:  # type: ignore[arg-type]
        client = configure(umami.Client(transport=make_transport(adapter)), server.url)
        client.set_limits(deadline=DEADLINE)
        outcome, took = timed_call(adapter, client, "new_event", "signup")
        heartbeat, heartbeat_took = timed_call(adapter, client, "heartbeat")

    assert isinstance(outcome, TransportTimeoutError), outcome
    assert "did not answer" in str(outcome)
    assert DEADLINE * 0.9 <= took <= DEADLINE + SLACK
    assert heartbeat is False and heartbeat_took <= DEADLINE + SLACK


def test_the_deadline_error_is_also_the_librarys_timeout(adapter: str) -> None:
    with RawServer(lambda raw: trickle(b"HTTP/1.1 200 OK\r\nX-Slow: ")) as server:
        client = configure(umami.Client(transport=make_transport(adapter)), server.url)
        client.set_limits(deadline=0.5)
        with pytest.raises(TransportTimeoutError) as caught:
            call(adapter, client, "new_event", "signup")

    family = {"httpx-sync": httpx.TimeoutException, "httpx-async": httpx.TimeoutException}.get(adapter, TimeoutError)
    if adapter == "requests":
        import requests

        family = requests.Timeout
    assert isinstance(caught.value, family)


def test_the_deadline_covers_redirects(adapter: str) -> None:
    def answer(raw: bytes) -> Iterator[bytes]:
        time.sleep(0.3)  # each hop is quick enough for any per-read timeout, the chain is not
        yield b"HTTP/1.1 307 Again\r\nLocation: /api/send\r\nContent-Length: 0\r\n\r\n"

    with RawServer(answer) as server:
        client = configure(umami.Client(transport=make_transport(adapter)), server.url)
        client.set_limits(deadline=DEADLINE)
        outcome, took = timed_call(adapter, client, "new_event", "signup")

    assert isinstance(outcome, (TransportTimeoutError, APIError)), outcome
    assert took <= DEADLINE + SLACK
    assert isinstance(outcome, TransportTimeoutError) or "redirects" in str(outcome)


@functools.cache
def gzip_bomb() -> bytes:
    """200 MB of zeros in about 200 KB of gzip: one member, as a hostile server would send it."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b"\0" * (1 << 20)
    return b"".join([*(compressor.compress(zeros) for _ in range(200)), compressor.flush()])


def test_a_gzip_bomb_is_read_in_bounded_memory(adapter: str) -> None:
    bomb = gzip_bomb()
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {len(bomb)}\r\n\r\n"

    with RawServer(lambda raw: head.encode() + bomb) as server:
        client = configure(umami.Client(transport=make_transport(adapter)), server.url)
        tracemalloc.start()
        try:
            with pytest.raises(UnexpectedResponseError, match="larger than the 10 MiB limit"):
                call(adapter, client, "new_event", "signup")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    assert peak < 60_000_000, f"peak {peak / 1e6:.0f} MB"


def test_a_100_mb_error_page_is_read_in_bounded_memory_and_quoted_short(adapter: str) -> None:
    block = b"<p>" + b"x" * (1 << 20) + b"</p>"

    def answer(raw: bytes) -> Iterator[bytes]:
        yield f"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {100 * len(block)}\r\n\r\n".encode()
        for _ in range(100):
            yield block

    with RawServer(answer) as server:
        client = configure(umami.Client(transport=make_transport(adapter)), server.url)
        tracemalloc.start()
        try:
            with pytest.raises(APIError) as caught:
                call(adapter, client, "new_event", "signup")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    assert caught.value.status_code == 502
    assert "size limit" in caught.value.message and len(str(caught.value)) < 500
    assert peak < 60_000_000, f"peak {peak / 1e6:.0f} MB"


def test_a_smaller_body_limit_applies_to_every_answer(adapter: str) -> None:
    body = b'{"cache": "' + b"c" * 5000 + b'", "sessionId": "s", "visitId": "v"}'
    with RawServer(lambda raw: http_response(200, body)) as server:
        client = configure(umami.Client(transport=make_transport(adapter)), server.url)
        client.set_limits(max_body=4096)
        with pytest.raises(UnexpectedResponseError, match="larger than the 4096 bytes limit"):
            call(adapter, client, "new_event", "signup")
        client.set_limits(max_body=8192)
        assert call(adapter, client, "new_event", "signup")["sessionId"] == "s"


def test_a_location_read_differently_by_transports_is_never_followed(adapter: str) -> None:
    with RawServer(lambda raw: http_response(200, b"{}"), host="127.0.0.2") as elsewhere:
        port = elsewhere.url.rsplit(":", 1)[1]

        def answer(raw: bytes) -> bytes:
            # requests connects to 127.0.0.2 here, while urllib's parse says 127.0.0.1.
            location = f"http://127.0.0.2:{port}\\@127.0.0.1:{port}/api/websites"
            return f"HTTP/1.1 307 Moved\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode()

        with RawServer(answer) as server:
            client = configure(umami.Client(transport=make_transport(adapter)), server.url)
            with pytest.raises(APIError, match="refused to follow a redirect"):
                call(adapter, client, "login", "admin", "pa55word")
            with pytest.raises(APIError, match="refused to follow a redirect"):
                call(adapter, client, "new_event", "signup")

    assert elsewhere.requests == []
