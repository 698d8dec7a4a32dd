"""The httpx adapter: one pooled ``httpx.Client``, and one ``httpx.AsyncClient`` per event loop.

Errors are also httpx's own: a non-2xx answer raises an exception that is both
``umami_core.APIError`` and ``httpx.HTTPStatusError``; a network failure one that is both
``umami_core.TransportError`` and the httpx exception it came from.

Bodies are read raw, chunk by chunk, and decoded by the core's BodyReader: at most
``Request.max_body`` bytes after decompression, whatever the server sends.
"""

from __future__ import annotations

import threading
from typing import Any, Union

import httpx

from umami_core import Request, Response, TransportError, TransportTimeoutError
from umami_core.body import BodyReader
from umami_core.http import without_credentials
from umami_transports.base import Transport, dual_error_class, track_connections
from umami_transports.deadline import deadline_after, time_left
from umami_transports.httpx_deadline import with_deadlines
from umami_transports.per_loop import PerLoop
from umami_transports.status_errors import HttpxAPIError

__all__ = ["DEFAULT_TIMEOUT", "HttpxAPIError", "HttpxTransport"]

#: Connect within 5 s, and no read, write or pool wait longer than 10 s.
DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


def _without_credentials(native: httpx.Request) -> httpx.Request:
    return httpx.Request(native.method, native.url, headers=without_credentials(native.headers.multi_items()))


def _transport_error(exc: httpx.RequestError, request: Request) -> TransportError:
    timeout = isinstance(exc, httpx.TimeoutException)
    what = "did not answer in time" if timeout else "could not be reached"
    detail = str(exc) or ("timed out" if timeout else "failed")
    message = f"Umami {what} ({request.method} {request.url}): {type(exc).__name__}: {detail}"
    sent = exc._request
    if sent is not None:  # the original exception stays reachable as __cause__: clean it too
        sent = exc.request = _without_credentials(sent)
    error_class = dual_error_class(__name__, "Httpx", type(exc), timeout=timeout)
    return error_class(message, request=sent)  # type: ignore[call-arg]


def _timeouts(client: httpx.Client, request: Request) -> dict[str, Any] | None:
    """The client's timeouts, none longer than what is left of the call's deadline."""
    left = request.timeout
    if left is None:
        return None
    return {"timeout": {phase: left if value is None else min(value, left) for phase, value in client.timeout.as_dict().items()}}


def _past_deadline(native: httpx.Request) -> None:
    left = time_left()
    if left is not None and left <= 0:
        raise httpx.ReadTimeout("the call's deadline passed while reading the answer", request=native)


def _reader(answer: httpx.Response, request: Request) -> BodyReader:
    return BodyReader(answer.headers.get("content-encoding"), request.max_body)


def _response(answer: httpx.Response, reader: BodyReader) -> Response:
    return Response(answer.status_code, tuple(answer.headers.multi_items()), reader.body, reader.truncated)


TimeoutTypes = Union[httpx.Timeout, float, None]


class HttpxTransport(Transport):
    """Sends over httpx, sync and async, reusing connections (keep-alive).

    Args:
        client: Your own configured ``httpx.Client`` (proxies, certificates, timeouts...). You own
            it: :meth:`close` leaves it open. By default one is made on first use, and made
            again in a child process after ``fork()``.
        async_client: Your own ``httpx.AsyncClient``. An AsyncClient is bound to one event loop,
            so only pass one if all async calls run in one loop. By default one is made per loop,
            so ``asyncio.run()`` may be called again and again; it is closed when its loop shuts down.
        timeout: Timeout of the clients made here (not of yours): an ``httpx.Timeout`` or seconds.
        **client_options: Further ``httpx.Client``/``AsyncClient`` arguments for the clients made here.

    A call's deadline (``umami.set_limits``) bounds every connect, read and write of the sync
    clients made here; with a client of yours each step waits at most the time left when the
    request starts, and the deadline is checked between the chunks of the body.
    """

    def __init__(
        self,
        client: httpx.Client | None = None,
        async_client: httpx.AsyncClient | None = None,
        *,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        **client_options: Any,
    ) -> None:
        self._options: dict[str, Any] = {"timeout": timeout, **client_options}
        self._client = client
        self._owns_client = client is None
        self._async_client = async_client
        self._async_clients = PerLoop(lambda: httpx.AsyncClient(**self._options), httpx.AsyncClient.aclose)
        self._lock = threading.Lock()
        track_connections(self)

    # -- sync ----------------------------------------------------------------------------------

    def _sync_client(self) -> httpx.Client:
        client = self._client
        if client is None:
            with self._lock:
                if self._client is None:
                    self._client = with_deadlines(httpx.Client(**self._options))
                client = self._client
        return client

    def send(self, request: Request) -> Response:
        client = self._sync_client()
        native = client.build_request(
            request.method, request.url, headers=request.headers, content=request.body, extensions=_timeouts(client, request)
        )
        try:
            with deadline_after(request.timeout):
                answer = client.send(native, follow_redirects=False, stream=True)
                try:
                    reader = _reader(answer, request)
                    for chunk in answer.iter_raw():
                        if not reader.feed(chunk):
                            break
                        _past_deadline(native)
                finally:
                    answer.close()
        except httpx.RequestError as exc:
            raise _transport_error(exc, request) from exc
        return _response(answer, reader)

    def close(self) -> None:
        if self._owns_client and self._client is not None:
            self._client.close()
            self._client = None

    # -- async ---------------------------------------------------------------------------------

    async def _current_async_client(self) -> httpx.AsyncClient:
        if self._async_client is not None:
            return self._async_client
        return await self._async_clients.get()

    async def send_async(self, request: Request) -> Response:
        # The async driver cancels the call at its deadline: no per-step bounding needed here.
        client = await self._current_async_client()
        native = client.build_request(request.method, request.url, headers=request.headers, content=request.body)
        try:
            answer = await client.send(native, follow_redirects=False, stream=True)
            try:
                reader = _reader(answer, request)
                async for chunk in answer.aiter_raw():
                    if not reader.feed(chunk):
                        break
            finally:
                await answer.aclose()
        except httpx.RequestError as exc:
            raise _transport_error(exc, request) from exc
        return _response(answer, reader)

    async def aclose(self) -> None:
        """Close the AsyncClient made for the running event loop (yours stays open).

        Not needed after ``asyncio.run()``: the client of a loop is closed when the loop shuts down.
        """
        await self._async_clients.aclose()

    # -- errors and processes ------------------------------------------------------------------

    def deadline_error(self, message: str) -> TransportTimeoutError:
        return dual_error_class(__name__, "Httpx", httpx.TimeoutException, timeout=True)(message)  # type: ignore[return-value]

    def _after_fork(self) -> None:
        # The parent's connections are the parent's: drop them unclosed (closing could end its TLS
        # sessions) and let the child open its own.
        if self._owns_client:
            self._client = None
        self._async_clients = PerLoop(lambda: httpx.AsyncClient(**self._options), httpx.AsyncClient.aclose)
