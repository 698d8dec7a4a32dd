"""Benchmark: each adapter against its raw library doing the same requests, in the same run.

For every adapter (httpx sync, httpx async, requests, aiohttp) it times ``Client.new_event`` (or
``new_event_async``) through ``umami.Client(transport=...)`` -- validation, the core's encoding, the
flow, the adapter, decoding the answer -- against the raw library posting the same request (URL,
headers and body bytes of the core's request) over one keep-alive client and decoding the JSON answer:

- raw: the body built and encoded for each request, as a hand-written client does;
- raw*: the same body bytes every time (a lower bound no real client reaches).

Sequential sends, then concurrent ones: 50 in flight for the async adapters, 8 threads for the sync
ones. Then the issue-2 benchmark: 2,000 sequential ``umami.new_event`` calls (the module-level
function, default transport) against a raw ``httpx.Client`` posting the same body; and the
default async transport (``umami.new_event_async``) at 50 in flight against a raw
``httpx.AsyncClient`` with no limit of its own and a raw aiohttp session (target: at least 3 times
raw httpx); background sending (100,000 events in the full run) against the same events sent one
``/api/send`` each over a raw keep-alive ``httpx.Client`` (targets: 20,000 events/s and 10 times
the per-request rate), and what a queued ``new_event`` costs its caller (target: a median under
15 us). Last, the time ``import umami`` takes against the incumbent ``umami-analytics``
(installed on first run into bench/.incumbent with pip; target: at most half).

The server runs in a subprocess, so it does not share the GIL with the client: the tests' small
asyncio HTTP/1.1 keep-alive server (tests/fast_server.py) answering every request with
{"cache":"x","sessionId":"y","visitId":"z"}.
The contenders take turns in short chunks (CHUNKS per measurement, each starting with the next one) and each rate is the median of
its chunks, so a busy machine slows them alike. Prints requests/s and ours/raw; the target is
ours/raw >= 0.85 for every adapter.

    python bench/bench_transports.py            # full run, about two minutes
    python bench/bench_transports.py --quick    # a smoke run
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from pathlib import Path

import aiohttp
import httpx
import requests

import umami
import umami_core

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for the tests' server
from tests.fast_server import fast_server
from umami_transports import AiohttpTransport, HttpxTransport, RequestsTransport

WEBSITE_ID = "97205669-ea1f-4363-a133-7fd337cb3dbb"
IN_FLIGHT = 50
THREADS = 8
CHUNKS = 10
TARGET = 0.85
ASYNC_TARGET = 3.0
BACKGROUND_TARGET = 20_000
ENQUEUE_TARGET = 15.0
IMPORT_TARGET = 0.5

Send = Callable[[], object]
AsyncSend = Callable[[], Awaitable[object]]
Opener = Callable[[], AbstractAsyncContextManager[AsyncSend]]
Row = tuple[str, str, float, float, float]  # adapter, mode, and requests/s of ours, raw, raw*


# -- measuring -------------------------------------------------------------------------------------


def event_body() -> bytes:
    """What a hand-written client does for each event: build the payload and encode it (the core's very bytes)."""
    payload = {"hostname": "example.com", "language": "en-US", "referrer": "", "screen": "1920x1080", "title": "bench", "url": "/",
               "website": WEBSITE_ID, "name": "bench", "data": {"plan": "pro"}}  # fmt: skip
    return json.dumps({"payload": payload, "type": "event"}, separators=(",", ":"), ensure_ascii=False).encode()


def compare_sync(count: int, senders: Sequence[Send], threads: int) -> list[float]:
    """Median requests/s of each sender, taking turns in chunks of ``count / CHUNKS`` requests over ``threads`` threads."""
    per_thread = count // CHUNKS // threads

    def repeat(send: Send) -> None:
        for _ in range(per_thread):
            send()

    rates: list[list[float]] = [[] for _ in senders]
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        for send in senders:
            send()  # warm: the connection is open before the clock starts
        for chunk in range(CHUNKS):
            for turn in range(len(senders)):
                send, rate = senders[(chunk + turn) % len(senders)], rates[(chunk + turn) % len(senders)]
                start = time.perf_counter()
                for future in [pool.submit(repeat, send) for _ in range(threads)]:
                    future.result()
                rate.append(per_thread * threads / (time.perf_counter() - start))
    return [statistics.median(rate) for rate in rates]


def compare_async(count: int, openers: Sequence[Opener], in_flight: int) -> list[float]:
    """Median requests/s of each sender, in one event loop, taking turns in chunks, ``in_flight`` sends at a time."""
    per_task = count // CHUNKS // in_flight

    async def main() -> list[float]:
        async with AsyncExitStack() as stack:
            senders = [await stack.enter_async_context(open_sender()) for open_sender in openers]
            rates: list[list[float]] = [[] for _ in senders]

            async def repeat(send: AsyncSend) -> None:
                for _ in range(per_task):
                    await send()

            for send in senders:
                await asyncio.gather(*(send() for _ in range(in_flight)))  # warm: connections open
            for chunk in range(CHUNKS):
                for turn in range(len(senders)):
                    send, rate = senders[(chunk + turn) % len(senders)], rates[(chunk + turn) % len(senders)]
                    start = time.perf_counter()
                    await asyncio.gather(*(repeat(send) for _ in range(in_flight)))
                    rate.append(per_task * in_flight / (time.perf_counter() - start))
            return [statistics.median(rate) for rate in rates]

    return asyncio.run(main())


def sync_rows(name: str, count: int, ours: Send, raw: Callable[[bytes], object]) -> list[Row]:
    """``raw`` posts the body it is given: built anew for each request (raw) or the same bytes (raw*)."""
    body = event_body()
    senders = [ours, lambda: raw(event_body()), lambda: raw(body)]
    ours_rate, raw_rate, fixed_rate = compare_sync(count, senders, 1)
    rows = [(name, "sequential", ours_rate, raw_rate, fixed_rate)]
    ours_rate, raw_rate, fixed_rate = compare_sync(count, senders, THREADS)
    return [*rows, (name, f"concurrent ({THREADS} threads)", ours_rate, raw_rate, fixed_rate)]


RawOpener = Callable[[Callable[[], bytes]], AbstractAsyncContextManager[AsyncSend]]


def async_rows(name: str, count: int, ours: Opener, raw: RawOpener) -> list[Row]:
    body = event_body()
    openers = [ours, lambda: raw(event_body), lambda: raw(lambda: body)]
    ours_rate, raw_rate, fixed_rate = compare_async(count, openers, 1)
    rows = [(name, "sequential", ours_rate, raw_rate, fixed_rate)]
    ours_rate, raw_rate, fixed_rate = compare_async(count, openers, IN_FLIGHT)
    return [*rows, (name, f"concurrent ({IN_FLIGHT} in flight)", ours_rate, raw_rate, fixed_rate)]


def measure(url_base: str, count: int) -> list[Row]:
    def client(transport: umami.TransportLike) -> umami.Client:
        made = umami.Client(transport=transport)
        made.set_url_base(url_base)
        made.set_website_id(WEBSITE_ID)
        made.set_hostname("example.com")
        return made

    # The very request the core makes: the raw libraries post its URL, headers and body bytes.
    config = umami_core.Config(website_id=WEBSITE_ID, hostname="example.com").with_url_base(url_base)
    request = next(umami_core.new_event(config, "bench", custom_data={"plan": "pro"}))
    assert request.body == event_body()
    url, headers = request.url, dict(request.headers)
    table: list[Row] = []

    httpx_ours, httpx_raw = client(HttpxTransport()), httpx.Client()
    table += sync_rows("httpx-sync", count, lambda: httpx_ours.new_event("bench", custom_data={"plan": "pro"}),
                       lambda body: httpx_raw.post(url, headers=headers, content=body).json())  # fmt: skip

    requests_ours, session = client(RequestsTransport()), requests.Session()
    table += sync_rows("requests", count, lambda: requests_ours.new_event("bench", custom_data={"plan": "pro"}),
                       lambda body: session.post(url, headers=headers, data=body).json())  # fmt: skip

    def ours_async(transport: HttpxTransport | AiohttpTransport) -> Opener:
        ours = client(transport)

        @asynccontextmanager
        async def open_sender() -> AsyncIterator[AsyncSend]:
            yield lambda: ours.new_event_async("bench", custom_data={"plan": "pro"})
            await transport.aclose()

        return open_sender

    @asynccontextmanager
    async def httpx_async_raw(body: Callable[[], bytes]) -> AsyncIterator[AsyncSend]:
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=IN_FLIGHT)) as raw:

            async def send() -> object:
                return (await raw.post(url, headers=headers, content=body())).json()

            yield send

    @asynccontextmanager
    async def aiohttp_raw(body: Callable[[], bytes]) -> AsyncIterator[AsyncSend]:
        async with aiohttp.ClientSession() as raw:

            async def send() -> object:
                async with raw.post(url, headers=headers, data=body()) as response:
                    return await response.json()

            yield send

    httpx_async_ours = ours_async(HttpxTransport(limits=httpx.Limits(max_connections=IN_FLIGHT)))
    table += async_rows("httpx-async", count, httpx_async_ours, httpx_async_raw)
    table += async_rows("aiohttp", count, ours_async(AiohttpTransport()), aiohttp_raw)

    # Issue 2: the module-level function on its default transport, against a raw httpx.Client.
    umami.set_url_base(url_base)
    umami.set_website_id(WEBSITE_ID)
    umami.set_hostname("example.com")
    issue2_raw = httpx.Client()
    body = event_body()
    issue2_senders: list[Send] = [
        lambda: umami.new_event("bench", custom_data={"plan": "pro"}),
        lambda: issue2_raw.post(url, headers=headers, content=event_body()).json(),
        lambda: issue2_raw.post(url, headers=headers, content=body).json(),
    ]
    ours_rate, raw_rate, fixed_rate = compare_sync(2000, issue2_senders, 1)
    table.append(("issue 2", "umami.new_event x2000 vs raw httpx.Client", ours_rate, raw_rate, fixed_rate))
    return table


