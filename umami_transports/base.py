"""What a transport is: something that turns a core Request into a core Response.

A transport implements ``send`` (sync), ``send_async`` (async), or both. It raises
``umami_core.TransportError`` (or a subclass) when the request does not complete, and returns
every response, whatever its status: deciding what a status means is the core's job.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Union

from umami_core import APIError, Request, Response, TransportError, TransportTimeoutError

__all__ = ["Handler", "MockTransport", "Transport", "dual_error_class"]


class Transport:
    """Base class of transports. Override ``send`` and/or ``send_async``."""

    def send(self, request: Request) -> Response:
        """Send ``request`` and return the response; raise TransportError if it did not complete."""
        raise NotImplementedError(f"{type(self).__name__} is async-only: use the *_async functions, or a sync transport.")

    async def send_async(self, request: Request) -> Response:
        """Async twin of :meth:`send`."""
        raise NotImplementedError(f"{type(self).__name__} is sync-only: use the sync functions, or an async transport.")

    def api_error(self, error: APIError) -> APIError:
        """The exception to raise for a non-2xx answer; adapters return one that is also their library's."""
        return error

    @property
    def supports_sync(self) -> bool:
        return type(self).send is not Transport.send

    @property
    def supports_async(self) -> bool:
        return type(self).send_async is not Transport.send_async

    def close(self) -> None:
        """Release the connections this transport opened (sync side)."""

    async def aclose(self) -> None:
        """Release the connections this transport opened (async side)."""


_dual_classes: dict[tuple[str, type[BaseException]], type[TransportError]] = {}


def dual_error_class(module: str, prefix: str, native_class: type[BaseException], *, timeout: bool) -> type[TransportError]:
    """A class that is both ours (TransportError, or TransportTimeoutError) and ``native_class``, so
    either ``except`` catches it; made once per class. ``str()`` shows our message."""
    found = _dual_classes.get((module, native_class))
    if found is None:
        ours = TransportTimeoutError if timeout else TransportError
        namespace = {"__module__": module, "__str__": BaseException.__str__}
        found = _dual_classes[(module, native_class)] = type(f"{prefix}{native_class.__name__}", (ours, native_class), namespace)
    return found


Handler = Callable[[Request], Union[Response, Awaitable[Response]]]


class MockTransport(Transport):
    """A transport that answers with a function of yours: for tests, serves sync and async alike.

    Example::

        def handler(request: umami_core.Request) -> umami_core.Response:
            return umami_core.Response(200, body=b'{"ok": true}')

        umami.set_transport(umami_transports.MockTransport(handler))
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[Request] = []

    def send(self, request: Request) -> Response:
        self.requests.append(request)
        response = self.handler(request)
        if inspect.isawaitable(response):
            raise TypeError("MockTransport: an async handler can only serve the *_async functions.")
        return response

    async def send_async(self, request: Request) -> Response:
        self.requests.append(request)
        response = self.handler(request)
        if inspect.isawaitable(response):
            return await response
        return response
