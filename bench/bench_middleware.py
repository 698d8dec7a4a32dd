"""Benchmark: the time each middleware adds to a request, in microseconds.

For each middleware the same app is called with and without it, in the same process, at the
protocol level (no HTTP client or server in the way, whose cost would drown the difference):

- ASGI: a Starlette app, ``await app(scope, receive, send)``;
- WSGI: a Flask app, ``app(environ, start_response)`` and its body read;
- Django: the middleware around a view's ``get_response``, sync and async.

Two kinds of request: a page that counts (a page view queued, with the visitor from behind a
trusted proxy: X-Forwarded-For, User-Agent, Referer, Accept-Language, a cookie) and a JSON answer
that does not (the middleware only looks). Background sending is on, delivering to the embedded
Umami (``python -m umami_transports.fake``) in a subprocess, so its worker threads run meanwhile
as they would in production. With and without take turns in CHUNKS chunks; each side's time per
request is the median over its chunks (the queue is drained between chunks, untimed, so a chunk
competes only with the delivery of its own page views), and the added time is their difference: on the wall clock
(which includes the GIL time the sender's threads take, batching and posting the page views), and
in CPU time of the request's own thread (what the middleware itself costs a request).

    python bench/bench_middleware.py            # about a minute
    python bench/bench_middleware.py --quick    # a smoke run
"""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import umami

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for the tests' Django settings

WEBSITE_ID = "97205669-ea1f-4363-a133-7fd337cb3dbb"
CHUNKS = 10
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
HEADERS = {
    "host": "shop.example",
    "user-agent": CHROME,
    "accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "accept-language": "fr-CH, fr;q=0.9, en;q=0.8",
    "accept-encoding": "gzip, deflate, br",
    "referer": "https://search.example/?q=shoes",
    "cookie": "session=abc123; theme=dark",
    "x-forwarded-for": "203.0.113.7",
}
OPTIONS: dict[str, Any] = {"trusted_proxies": ["10.0.0.0/8"]}
PAGE, JSON = "/pricing", "/api/prices"


@contextmanager
def embedded_umami() -> Iterator[str]:
    """The embedded Umami in a subprocess (it does not share our GIL); yields its URL."""
    command = [sys.executable, "-m", "umami_transports.fake", "--port", "0", "--website-id", WEBSITE_ID]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        yield server.stdout.readline().split()[-1]
    finally:
        server.terminate()
        server.wait()


def per_request(count: int, sides: list[Callable[[int], None]]) -> list[tuple[float, float]]:
    """Median microseconds per request of each side, (wall clock, this thread's CPU); ``side(n)`` serves n requests."""
    per_chunk = count // CHUNKS
    times: list[list[tuple[float, float]]] = [[] for _ in sides]
    for side in sides:
        side(per_chunk // 10)  # warm: caches filled, background sending started
    for chunk in range(CHUNKS):
        for turn in range(len(sides)):
            index = (chunk + turn) % len(sides)
            wall, cpu = time.perf_counter(), time.thread_time()
            sides[index](per_chunk)
            wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
            times[index].append((wall / per_chunk * 1e6, cpu / per_chunk * 1e6))
            umami.flush(60.0)  # untimed: the next chunk does not compete with the delivery of this one's page views
    return [(statistics.median(wall for wall, _ in side), statistics.median(cpu for _, cpu in side)) for side in times]


# -- the apps, called at the protocol level ----------------------------------------------------------


def asgi_sides(path: str) -> list[Callable[[int], None]]:
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse
    from starlette.routing import Route

    from umami.integrations.asgi import UmamiMiddleware

    async def page(request: Any) -> HTMLResponse:
        return HTMLResponse("<h1>Pricing</h1>")

    async def prices(request: Any) -> JSONResponse:
        return JSONResponse({"pro": 19.0})

    bare = Starlette(routes=[Route(PAGE, page), Route(JSON, prices)])
    wrapped = UmamiMiddleware(bare, **OPTIONS)
    headers = [(name.encode(), value.encode()) for name, value in HEADERS.items()]
    loop = asyncio.new_event_loop()

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        pass

    def side(app: Callable[..., Awaitable[None]]) -> Callable[[int], None]:
        async def serve(count: int) -> None:
            for _ in range(count):
                scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "https",
                         "path": path, "raw_path": path.encode(), "query_string": b"plan=pro", "root_path": "", "headers": headers,
                         "client": ("10.0.0.5", 51000), "server": ("shop.example", 443)}  # fmt: skip
                await app(scope, receive, send)

        return lambda count: loop.run_until_complete(serve(count))

    return [side(bare), side(wrapped)]