def measure_default_async(url_base: str, count: int) -> tuple[float, float, float]:
    """Requests/s at IN_FLIGHT in flight: umami.new_event_async on the default transport, raw
    httpx.AsyncClient ungated (its default limits), raw aiohttp; the same request, one run."""
    config = umami_core.Config(website_id=WEBSITE_ID, hostname="example.com").with_url_base(url_base)
    request = next(umami_core.new_event(config, "bench", custom_data={"plan": "pro"}))
    url, headers = request.url, dict(request.headers)
    umami.set_url_base(url_base)

    @asynccontextmanager
    async def ours() -> AsyncIterator[AsyncSend]:
        yield lambda: umami.new_event_async("bench", custom_data={"plan": "pro"})
        await umami.aclose()

    @asynccontextmanager
    async def raw_httpx() -> AsyncIterator[AsyncSend]:
        async with httpx.AsyncClient() as raw:

            async def send() -> object:
                return (await raw.post(url, headers=headers, content=event_body())).json()

            yield send

    @asynccontextmanager
    async def raw_aiohttp() -> AsyncIterator[AsyncSend]:
        async with aiohttp.ClientSession() as raw:

            async def send() -> object:
                async with raw.post(url, headers=headers, data=event_body()) as response:
                    return await response.json()

            yield send

    ours_rate, httpx_rate, aiohttp_rate = compare_async(count, [ours, raw_httpx, raw_aiohttp], IN_FLIGHT)
    return ours_rate, httpx_rate, aiohttp_rate


