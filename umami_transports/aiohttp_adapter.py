"""The aiohttp adapter: async only, one pooled ``aiohttp.ClientSession`` per event loop (keep-alive).

Errors are also aiohttp's own: a non-2xx answer raises an exception that is both
``umami_core.APIError`` and ``aiohttp.ClientResponseError``; a network failure one that is both
``umami_core.TransportError`` (``TransportTimeoutError`` for timeouts) and the aiohttp or asyncio
exception it came from.

On the wire: the core's headers in httpx's framing (see ``framing``), so the same call gives the
same bytes through the httpx and the aiohttp adapter.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import httpx
import yarl
from aiohttp import hdrs
from multidict import CIMultiDict, CIMultiDictProxy

from umami_core import APIError, Request, Response, TransportError, TransportTimeoutError
from umami_core.body import BodyReader
from umami_core.http import without_credentials
from umami_transports.base import Transport, dual_error_class, track_connections
from umami_transports.framing import wire_headers
from umami_transports.per_loop import PerLoop
from umami_transports.status_errors import httpx_request, httpx_response

__all__ = ["DEFAULT_TIMEOUT", "AiohttpAPIError", "AiohttpTransport"]

#: Connect within 5 s, and no wait for the next bytes longer than 10 s; the call's deadline
#: (umami.set_limits) bounds the whole exchange, the wait for a free connection included
#: (aiohttp's ``connect`` timeout would count that wait too, and fail long queues of calls).
DEFAULT_TIMEOUT = aiohttp.ClientTimeout(total=None, sock_connect=5.0, sock_read=10.0)

_POST_METHODS = frozenset({"POST", "PUT", "PATCH"})
_SKIP_CONTENT_TYPE = (hdrs.CONTENT_TYPE,)


def _without_credentials(info: aiohttp.RequestInfo) -> aiohttp.RequestInfo:
    headers = CIMultiDictProxy(CIMultiDict(without_credentials(info.headers.items())))
    return aiohttp.RequestInfo(info.url, info.method, headers, info.real_url)


def _request_info(error: APIError) -> aiohttp.RequestInfo:
    """aiohttp's RequestInfo standing for the failed request, without its credentials."""
    failed = error.umami_request
    url = yarl.URL(failed.url if failed is not None else error.url, encoded=True)
    headers = CIMultiDictProxy(CIMultiDict(without_credentials(failed.headers) if failed is not None else ()))
    return aiohttp.RequestInfo(url, failed.method if failed is not None else error.method, headers, url)


class AiohttpAPIError(APIError, aiohttp.ClientResponseError, httpx.HTTPStatusError):
    """A non-2xx answer: catch it as ``umami.errors.APIError``, ``aiohttp.ClientResponseError`` or
    ``httpx.HTTPStatusError``.

    ``status``, ``headers`` and ``request_info`` (without the token) are aiohttp's; ``request``
    and ``response`` are httpx's; ``message`` and ``code`` are the server's (from its error
    envelope), as on every APIError.
    """

    code = None  # type: ignore[assignment]  # APIError's code (a str), not aiohttp's deprecated alias of status

    def __init__(self, error: APIError) -> None:
        self.copy_from(error)
        self.request_info = _request_info(error)
        self.history = ()
        self.status = error.status_code
        answer = error.umami_response
        self.headers = CIMultiDictProxy(CIMultiDict(answer.headers if answer is not None else ()))
        self.request = httpx_request(error.umami_request, error)
        self.response = httpx_response(answer, self.request)

    def _picklable_state(self) -> dict[str, Any]:
        # multidict's read-only proxies do not pickle: keep plain copies.
        state = dict(self.__dict__)
        info = self.request_info
        state["request_info"] = aiohttp.RequestInfo(info.url, info.method, CIMultiDict(info.headers), info.real_url)  # type: ignore[arg-type]
        state["headers"] = CIMultiDict(self.headers)
        return state


