"""The async side under load and at the edges of HTTP/1.1.

HttpxTransport's async calls go over its own asyncio connection pool (``asyncio_http``) unless a
client of yours, a proxy or trio sends them through httpx.AsyncClient; both are tested here, with
answers real servers give (chunked, interim 100, Connection: close, HTTP/1.0, idle connections the
server drops) and ones they should not (garbage, endless heads, extra bytes). And a burst of
10,000 concurrent calls succeeds on every async transport, where httpx's pool used to time out.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest

import umami
from tests.contract.conftest import SEND_ANSWER, configure
from tests.contract.raw_server import RawServer, http_response
from tests.fast_server import fast_server
from umami.errors import TransportError, TransportTimeoutError, UnexpectedResponseError
from umami_transports import AiohttpTransport, HttpxTransport, Transport

ANSWER = json.dumps(SEND_ANSWER).encode()


def send(client: umami.Client, times: int = 1) -> list[Any]:
    """``times`` events sent one after the other in one event loop."""

    async def main() -> list[Any]:
        return [await client.new_event_async(f"e{number}") for number in range(times)]

    return asyncio.run(main())


def chunked(*chunks: bytes, head: bytes = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n") -> bytes:
    body = b"".join(b"%x;ext=1\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks)
    return head + b"Transfer-Encoding: chunked\r\n\r\n" + body + b"0\r\nX-Trailer: t\r\n\r\n"


@pytest.mark.parametrize(
    ("answer", "connections"),
    [
        (chunked(ANSWER[:10], ANSWER[10:]), 1),
        (b"HTTP/1.1 100 Continue\r\n\r\n" + http_response(200, ANSWER), 1),
        (b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(ANSWER), ANSWER), 3),
        (b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(ANSWER), ANSWER), 1),
    ],
    ids=["chunked-with-extensions-and-trailer", "interim-100", "connection-close", "content-length"],
)
def test_answers_real_servers_give(answer: bytes, connections: int) -> None:
    with RawServer(lambda raw: answer) as server:
        client = configure(umami.Client(transport=HttpxTransport()), server.url)
        assert send(client, 3) == [SEND_ANSWER] * 3
    assert server.connections == connections


def test_an_http_1_0_answer_read_to_the_end_of_the_connection() -> None:
    with RawServer(lambda raw: b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + ANSWER, hang_up_after=0) as server:
        client = configure(umami.Client(transport=HttpxTransport()), server.url)
        client.set_limits(deadline=5)
        assert send(client, 2) == [SEND_ANSWER] * 2
    assert server.connections == 2


def test_a_connection_the_server_dropped_while_idle_is_not_reused() -> None:
    with RawServer(lambda raw: http_response(200, ANSWER), hang_up_after=0.05) as server:
        client = configure(umami.Client(transport=HttpxTransport()), server.url)

        async def main() -> list[Any]:
            first = await client.new_event_async("first")
            await asyncio.sleep(0.3)  # the server hangs up meanwhile
            return [first, await client.new_event_async("second")]

        assert asyncio.run(main()) == [SEND_ANSWER] * 2
    assert server.connections == 2


def test_a_204_has_no_body() -> None:
    with RawServer(lambda raw: b"HTTP/1.1 204 No Content\r\n\r\n") as server:
        client = configure(umami.Client(transport=HttpxTransport()), server.url)

        async def main() -> None:
            assert await client.heartbeat_async() is True
            with pytest.raises(UnexpectedResponseError, match="not JSON"):
                await client.new_event_async("signup")

        asyncio.run(main())
    assert server.connections == 1


@pytest.mark.parametrize(
    "answer",
    [
        b"ICY 200 OK\r\n\r\n",
        b"HTTP/1.1 2x0 OK\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        b"HTTP/1.1 200 OK\r\n X-Folded: obsolete\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
        b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort",  # then the server hangs up
    ],
    ids=["not-http", "bad-status", "no-colon", "folded", "negative-length", "bad-chunk-size", "chunk-too-long", "head-too-large",
         "cut-short"],
)  # fmt: skip
def test_garbage_is_a_transport_error_and_the_connection_is_dropped(answer: bytes) -> None:
    with RawServer(lambda raw: answer, hang_up_after=0) as server:
        client = configure(umami.Client(transport=HttpxTransport()), server.url)
        client.set_limits(deadline=5)
        with pytest.raises(TransportError) as caught:
            send(client)
    assert isinstance(caught.value, httpx.TransportError) and not isinstance(caught.value, TransportTimeoutError)


def test_extra_bytes_after_an_answer_end_that_connection() -> None:
    with RawServer(lambda raw: http_response(200, ANSWER) + b"HTTP/1.1 200 OK\r\n") as server:
        client = configure(umami.Client(transport=HttpxTransport()), server.url)
        assert send(client, 2) == [SEND_ANSWER] * 2
    assert server.connections == 2


def test_a_call_cancelled_at_its_deadline_frees_its_connection() -> None:
    answers = iter([None, http_response(200, ANSWER)])  # the first request is never answered
    with RawServer(lambda raw: next(answers)) as server:
        client = configure(umami.Client(transport=HttpxTransport(max_in_flight=1)), server.url)
        client.set_limits(deadline=0.3)

        async def main() -> Any:
            with pytest.raises(TransportTimeoutError):
                await client.new_event_async("lost")
            return await client.new_event_async("next")

        assert asyncio.run(main()) == SEND_ANSWER
    assert server.connections == 2


def test_calls_beyond_max_in_flight_wait_their_turn() -> None:
    in_flight: list[int] = []
    open_now = [0]

    def answer(raw: bytes) -> Iterator[bytes]:
        open_now[0] += 1
        in_flight.append(open_now[0])
        time.sleep(0.02)
        open_now[0] -= 1
        yield http_response(200, ANSWER)

    with RawServer(answer) as server:
        client = configure(umami.Client(transport=HttpxTransport(max_in_flight=3)), server.url)

        async def main() -> list[Any]:
            return await asyncio.gather(*(client.new_event_async(f"e{n}") for n in range(30)))

        assert asyncio.run(main()) == [SEND_ANSWER] * 30
    assert server.connections == 3 and max(in_flight) <= 3


async def burst_transport(kind: str, stack: AsyncExitStack) -> Transport:
    if kind == "httpx-your-asyncclient":
        return HttpxTransport(async_client=await stack.enter_async_context(httpx.AsyncClient()))
    if kind == "httpx-asyncclient-made-here":
        return HttpxTransport(http2=False)  # an option the asyncio pool does not take: httpx.AsyncClient it is
    return AiohttpTransport() if kind == "aiohttp" else HttpxTransport()


@pytest.mark.parametrize("kind", ["httpx-asyncio-pool", "httpx-your-asyncclient", "httpx-asyncclient-made-here", "aiohttp"])
def test_ten_thousand_concurrent_calls_all_succeed(kind: str) -> None:
    async def main(url: str) -> list[Any]:
        async with AsyncExitStack() as stack:
            client = configure(umami.Client(transport=await burst_transport(kind, stack)), url)
            return await asyncio.gather(*(client.new_event_async("burst") for _ in range(10_000)), return_exceptions=True)

    with fast_server() as url:
        outcomes = asyncio.run(main(url))

    failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    assert failures == [], f"{len(failures)} failed, the first: {failures[0]!r}"
    assert len(outcomes) == 10_000