def measure_background(url_base: str, events: int) -> tuple[float, float, float, float]:
    """(events/s delivered by background sending with its defaults, events/s one request each over
    a raw keep-alive httpx.Client, median and 99th percentile microseconds of a queued new_event
    in the caller's thread, measured while the worker delivers)."""
    config = umami_core.Config(website_id=WEBSITE_ID, hostname="example.com").with_url_base(url_base)
    request = next(umami_core.new_event(config, "bench", custom_data={"plan": "pro"}))
    url, headers = request.url, dict(request.headers)
    with httpx.Client() as raw:
        raw.post(url, headers=headers, content=event_body())
        count = max(1000, events // 10)
        started = time.perf_counter()
        for _ in range(count):
            raw.post(url, headers=headers, content=event_body()).json()
        per_request = count / (time.perf_counter() - started)

    client = umami.Client()
    client.set_url_base(url_base)
    client.set_website_id(WEBSITE_ID)
    client.set_hostname("example.com")
    client.enable_background_sending(max_queue=events)
    costs: list[int] = []
    started = time.perf_counter()
    for _ in range(events):
        before = time.perf_counter_ns()
        client.new_event("bench", custom_data={"plan": "pro"}, ip_address="203.0.113.7")
        costs.append(time.perf_counter_ns() - before)
    flushed = client.flush(timeout=120)
    delivered = events / (time.perf_counter() - started)
    assert flushed and client.delivery_stats().delivered == events, client.delivery_stats()
    client.close()
    costs.sort()
    return delivered, per_request, costs[len(costs) // 2] / 1000, costs[int(len(costs) * 0.99)] / 1000


INCUMBENT = Path(__file__).resolve().parent / ".incumbent"
IMPORT_RUNS = 21


def import_seconds(pythonpath: str, where: str) -> float:
    """Seconds ``import umami`` takes in a fresh interpreter whose only third-party path is ``pythonpath``
    (no site-packages; run in ``where``, an empty folder, as ``-c`` puts the working folder first)."""
    code = "import time; t = time.perf_counter(); import umami; print(time.perf_counter() - t)"
    done = subprocess.run(
        [sys.executable, "-S", "-c", code], env={"PYTHONPATH": pythonpath}, cwd=where, capture_output=True, text=True, check=True
    )
    return float(done.stdout)


def measure_import() -> tuple[float, float] | None:
    """Median seconds of ``import umami``: ours, the incumbent's; None if the incumbent cannot be installed."""
    if not INCUMBENT.exists():
        install = [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(INCUMBENT), "umami-analytics"]
        if subprocess.run(install, capture_output=True, check=False).returncode != 0:
            return None
    ours_path = os.pathsep.join([str(Path(__file__).resolve().parents[1]), *(p for p in sys.path if p.endswith("site-packages"))])
    ours, theirs = [], []
    with tempfile.TemporaryDirectory() as where:
        for _ in range(IMPORT_RUNS):  # taking turns, so a busy moment slows both
            ours.append(import_seconds(ours_path, where))
            theirs.append(import_seconds(str(INCUMBENT), where))
    return statistics.median(ours), statistics.median(theirs)


def main() -> None:
    count = 1000 if "--quick" in sys.argv else 5000
    with fast_server() as url_base:
        table = measure(url_base, count)
        default_async = measure_default_async(url_base, count)
        background = measure_background(url_base, 20 * count)
    imports = measure_import()

    print(f"Python {platform.python_version()} on {platform.machine()}; httpx {httpx.__version__}, requests {requests.__version__}, "
          f"aiohttp {aiohttp.__version__}; {count} requests per contender and mode, median of {CHUNKS} alternating chunks")  # fmt: skip
    print("raw: the library posting the same request, its body encoded for each request; raw*: the same body bytes every time")
    print(f"{'adapter':<12} {'mode':<42} {'ours req/s':>10} {'raw req/s':>10} {'ours/raw':>9} {'raw* req/s':>11} {'ours/raw*':>10}")
    for adapter, mode, ours, raw, fixed in table:
        verdict = "" if ours / raw >= TARGET else f"  below {TARGET}"
        print(f"{adapter:<12} {mode:<42} {ours:>10.0f} {raw:>10.0f} {ours / raw:>9.2f} {fixed:>11.0f} {ours / fixed:>10.2f}{verdict}")
    ours, raw_httpx, raw_aiohttp = default_async
    verdict = "" if ours / raw_httpx >= ASYNC_TARGET else f"  below {ASYNC_TARGET}"
    print(f"\ndefault async transport, {IN_FLIGHT} in flight: umami.new_event_async {ours:.0f} req/s; raw httpx.AsyncClient "
          f"(no limit) {raw_httpx:.0f}, ours/raw {ours / raw_httpx:.2f}{verdict}; raw aiohttp {raw_aiohttp:.0f}, "
          f"ours/aiohttp {ours / raw_aiohttp:.2f}")
    delivered, per_request, median, p99 = background
    verdicts = [f"below {BACKGROUND_TARGET} events/s"] * (delivered < BACKGROUND_TARGET) + ["below 10x"] * (delivered < 10 * per_request)
    verdicts += [f"median above {ENQUEUE_TARGET} us"] * (median > ENQUEUE_TARGET)
    print(f"background sending, {20 * count} events: {delivered:.0f} events/s delivered (defaults: batches of 100, 4 in flight); "
          f"one /api/send each over raw httpx.Client {per_request:.0f}/s, {delivered / per_request:.1f}x; a queued new_event costs "
          f"the caller {median:.1f} us (median), {p99:.1f} us (99th percentile)" + (f"  {', '.join(verdicts)}" if verdicts else ""))
    if imports is None:
        print("import umami: the incumbent umami-analytics could not be installed (pip, network): not compared")
    else:
        ours_s, theirs_s = imports
        verdict = "" if ours_s / theirs_s <= IMPORT_TARGET else f"  above {IMPORT_TARGET}"
        print(f"import umami: ours {ours_s * 1000:.1f} ms, umami-analytics {theirs_s * 1000:.1f} ms, "
              f"ours/theirs {ours_s / theirs_s:.2f}{verdict} (median of {IMPORT_RUNS} fresh interpreters each)")


if __name__ == "__main__":
    main()
