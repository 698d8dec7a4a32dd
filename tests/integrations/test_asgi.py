"""The ASGI middleware with Starlette and FastAPI, served through httpx's ASGITransport (and as raw
ASGI where the protocol itself is checked), against the embedded Umami."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

import umami
from tests.integrations.support import BROWSER, CHROME, PROXY, VISITOR, delivered
from umami.integrations.asgi import UmamiMiddleware
from umami_transports.fake import FakeTransport, FakeUmami, Faults

PAGE = "<h1>Welcome</h1>"


async def home(request: Any) -> HTMLResponse:
    return HTMLResponse(PAGE)


async def missing(request: Any) -> HTMLResponse:
    return HTMLResponse("<h1>Not here</h1>", status_code=404)


async def api(request: Any) -> JSONResponse:
    return JSONResponse({"ok": True})


async def stream(request: Any) -> StreamingResponse:
    async def chunks() -> AsyncIterator[str]:
        for number in range(3):
            yield f"<p>{number}</p>"

    return StreamingResponse(chunks(), media_type="text/html")


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text(await websocket.receive_text())
    await websocket.close()


def starlette_app(**options: Any) -> Starlette:
    routes = [Route("/", home), Route("/pricing", home), Route("/missing", missing), Route("/api", api), Route("/stream", stream),
              Route("/static/app.css", home), WebSocketRoute("/ws", echo)]  # fmt: skip
    app = Starlette(routes=routes)
    app.add_middleware(UmamiMiddleware, **options)
    return app


def fastapi_app(**options: Any) -> FastAPI:
    app = FastAPI()

    @app.get("/", response_class=HTMLResponse)
    @app.get("/pricing", response_class=HTMLResponse)
    @app.get("/static/app.css", response_class=HTMLResponse)
    async def page() -> str:
        return PAGE

    @app.get("/missing")
    async def not_here() -> HTMLResponse:
        return HTMLResponse("<h1>Not here</h1>", status_code=404)

    @app.get("/api")
    async def json_api() -> dict[str, bool]:
        return {"ok": True}

    app.add_middleware(UmamiMiddleware, **options)
    return app


APPS = {"starlette": starlette_app, "fastapi": fastapi_app}


async def fetch(app: Any, *paths: str, peer: str = VISITOR, headers: dict[str, str] | None = None) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app, client=(peer, 51000))
    async with httpx.AsyncClient(transport=transport, base_url="http://shop.example") as client:
        return [await client.get(path, headers={**BROWSER, **(headers or {})}) for path in paths]


@pytest.mark.parametrize("framework", list(APPS))
def test_page_views_arrive_with_the_visitor(framework: str, any_fake: FakeUmami) -> None:
    app = APPS[framework]()
    answers = asyncio.run(fetch(app, "/pricing?plan=pro", "/api", "/missing", "/static/app.css"))

    assert [answer.status_code for answer in answers] == [200, 200, 404, 200]
    assert answers[0].text == PAGE and answers[1].json() == {"ok": True}
    assert delivered(any_fake) == ["/pricing?plan=pro"]  # JSON, a 404 and a static file do not count
    (view,) = any_fake.page_views()
    assert view.payload["ip"] == VISITOR and view.hostname == "shop.example"
    assert view.referrer_domain == "search.example"
    session = any_fake.session_of(view)
    assert session is not None and (session.browser, session.os, session.language) == ("chrome", "Windows 10", "fr-CH")
    assert view.payload["userAgent"] == CHROME


@pytest.mark.parametrize("framework", list(APPS))
def test_forwarded_for_is_believed_from_trusted_proxies_only(framework: str, fake: FakeUmami) -> None:
    forwarded = {"x-forwarded-for": f"198.51.100.66, {VISITOR}"}
    asyncio.run(fetch(APPS[framework](trusted_proxies=["10.0.0.0/8"]), "/", peer=PROXY, headers=forwarded))
    asyncio.run(fetch(APPS[framework](), "/pricing", peer=PROXY, headers=forwarded))  # no proxy trusted
    asyncio.run(fetch(APPS[framework](trusted_proxies=["10.0.0.0/8"]), "/missing", peer=VISITOR, headers=forwarded))

    delivered(fake)
    assert {view.url_path: view.payload["ip"] for view in fake.page_views()} == {"/": VISITOR, "/pricing": PROXY}


def test_fastapi_hooks_see_what_the_endpoint_set(fake: FakeUmami) -> None:
    app = FastAPI()

    @app.get("/account", response_class=HTMLResponse)
    async def account(request: Request) -> str:
        request.state.user_id = "user-42"  # as an authentication dependency would
        return PAGE

    app.add_middleware(UmamiMiddleware, distinct_id=lambda info: info.native["state"].get("user_id"), title=lambda info: "Account")
    asyncio.run(fetch(app, "/account"))

    delivered(fake)
    (view,) = fake.page_views()
    assert view.page_title == "Account" and fake.session_of(view).distinct_id == "user-42"  # type: ignore[union-attr]


def test_streaming_responses_pass_through_as_they_are_sent(fake: FakeUmami) -> None:
    """The middleware hands on each message the app sends, the same object, at once: the app sends
    its second chunk only after the server got the first."""
    first_arrived = asyncio.Event()
    sent: list[dict[str, Any]] = []
    received: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        for message in [
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html; charset=utf-8")]},
            {"type": "http.response.body", "body": b"<p>first</p>", "more_body": True},
        ]:
            sent.append(message)
            await send(message)
        await asyncio.wait_for(first_arrived.wait(), 5)
        last = {"type": "http.response.body", "body": b"<p>last</p>"}
        sent.append(last)
        await send(last)

    async def server_send(message: dict[str, Any]) -> None:
        received.append(message)
        if message.get("more_body"):
            first_arrived.set()

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": "GET", "path": "/news", "raw_path": b"/news", "query_string": b"", "client": (VISITOR, 1),
             "headers": [(b"user-agent", CHROME.encode())]}  # fmt: skip
    asyncio.run(UmamiMiddleware(app)(scope, receive, server_send))

    assert len(received) == 3 and all(got is original for got, original in zip(received, sent, strict=True))
    assert delivered(fake) == ["/news"]


def test_a_streaming_response_of_starlette_arrives_whole(fake: FakeUmami) -> None:
    (answer,) = asyncio.run(fetch(starlette_app(), "/stream"))
    assert answer.text == "<p>0</p><p>1</p><p>2</p>"
    assert delivered(fake) == ["/stream"]


def test_websockets_pass_through(fake: FakeUmami) -> None:
    outgoing: list[dict[str, Any]] = []
    incoming = iter([{"type": "websocket.connect"}, {"type": "websocket.receive", "text": "hello"}, {"type": "websocket.disconnect"}])

    async def receive() -> dict[str, Any]:
        return next(incoming)

    async def send(message: dict[str, Any]) -> None:
        outgoing.append(message)

    scope = {"type": "websocket", "path": "/ws", "raw_path": b"/ws", "query_string": b"", "headers": [(b"user-agent", CHROME.encode())],
             "client": (VISITOR, 1), "scheme": "ws", "server": ("shop.example", 80), "subprotocols": []}  # fmt: skip
    asyncio.run(starlette_app()(scope, receive, send))

    assert [message["type"] for message in outgoing] == ["websocket.accept", "websocket.send", "websocket.close"]
    assert outgoing[1]["text"] == "hello"
    assert delivered(fake) == []

    seen: list[Any] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        seen.extend([receive, send])

    asyncio.run(UmamiMiddleware(inner)({"type": "websocket", "path": "/ws"}, receive, send))
    assert seen == [receive, send]  # not wrapped: the same callables


def test_lifespan_shutdown_flushes_the_queue(fake: FakeUmami) -> None:
    umami.enable_background_sending(linger=60.0)  # without a flush, page views would wait a minute for a batch
    shutdown_ran = []

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        yield
        shutdown_ran.append(True)

    app = Starlette(routes=[Route("/", home)], lifespan=lifespan)
    app.add_middleware(UmamiMiddleware)

    async def serve() -> list[str]:
        to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        running = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, to_app.get, from_app.put))
        await to_app.put({"type": "lifespan.startup"})
        assert (await from_app.get())["type"] == "lifespan.startup.complete"
        await fetch(app, "/")
        before = [view.url_path for view in fake.page_views()]
        await to_app.put({"type": "lifespan.shutdown"})
        assert (await from_app.get())["type"] == "lifespan.shutdown.complete"
        await running
        return before

    assert asyncio.run(serve()) == []  # still queued before the shutdown
    assert [view.url_path for view in fake.page_views()] == ["/"]  # delivered by the time the server was told it may stop
    assert shutdown_ran == [True]


@pytest.mark.umami_fake(faults=Faults(rate=1.0, statuses=(503,), retry_after=None))
def test_a_failing_umami_fails_no_request(fake: FakeUmami) -> None:
    app = starlette_app()
    answers = asyncio.run(fetch(app, *["/"] * 20))

    assert [(answer.status_code, answer.text) for answer in answers] == [(200, PAGE)] * 20
    assert umami.delivery_stats().queued == 20
    assert not umami.flush(0.5).complete and umami.delivery_stats().delivered == 0
    assert fake.page_views() == [] and fake.fault_counts.statuses.get(503, 0) >= 1
    umami.shutdown(0.1)


def test_an_unreachable_umami_fails_no_request(fake: FakeUmami, closed_port_url: str) -> None:
    umami.set_transport(None)
    umami.set_url_base(closed_port_url)
    answers = asyncio.run(fetch(starlette_app(), *["/"] * 10))

    assert [answer.status_code for answer in answers] == [200] * 10
    assert umami.delivery_stats().queued == 10
    umami.shutdown(0.1)


def test_a_failing_hook_is_logged_once_and_the_app_answers(fake: FakeUmami, caplog: pytest.LogCaptureFixture) -> None:
    def broken(info: Any) -> str:
        raise RuntimeError("the session store is down")

    with caplog.at_level(logging.WARNING, logger="umami.integrations"):
        answers = asyncio.run(fetch(starlette_app(distinct_id=broken), *["/"] * 5))

    assert [answer.text for answer in answers] == [PAGE] * 5
    (record,) = [record for record in caplog.records if record.name == "umami.integrations"]
    assert "could not be tracked" in record.getMessage() and "the session store is down" in str(record.exc_info[1])  # type: ignore[index]
    assert delivered(fake) == []


def test_background_sending_is_enabled_on_first_use(fake: FakeUmami) -> None:
    assert umami.new_page_view("Before", "/before", ua=CHROME) != {"queued": True}  # sent at once: no background sending yet
    asyncio.run(fetch(starlette_app(), "/"))
    assert umami.new_page_view("After", "/after", ua=CHROME) == {"queued": True}
    assert sorted(delivered(fake)) == ["/", "/after", "/before"]


def test_a_client_of_its_own(fake: FakeUmami) -> None:
    other = FakeUmami(website_domain="other.example")
    client = umami.Client(FakeTransport(other))
    client.set_url_base("http://other-umami.test")
    client.set_website_id(other.website.id)  # type: ignore[union-attr]
    asyncio.run(fetch(starlette_app(client=client), "/pricing"))

    assert delivered(other, client) == ["/pricing"]
    assert delivered(fake) == []
    assert umami.new_page_view("Default", "/default", ua=CHROME) != {"queued": True}  # the default client was left alone
    client.shutdown(5.0)
