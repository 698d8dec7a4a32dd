"""The Django middleware, sync (Django's test Client) and async (Django's ASGI handler over httpx), against the embedded Umami."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
import pytest
from asgiref.sync import iscoroutinefunction
from django.core.asgi import get_asgi_application
from django.test import Client, override_settings

import umami
from tests.integrations.django_urls import PAGE
from tests.integrations.support import BROWSER, CHROME, PROXY, VISITOR, delivered
from umami.integrations.django import UmamiMiddleware
from umami_transports.fake import FakeUmami, Faults

HEADERS = {**BROWSER, "host": "shop.example"}


def fetch(*paths: str, peer: str = VISITOR, headers: dict[str, str] | None = None, flavour: str = "sync") -> list[Any]:
    """GET each path through the middleware: with Django's test client (WSGI handler, sync
    middleware chain), or served by Django's ASGI handler (async chain) over httpx's ASGITransport."""
    sent = {**HEADERS, **(headers or {})}
    if flavour == "sync":
        client = Client(REMOTE_ADDR=peer)
        return [client.get(path, headers=sent) for path in paths]

    async def run() -> list[Any]:
        transport = httpx.ASGITransport(get_asgi_application(), client=(peer, 51000))  # the middleware is loaded here
        async with httpx.AsyncClient(transport=transport, base_url="http://shop.example") as client:
            return [await client.get(path, headers=sent) for path in paths]

    return asyncio.run(run())


def content(response: Any) -> str:
    if isinstance(response, httpx.Response):
        return response.text
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return str(response.content.decode())


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_page_views_arrive_with_the_visitor(flavour: str, any_fake: FakeUmami) -> None:
    answers = fetch("/pricing?plan=pro", "/async-page", "/api", "/missing", "/static/app.css", flavour=flavour)

    assert [answer.status_code for answer in answers] == [200, 200, 200, 404, 200]
    assert content(answers[0]) == PAGE and answers[2].json() == {"ok": True}
    assert sorted(delivered(any_fake)) == ["/async-page", "/pricing?plan=pro"]
    view = any_fake.page_views(url="/pricing")[0]
    seen = (view.payload["ip"], view.hostname, view.referrer_domain, view.payload["userAgent"])
    assert seen == (VISITOR, "shop.example", "search.example", CHROME)
    assert any_fake.session_of(view).language == "fr-CH"  # type: ignore[union-attr]


def test_the_middleware_is_async_under_asgi_and_sync_under_wsgi() -> None:
    async def get_response(request: Any) -> Any: ...

    assert iscoroutinefunction(UmamiMiddleware(get_response))
    assert not iscoroutinefunction(UmamiMiddleware(lambda request: None))


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_forwarded_for_is_believed_from_trusted_proxies_only(flavour: str, fake: FakeUmami) -> None:
    forwarded = {"x-forwarded-for": f"198.51.100.66, {VISITOR}"}
    with override_settings(UMAMI_MIDDLEWARE={"trusted_proxies": ["10.0.0.0/8"]}):
        fetch("/", peer=PROXY, headers=forwarded, flavour=flavour)
    fetch("/pricing", peer=PROXY, headers=forwarded, flavour=flavour)

    delivered(fake)
    assert {view.url_path: view.payload["ip"] for view in fake.page_views()} == {"/": VISITOR, "/pricing": PROXY}


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_hooks_see_the_django_request(flavour: str, fake: FakeUmami) -> None:
    on_a_loop: list[bool] = []

    def distinct_id(info: Any) -> str | None:
        try:
            on_a_loop.append(asyncio.get_running_loop() is not None)
        except RuntimeError:
            on_a_loop.append(False)
        return getattr(info.native, "user_id", None)

    options = {"distinct_id": distinct_id, "title": lambda info: info.native.resolver_match.route}
    with override_settings(UMAMI_MIDDLEWARE=options):
        fetch("/account", "/pricing", flavour=flavour)

    assert on_a_loop == [flavour == "async"] * 2  # async under ASGI: on the event loop, no thread hop

    delivered(fake)
    seen = {view.url_path: (view.page_title, fake.session_of(view).distinct_id) for view in fake.page_views()}  # type: ignore[union-attr]
    assert seen == {"/account": ("account", "user-42"), "/pricing": ("pricing", None)}


@pytest.mark.parametrize(("flavour", "path"), [("sync", "/stream"), ("async", "/async-stream")])
def test_streaming_responses_arrive_whole(flavour: str, path: str, fake: FakeUmami) -> None:
    (answer,) = fetch(path, flavour=flavour)
    assert content(answer) == "<p>0</p><p>1</p><p>2</p>"
    assert delivered(fake) == [path]


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.umami_fake(faults=Faults(rate=1.0, statuses=(500,)))
def test_a_failing_umami_fails_no_request(flavour: str, fake: FakeUmami) -> None:
    answers = fetch(*["/"] * 10, flavour=flavour)

    assert [(answer.status_code, content(answer)) for answer in answers] == [(200, PAGE)] * 10
    assert umami.delivery_stats().queued == 10
    assert not umami.flush(0.5).complete and fake.page_views() == []
    umami.shutdown(0.1)


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_failing_hook_is_logged_and_the_app_answers(flavour: str, fake: FakeUmami, caplog: pytest.LogCaptureFixture) -> None:
    def broken(info: Any) -> None:
        raise LookupError("no such user")

    with override_settings(UMAMI_MIDDLEWARE={"distinct_id": broken}), caplog.at_level(logging.WARNING, logger="umami.integrations"):
        answers = fetch("/", flavour=flavour)

    assert [content(answer) for answer in answers] == [PAGE]
    (record,) = [record for record in caplog.records if record.name == "umami.integrations"]
    assert isinstance(record.exc_info[1], LookupError)  # type: ignore[index]
    assert delivered(fake) == []
