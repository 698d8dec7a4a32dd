"""What the call limits hold against hostile servers, on every adapter, in numbers:

- how long a call takes to end against a server that trickles its headers, or its body, one byte
  every 50 ms (deadline 2 s);
- the peak memory of a call answered with a gzip bomb (1 GB of zeros in 1 MB, one gzip member) and
  with a 100 MB error page: tracemalloc's peak, and the process's peak RSS (each case in a fresh
  interpreter, against the RSS after the imports and the set-up);
- 10,000 concurrent async calls through each async transport: how many succeed, and in how long.

    python bench/bench_limits.py          # about a minute
"""

from __future__ import annotations

import asyncio
import resource
import subprocess
import sys
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from contextlib import AsyncExitStack
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for the tests' servers
import umami
from tests.contract.conftest import ADAPTERS, call, configure, make_transport
from tests.contract.raw_server import RawServer
from tests.fast_server import fast_server
from umami_transports import AiohttpTransport, HttpxTransport, Transport

DEADLINE = 2.0


def trickle(first: bytes, then: bytes) -> Iterator[bytes]:
    yield first
    while True:
        time.sleep(0.05)
        yield then


def deadline_rows() -> None:
    cases = {
        "headers": (b"HTTP/1.1 200 OK\r\nX-Slow: ", b"a"),
        "body": (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n[", b" "),
    }
    print(f"A server trickling one byte every 50 ms; deadline {DEADLINE} s: seconds until the call raised")
    for adapter in ADAPTERS:
        timings = []
        for first, then in cases.values():
            with RawServer(lambda raw, first=first, then=then: trickle(first, then)) as server:
                client = configure(umami.Client(transport=make_transport(adapter)), server.url)
                client.set_limits(deadline=DEADLINE)
                started = time.monotonic()
                try:
                    call(adapter, client, "new_event", "signup")
                    outcome = "no error"
                except Exception as exc:  # noqa: BLE001 - reported
                    outcome = type(exc).__name__
                timings.append(f"{time.monotonic() - started:.2f} s ({outcome})")
        print(f"  {adapter:<12} trickled headers {timings[0]:<40} trickled body {timings[1]}")


def gzip_bomb() -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b"\0" * (1 << 20)
    return b"".join([*(compressor.compress(zeros) for _ in range(1024)), compressor.flush()])


def memory_case(adapter: str, case: str) -> str:
    """Run in a fresh interpreter: one call against a hostile answer; its peak memory."""
    if case == "bomb":
        bomb = gzip_bomb()
        head = f"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: application/json\r\nContent-Length: {len(bomb)}\r\n\r\n"
        answer = head.encode() + bomb
        server = RawServer(lambda raw: answer)
    else:
        block = b"x" * (1 << 20)

        def page(raw: bytes) -> Iterator[bytes]:
            yield f"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {100 * len(block)}\r\n\r\n".encode()
            yield from [block] * 100

        server = RawServer(page)
    with server:
        client = configure(umami.Client(transport=make_transport(adapter)), server.url)
        call(adapter, client, "heartbeat")  # imports and connections made before measuring
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        try:
            call(adapter, client, "new_event", "signup")
            outcome = "no error"
        except Exception as exc:  # noqa: BLE001 - reported
            outcome = f"{type(exc).__name__}: {str(exc)[:60]}..."
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return f"tracemalloc peak {peak / 1e6:6.1f} MB, RSS peak +{(after - before) / 1024:6.1f} MB ({outcome})"


def memory_rows() -> None:
    print("\nPeak memory of one call (a fresh interpreter each): a 1 GB gzip bomb in 1 MB, and a 100 MB error page")
    for adapter in ADAPTERS:
        for case in ("bomb", "page"):
            code = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import bench_limits; " \
                   f"print(bench_limits.memory_case({adapter!r}, {case!r}))"  # fmt: skip
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
            print(f"  {adapter:<12} {'gzip bomb' if case == 'bomb' else '100 MB page':<12} {done.stdout.strip() or done.stderr[-300:]}")


async def burst(kind: str, url: str) -> tuple[int, float]:
    async with AsyncExitStack() as stack:
        transport: Transport
        if kind == "httpx (asyncio pool)":
            transport = HttpxTransport()
        elif kind == "httpx (your AsyncClient)":
            transport = HttpxTransport(async_client=await stack.enter_async_context(httpx.AsyncClient()))
        else:
            transport = AiohttpTransport()
        client = configure(umami.Client(transport=transport), url)
        started = time.monotonic()
        outcomes = await asyncio.gather(*(client.new_event_async("burst") for _ in range(10_000)), return_exceptions=True)
        return sum(not isinstance(outcome, BaseException) for outcome in outcomes), time.monotonic() - started


def burst_rows() -> None:
    print("\n10,000 concurrent new_event_async calls (asyncio.gather) against a fast local server")
    with fast_server() as url:
        for kind in ("httpx (asyncio pool)", "httpx (your AsyncClient)", "aiohttp"):
            succeeded, took = asyncio.run(burst(kind, url))
            print(f"  {kind:<26} {succeeded} of 10000 succeeded in {took:.1f} s")


if __name__ == "__main__":
    deadline_rows()
    memory_rows()
    burst_rows()