def wsgi_sides(path: str) -> list[Callable[[int], None]]:
    import flask

    from umami.integrations.wsgi import UmamiMiddleware

    app = flask.Flask("bench")
    app.add_url_rule(PAGE, "page", lambda: "<h1>Pricing</h1>")
    app.add_url_rule(JSON, "prices", lambda: {"pro": 19.0})
    bare = app.wsgi_app
    wrapped = UmamiMiddleware(bare, **OPTIONS)
    environ = {"REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": "plan=pro", "SERVER_NAME": "shop.example",
               "SERVER_PORT": "443", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.5", "wsgi.url_scheme": "https",
               "wsgi.input": None, "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
               "wsgi.version": (1, 0), **{"HTTP_" + name.upper().replace("-", "_"): value for name, value in HEADERS.items()}}  # fmt: skip

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        pass

    def side(call: Callable[..., Any]) -> Callable[[int], None]:
        def serve(count: int) -> None:
            for _ in range(count):
                body = call(dict(environ), start_response)
                b"".join(body)
                getattr(body, "close", lambda: None)()

        return serve

    return [side(bare), side(wrapped)]


def django_sides(path: str, flavour: str) -> list[Callable[[int], None]]:
    from django.http import HttpResponse, JsonResponse
    from django.test import RequestFactory, override_settings

    from tests.integrations.support import configure_django
    from umami.integrations.django import UmamiMiddleware

    configure_django()
    request = RequestFactory().get(path + "?plan=pro", REMOTE_ADDR="10.0.0.5", headers=HEADERS)
    response = HttpResponse("<h1>Pricing</h1>") if path == PAGE else JsonResponse({"pro": 19.0})

    def view(request: Any) -> Any:
        return response

    async def async_view(request: Any) -> Any:
        return response

    with override_settings(UMAMI_MIDDLEWARE=OPTIONS):
        middleware = UmamiMiddleware(view if flavour == "sync" else async_view)
    if flavour == "sync":

        def sync_side(call: Callable[[Any], Any]) -> Callable[[int], None]:
            def serve(count: int) -> None:
                for _ in range(count):
                    call(request)

            return serve

        return [sync_side(view), sync_side(middleware)]

    loop = asyncio.new_event_loop()

    def async_side(call: Callable[[Any], Awaitable[Any]]) -> Callable[[int], None]:
        async def serve(count: int) -> None:
            for _ in range(count):
                await call(request)

        return lambda count: loop.run_until_complete(serve(count))

    return [async_side(async_view), async_side(middleware)]


def main() -> None:
    quick = "--quick" in sys.argv
    count = 2_000 if quick else 40_000
    with embedded_umami() as url:
        umami.set_url_base(url)
        umami.set_website_id(WEBSITE_ID)
        umami.enable_background_sending()
        print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; {count} requests per side and case")
        print(f"us per request, median of {CHUNKS} chunks: wall clock (the sender's threads run meanwhile), and the request thread's CPU")
        print(f"{'middleware':<20}{'request':<9}{'wall: without':>15}{'with':>8}{'added':>8}{'CPU: without':>15}{'with':>8}{'added':>8}")
        cases = [("ASGI (Starlette)", asgi_sides), ("WSGI (Flask)", wsgi_sides), ("Django sync", lambda path: django_sides(path, "sync")),
                 ("Django async", lambda path: django_sides(path, "async"))]  # fmt: skip
        for name, make in cases:
            for kind, path in (("page", PAGE), ("JSON", JSON)):
                (wall, cpu), (wall_with, cpu_with) = per_request(count, make(path))
                walls = f"{wall:>15.1f}{wall_with:>8.1f}{wall_with - wall:>8.1f}"
                print(f"{name:<20}{kind:<9}{walls}{cpu:>15.1f}{cpu_with:>8.1f}{cpu_with - cpu:>8.1f}")
        flushed = umami.flush(60.0)
        stats = umami.delivery_stats()
        print(f"page views queued {stats.queued}, delivered {stats.delivered}, all delivered: {flushed.complete}")
        umami.shutdown()


if __name__ == "__main__":
    main()