def _transport_error(exc: aiohttp.ClientError | asyncio.TimeoutError, request: Request) -> TransportError:
    timeout = isinstance(exc, asyncio.TimeoutError)
    what = "did not answer in time" if timeout else "could not be reached"
    message = f"Umami {what} ({request.method} {request.url}): {type(exc).__name__}: {str(exc) or ('timed out' if timeout else 'failed')}"
    if isinstance(exc, aiohttp.ClientResponseError):  # the original stays reachable as __cause__: clean it too
        exc.request_info = _without_credentials(exc.request_info)
        exc.args = (exc.request_info, *exc.args[1:])
    # aiohttp's exception classes take different constructor arguments: copy the attributes instead.
    error_class = dual_error_class(__name__, "Aiohttp", type(exc), timeout=timeout)
    error = error_class.__new__(error_class)
    error.__dict__.update(vars(exc))
    Exception.__init__(error, message)
    return error


def _require_asyncio() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        raise RuntimeError(
            "AiohttpTransport needs an asyncio event loop, and none is running here (trio?): use "
            "umami_transports.HttpxTransport (the default), which also runs under trio."
        ) from None


class AiohttpTransport(Transport):
    """Sends over aiohttp (async only, asyncio only), reusing connections (keep-alive).

    Args:
        session: Your own configured ``aiohttp.ClientSession``. A session is bound to the event
            loop it was made in, so only pass one if all calls run in that loop. You own it:
            :meth:`aclose` leaves it open. By default one is made per event loop, so
            ``asyncio.run()`` may be called again and again; each is closed when its loop shuts down.
        timeout: Timeout of the sessions made here (not of yours).
    """

    def __init__(self, session: aiohttp.ClientSession | None = None, *, timeout: aiohttp.ClientTimeout = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout
        self._session = session
        self._sessions = self._new_sessions()
        track_connections(self)

    def _new_sessions(self) -> PerLoop[aiohttp.ClientSession]:
        return PerLoop(lambda: aiohttp.ClientSession(timeout=self.timeout), aiohttp.ClientSession.close)

    async def send_async(self, request: Request) -> Response:
        _require_asyncio()
        session = self._session or await self._sessions.get()
        headers = wire_headers(request)
        # A bodiless POST would get an invented Content-Type: application/octet-stream. (Skipping only
        # then keeps aiohttp on its fast path.)
        skip = _SKIP_CONTENT_TYPE if request.body is None and request.method in _POST_METHODS else None
        try:
            # encoded=True: the URL exactly as the core encoded it (yarl would otherwise re-quote it, e.g. %2F to /).
            # auto_decompress=False: the core's BodyReader decompresses, within the body limit.
            async with session.request(
                request.method, yarl.URL(request.url, encoded=True), headers=headers, data=request.body, allow_redirects=False,
                skip_auto_headers=skip, auto_decompress=False,
            ) as native:  # fmt: skip
                reader = BodyReader(native.headers.get(hdrs.CONTENT_ENCODING), request.max_body)
                if reader.plain and native.content_length is not None and native.content_length <= request.max_body:
                    reader.feed(await native.read())  # the usual answer: small, not compressed, its length known
                else:
                    async for chunk in native.content.iter_any():
                        if not reader.feed(chunk):
                            native.close()  # the rest is not read: the connection cannot be reused
                            break
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise _transport_error(exc, request) from exc
        return Response(native.status, tuple(native.headers.items()), reader.body, reader.truncated)

    async def aclose(self) -> None:
        """Close the session made for the running event loop (yours stays open).

        Not needed after ``asyncio.run()``: the session of a loop is closed when the loop shuts down.
        """
        await self._sessions.aclose()

    def api_error(self, error: APIError) -> APIError:
        return AiohttpAPIError(error)

    def deadline_error(self, message: str) -> TransportTimeoutError:
        return dual_error_class(__name__, "Aiohttp", aiohttp.ServerTimeoutError, timeout=True)(message)  # type: ignore[return-value]

    def _after_fork(self) -> None:
        self._sessions = self._new_sessions()
