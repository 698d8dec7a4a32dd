"""The Django views of the middleware tests (ROOT_URLCONF of tests.integrations.support.configure_django)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import path

PAGE = "<h1>Welcome</h1>"


def page(request: Any) -> HttpResponse:
    return HttpResponse(PAGE)


async def async_page(request: Any) -> HttpResponse:
    await asyncio.sleep(0)
    return HttpResponse(PAGE)


def account(request: Any) -> HttpResponse:
    request.user_id = "user-42"  # as an authentication middleware would
    return HttpResponse(PAGE)


def api(request: Any) -> JsonResponse:
    return JsonResponse({"ok": True})


def missing(request: Any) -> HttpResponse:
    return HttpResponse("<h1>Not here</h1>", status=404)


def stream(request: Any) -> StreamingHttpResponse:
    def chunks() -> Iterator[str]:
        for number in range(3):
            yield f"<p>{number}</p>"

    return StreamingHttpResponse(chunks(), content_type="text/html")


async def async_stream(request: Any) -> StreamingHttpResponse:
    async def chunks() -> AsyncIterator[str]:
        for number in range(3):
            yield f"<p>{number}</p>"

    return StreamingHttpResponse(chunks(), content_type="text/html")


urlpatterns = [
    path("", page),
    path("pricing", page),
    path("async-page", async_page),
    path("account", account),
    path("api", api),
    path("missing", missing),
    path("stream", stream),
    path("async-stream", async_stream),
    path("static/app.css", page),
]
