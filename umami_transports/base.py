"""What a transport is: something that turns a core Request into a core Response.

A transport implements ``send`` (sync), ``send_async`` (async), or both. It raises
``umami_core.TransportError`` (or a subclass) when the request does not complete, and returns
every response, whatever its status: deciding what a status means is the core's job.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, Union

from umami_core import APIError, Request, Response, TransportError, TransportTimeoutError

__all__ = ["Handler", "MockTransport", "Transport", "dual_error_class", "track_connections"]

logger = logging.getLogger("umami")


class Transport:
    """Base class of transports. Override ``send`` and/or ``send_async``."""

    def send(self, request: Request) -> Response:
        """Send ``request`` and return the response; raise TransportError if it did not complete."""
        raise NotImplementedError(f"{type(self).__name__} is async-only: use the *_async functions, or a sync transport.")

    async def send_async(self, request: Request) -> Response:
        """Async twin of :meth:`send`."""
        raise NotImplementedError(f"{type(self).__name__} is sync-only: use the sync functions, or an async transport.")

    def api_error(self, error: APIError) -> APIError:
        """The exception to raise for a non-2xx answer: also an ``httpx.HTTPStatusError``, as the
        spec promises whatever the transport; adapters return one that is also their library's."""
        from umami_transports.status_errors import httpx_status_error  # httpx only when an error happens

        return httpx_status_error(error)

    def deadline_error(self, message: str) -> TransportTimeoutError:
        """The exception to raise when a call's deadline passes; adapters add their library's timeout class."""
        return TransportTimeoutError(message)

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

    def _after_fork(self) -> None:
        """In a child process just forked: forget the parent's connections (see track_connections)."""


_tracked: weakref.WeakSet[Transport] = weakref.WeakSet()


def track_connections(transport: Transport) -> None:
    """Look after the connections ``transport`` opens: fresh ones in a child after ``os.fork()``,
    and closed at interpreter exit (no ResourceWarning for a socket left open).

    After a fork, parent and child would otherwise share its keep-alive sockets, and answers would
    reach the wrong process (gunicorn's ``preload_app``, Celery, multiprocessing's fork start method).
    """
    _tracked.add(transport)


def _after_fork_in_child() -> None:
    for transport in list(_tracked):
        transport._after_fork()


@atexit.register
def _close_at_exit() -> None:
    for transport in list(_tracked):
        try:
            transport.close()  # closes only what the transport made itself
        except Exception as exc:  # noqa: BLE001 - at exit, a connection that cannot close is only logged
            logger.debug("umami: closing %r at exit failed: %s", transport, exc)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


_dual_classes: dict[tuple[str, type[BaseException]], type[TransportError]] = {}


def dual_error_class(module: str, prefix: str, native_class: type[BaseException], *, timeout: bool) -> type[TransportError]:
    """A class that is both ours (TransportError, or TransportTimeoutError) and ``native_class``, so
    either ``except`` catches it; made once per class. ``str()`` shows our message. Its instances
    pickle: they unpickle as the same kind of class, made again where needed."""
    found = _dual_classes.get((module, native_class))
    if found is None:
        ours = TransportTimeoutError if timeout else TransportError
        recipe = (module, prefix, native_class, timeout)
        namespace = {"__module__": module, "__str__": BaseException.__str__, "__reduce__": _reducer(recipe)}
        found = _dual_classes[(module, native_class)] = type(f"{prefix}{native_class.__name__}", (ours, native_class), namespace)
    return found


def _reducer(recipe: tuple[str, str, type[BaseException], bool]) -> Callable[[BaseException], tuple[Any, ...]]:
    def reduce(error: BaseException) -> tuple[Any, ...]:
        # Made by type(), the class cannot be found by name: pickle how to make it, and what pickles of its state.
        return (_rebuild_dual_error, (recipe, str(error), _picklable(vars(error))))

    return reduce


def _rebuild_dual_error(recipe: tuple[str, str, type[BaseException], bool], message: str, state: dict[str, Any]) -> TransportError:
    module, prefix, native_class, timeout = recipe
    error_class = dual_error_class(module, prefix, native_class, timeout=timeout)
    error = error_class.__new__(error_class)
    error.__dict__.update(state)
    Exception.__init__(error, message)
    return error


def _picklable(state: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``state`` that pickle (a library's connection key may hold an SSL context)."""
    kept = {}
    for name, value in state.items():
        try:
            pickle.dumps(value)
        except Exception:  # noqa: BLE001 - whatever pickle raises, the entry is left out
            continue
        kept[name] = value
    return kept


Handler = Callable[[Request], Union[Response, Awaitable[Response]]]


def _awaitable(value: object) -> bool:
    # What inspect.isawaitable() says, without importing inspect (slow to import) for it.
    return hasattr(value, "__await__")


class MockTransport(Transport):
    """A transport that answers with a function of yours: for tests, serves sync and async alike.

    Args:
        handler: Called with each Request; returns the Response (or, for async calls, an awaitable).
        keep: How many of the latest requests ``requests`` keeps (oldest dropped first), so a
            long run does not grow without bound; None keeps every one.

    Example::

        def handler(request: umami_core.Request) -> umami_core.Response:
            return umami_core.Response(200, body=b'{"ok": true}')

        umami.set_transport(umami_transports.MockTransport(handler))
    """

    def __init__(self, handler: Handler, *, keep: int | None = 1000) -> None:
        self.handler = handler
        self.keep = keep
        self.requests: list[Request] = []

    def _record(self, request: Request) -> None:
        self.requests.append(request)
        if self.keep is not None and len(self.requests) > self.keep:
            del self.requests[0]  # a list of at most `keep` pointers: moving them costs next to nothing

    def send(self, request: Request) -> Response:
        self._record(request)
        response = self.handler(request)
        if _awaitable(response):
            raise TypeError("MockTransport: an async handler can only serve the *_async functions.")
        return response  # type: ignore[return-value]

    async def send_async(self, request: Request) -> Response:
        self._record(request)
        response = self.handler(request)
        if _awaitable(response):
            return await response  # type: ignore[no-any-return, misc]
        return response  # type: ignore[return-value]
