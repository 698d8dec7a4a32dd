"""ASGI middleware: a page view in Umami for each page an ASGI app serves (Starlette, FastAPI, Quart...).

```python
from fastapi import FastAPI
from umami.integrations.asgi import UmamiMiddleware

app = FastAPI()
app.add_middleware(UmamiMiddleware, trusted_proxies=['10.0.0.0/8'])
```

The middleware only watches the ``http.response.start`` message the app sends (its status and
``Content-Type``); bodies, streaming responses and websockets pass through untouched. The page view
is queued after that message went on, from the app's own task. At lifespan shutdown it waits (at
most ``flush_timeout``) for the queued events. No framework is imported.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from umami.integrations._common import RequestInfo, Tracker, page_url

__all__ = ["UmamiMiddleware"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class UmamiMiddleware:
    """Wraps an ASGI app: each request that counts becomes a page view in Umami.

    Args:
        app: The ASGI application.
        **options: The options of :class:`umami.integrations.Tracker` (``client``, ``hostname``,
            ``trusted_proxies``, ``proxy_header``, ``methods``, ``statuses``, ``content_types``,
            ``include_paths``, ``exclude_paths``, ``should_track``, ``title``, ``distinct_id``,
            ``custom_data``, ``exclude_query``, ``skip_prefetch``, ``flush_timeout``). The hooks
            receive a :class:`~umami.integrations.RequestInfo` whose ``native`` is the ASGI scope.
    """

    def __init__(self, app: ASGIApp, **options: Any) -> None:
        self.app = app
        self.tracker = Tracker(**options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http" and self.tracker.wants_request(scope["method"], scope["path"]):
            await self.app(scope, receive, self._observing(scope, send))
        elif kind == "lifespan":
            await self.app(scope, receive, self._flushing(send))
        else:  # websockets, other protocols, requests that cannot count: untouched
            await self.app(scope, receive, send)

    def _observing(self, scope: Scope, send: Send) -> Send:
        tracker = self.tracker

        async def observed(message: Message) -> None:
            await send(message)  # the app's answer first: tracking comes after it
            if message["type"] == "http.response.start":
                await tracker.track_async(lambda: request_info(scope), message["status"], _content_type(message))

        return observed

    def _flushing(self, send: Send) -> Send:
        tracker = self.tracker

        async def flushing(message: Message) -> None:
            if message["type"] in ("lifespan.shutdown.complete", "lifespan.shutdown.failed"):
                await tracker.flush_async()  # after the app's own shutdown, which may send events too
            await send(message)

        return flushing


def _content_type(message: Message) -> str | None:
    for name, value in message.get("headers", ()):
        if name.lower() == b"content-type":
            return bytes(value).decode("latin-1")
    return None


def request_info(scope: Scope) -> RequestInfo:
    """The :class:`RequestInfo` of an ASGI http scope."""
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers", ()):
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
        # Repeated headers join as one (cookies as HTTP/2 splits them).
        headers[name] = f"{headers[name]}{'; ' if name == 'cookie' else ', '}{value}" if name in headers else value
    raw_path: bytes | None = scope.get("raw_path")
    query = scope.get("query_string") or b""
    url = page_url(raw_path, query, encoded=True) if raw_path is not None else page_url(scope["path"].encode(), query, encoded=False)
    client = scope.get("client")
    return RequestInfo(scope["method"], scope["path"], url, headers, client[0] if client else None, scope)
