"""The httpx adapter: one pooled ``httpx.Client``, and one ``httpx.AsyncClient`` per event loop.

Errors are also httpx's own: a non-2xx answer raises an exception that is both
``umami_core.APIError`` and ``httpx.HTTPStatusError``; a network failure one that is both
``umami_core.TransportError`` and the httpx exception it came from.
"""

from __future__ import annotations

import threading
from typing import Any, Union

import httpx

from umami_core import APIError, Request, Response, TransportError
from umami_core.http import without_credentials
from umami_transports.base import Transport, dual_error_class
from umami_transports.per_loop import PerLoop

__all__ = ["DEFAULT_TIMEOUT", "HttpxAPIError", "HttpxTransport"]

#: Connect within 5 s, and no read, write or pool wait longer than 10 s.
DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class HttpxAPIError(APIError, httpx.HTTPStatusError):
    """A non-2xx answer: catch it as ``umami.errors.APIError`` or as ``httpx.HTTPStatusError``."""

    def __init__(self, error: APIError, response: httpx.Response) -> None:
        self.copy_from(error)
        # The request as sent carries the token: the exception and its response keep a copy without it.
        response.request = _without_credentials(response.request)
        self.request = response.request
        self.response = response


def _without_credentials(native: httpx.Request) -> httpx.Request:
    return httpx.Request(native.method, native.url, headers=without_credentials(native.headers.multi_items()))


def _transport_error(exc: httpx.RequestError, request: Request) -> TransportError:
    what = "did not answer in time" if isinstance(exc, httpx.TimeoutException) else "could not be reached"
    message = f"Umami {what} ({request.method} {request.url}): {type(exc).__name__}: {exc}"
    sent = exc._request
    if sent is not None:  # the original exception stays reachable as __cause__: clean it too
        sent = exc.request = _without_credentials(sent)
    error_class = dual_error_class(__name__, "Httpx", type(exc), timeout=isinstance(exc, httpx.TimeoutException))
    return error_class(message, request=sent)  # type: ignore[call-arg]


def _response(native: httpx.Response) -> Response:
    return Response(native.status_code, tuple(native.headers.multi_items()), native.content, native)


TimeoutTypes = Union[httpx.Timeout, float, None]


class HttpxTransport(Transport):
    """Sends over httpx, sync and async, reusing connections (keep-alive).

    Args:
        client: Your own configured ``httpx.Client`` (proxies, certificates, timeouts...). You own
            it: :meth:`close` leaves it open. By default one is made on first use.
        async_client: Your own ``httpx.AsyncClient``. An AsyncClient is bound to one event loop,
            so only pass one if all async calls run in one loop. By default one is made per loop,
            so ``asyncio.run()`` may be called again and again; it is closed when its loop shuts down.
        timeout: Timeout of the clients made here (not of yours): an ``httpx.Timeout`` or seconds.
        **client_options: Further ``httpx.Client``/``AsyncClient`` arguments for the clients made here.
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

    # -- sync ----------------------------------------------------------------------------------

    def _sync_client(self) -> httpx.Client:
        client = self._client
        if client is None:
            with self._lock:
                if self._client is None:
                    self._client = httpx.Client(**self._options)
                client = self._client
        return client

    def send(self, request: Request) -> Response:
        client = self._sync_client()
        native = client.build_request(request.method, request.url, headers=request.headers, content=request.body)
        try:
            return _response(client.send(native, follow_redirects=False))
        except httpx.RequestError as exc:
            raise _transport_error(exc, request) from exc

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
        client = await self._current_async_client()
        native = client.build_request(request.method, request.url, headers=request.headers, content=request.body)
        try:
            return _response(await client.send(native, follow_redirects=False))
        except httpx.RequestError as exc:
            raise _transport_error(exc, request) from exc

    async def aclose(self) -> None:
        """Close the AsyncClient made for the running event loop (yours stays open).

        Not needed after ``asyncio.run()``: the client of a loop is closed when the loop shuts down.
        """
        await self._async_clients.aclose()

    # -- errors --------------------------------------------------------------------------------

    def api_error(self, error: APIError) -> APIError:
        native = error.umami_response.native if error.umami_response is not None else None
        if isinstance(native, httpx.Response):
            return HttpxAPIError(error, native)
        return error
