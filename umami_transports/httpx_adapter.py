"""The httpx adapter: one pooled ``httpx.Client``, and one ``httpx.AsyncClient`` per event loop.

Errors are also httpx's own: a non-2xx answer raises an exception that is both
``umami_core.APIError`` and ``httpx.HTTPStatusError``; a network failure one that is both
``umami_core.TransportError`` and the httpx exception it came from.

Bodies are read raw, chunk by chunk, and decoded by the core's BodyReader: at most
``Request.max_body`` bytes after decompression, whatever the server sends.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Union
from urllib.parse import urlsplit

import httpx

from umami_core import Request, Response, TransportError, TransportTimeoutError
from umami_core.body import BodyReader
from umami_core.http import without_credentials
from umami_transports.asyncio_http import AsyncioPool
from umami_transports.base import Transport, dual_error_class, track_connections
from umami_transports.deadline import deadline_after, time_left
from umami_transports.httpx_deadline import with_deadlines
from umami_transports.per_loop import PerLoop, running_loop_key
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


#: Options of httpx's clients that the asyncio fast path honours; any other one (a proxy, HTTP/2,
#: hooks, mounts...) sends async calls through httpx.AsyncClient.
_FAST_PATH_OPTIONS = frozenset({"timeout", "verify", "cert", "trust_env", "limits"})


async def _nothing_to_close(_: object) -> None:
    pass


class HttpxTransport(Transport):
    """Sends over httpx, sync and async, reusing connections (keep-alive).

    Args:
        client: Your own configured ``httpx.Client`` (proxies, certificates, timeouts...). You own
            it: :meth:`close` leaves it open. By default one is made on first use, and made
            again in a child process after ``fork()``.
        async_client: Your own ``httpx.AsyncClient``. An AsyncClient is bound to one event loop,
            so only pass one if all async calls run in one loop.
        timeout: Timeout of the clients made here (not of yours): an ``httpx.Timeout`` or seconds.
        max_in_flight: Async calls in flight at once, per event loop (and, on asyncio's fast
            path, per server); further calls wait their turn, within their deadline, so a burst of
            thousands of concurrent calls all succeed instead of timing out in httpx's pool. By
            default 10 on the fast path, and 4 through httpx.AsyncClient, whose pool slows down
            as more calls share it.
        **client_options: Further ``httpx.Client``/``AsyncClient`` arguments for the clients made here.

    Async calls without a client of yours go, on asyncio, over a small HTTP/1.1 connection pool on
    asyncio's own transports (``asyncio_http``): several times faster than httpx.AsyncClient, with
    httpx's TLS settings (``verify``, ``cert``, ``trust_env``), timeouts and exceptions. Under
    trio, through a proxy from the environment, or with any other client option, they go over an
    ``httpx.AsyncClient`` made per event loop. Either way the connections of a loop are closed
    when it shuts down, so ``asyncio.run()`` may be called again and again.

    A call's deadline (``umami.set_limits``) bounds every connect, read and write of the sync
    clients made here; with a client of yours each step waits at most the time left when the
    request starts, and the deadline is checked between the chunks of the body. Async calls are
    cancelled at their deadline.
    """

    def __init__(
        self,
        client: httpx.Client | None = None,
        async_client: httpx.AsyncClient | None = None,
        *,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_in_flight: int | None = None,
        **client_options: Any,
    ) -> None:
        if max_in_flight is not None and (isinstance(max_in_flight, bool) or not isinstance(max_in_flight, int) or max_in_flight < 1):
            raise ValueError(f"max_in_flight must be a positive integer or None, got {max_in_flight!r}")
        self._options: dict[str, Any] = {"timeout": timeout, **client_options}
        self._client = client
        self._owns_client = client is None
        self._async_client = async_client
        self._max_in_flight = max_in_flight
        self._fast_options = set(self._options) <= _FAST_PATH_OPTIONS
        self._proxies: dict[str, str] | None = None
        self._lock = threading.Lock()
        self._new_async_state()
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

    def _new_async_state(self) -> None:
        self._pools = PerLoop(self._make_pool, AsyncioPool.aclose)
        self._async_clients = PerLoop(lambda: httpx.AsyncClient(**self._options), httpx.AsyncClient.aclose)
        self._gates = PerLoop(self._make_gate, _nothing_to_close)

    def _make_pool(self) -> AsyncioPool:
        timeout = httpx.Timeout(self._options["timeout"])
        limits = self._options.get("limits")
        return AsyncioPool(
            connect_timeout=timeout.connect, read_timeout=timeout.read, max_connections=min(self._max_in_flight or 10, _max_of(limits)),
            ssl_context=lambda: httpx.create_ssl_context(
                verify=self._options.get("verify", True), cert=self._options.get("cert"), trust_env=self._options.get("trust_env", True)
            ),
        )  # fmt: skip

    def _make_gate(self) -> Any:
        import anyio  # asyncio and trio alike

        return anyio.Semaphore(self._max_in_flight or 4)

    def _fast_path(self, url: str) -> bool:
        if self._async_client is not None or not self._fast_options or not isinstance(running_loop_key(), asyncio.AbstractEventLoop):
            return False
        return not self._proxied(url)

    def _proxied(self, url: str) -> bool:
        """Whether httpx would send ``url`` through a proxy from the environment (HTTPS_PROXY...)."""
        if not self._options.get("trust_env", True):
            return False
        if self._proxies is None:
            import urllib.request

            self._proxies = urllib.request.getproxies()
        if not self._proxies:
            return False
        import urllib.request

        parts = urlsplit(url)
        return bool(self._proxies.get(parts.scheme) or self._proxies.get("all")) and not urllib.request.proxy_bypass(parts.hostname or "")

    async def send_async(self, request: Request) -> Response:
        # The async driver cancels the call at its deadline: no per-step bounding needed here.
        try:
            if self._fast_path(request.url):
                return await (await self._pools.get()).send(request)
            async with await self._gates.get():
                return await self._send_with_httpx(request)
        except httpx.RequestError as exc:
            raise _transport_error(exc, request) from exc

    async def _send_with_httpx(self, request: Request) -> Response:
        client = self._async_client or await self._async_clients.get()
        native = client.build_request(request.method, request.url, headers=request.headers, content=request.body)
        answer = await client.send(native, follow_redirects=False, stream=True)
        try:
            reader = _reader(answer, request)
            async for chunk in answer.aiter_raw():
                if not reader.feed(chunk):
                    break
        finally:
            await answer.aclose()
        return _response(answer, reader)

    async def aclose(self) -> None:
        """Close the connections made for the running event loop (an AsyncClient of yours stays open).

        Not needed after ``asyncio.run()``: the connections of a loop are closed when the loop shuts down.
        """
        await self._pools.aclose()
        await self._async_clients.aclose()

    # -- errors and processes ------------------------------------------------------------------

    def deadline_error(self, message: str) -> TransportTimeoutError:
        return dual_error_class(__name__, "Httpx", httpx.TimeoutException, timeout=True)(message)  # type: ignore[return-value]

    def _after_fork(self) -> None:
        # The parent's connections are the parent's: drop them unclosed (closing could end its TLS
        # sessions) and let the child open its own.
        if self._owns_client:
            self._client = None
        self._new_async_state()


def _max_of(limits: httpx.Limits | None) -> int:
    """The most connections httpx's ``limits`` allow (httpx's own default: 100)."""
    return limits.max_connections if limits is not None and limits.max_connections else 100
