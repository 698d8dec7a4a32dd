"""The aiohttp adapter: async only, one pooled ``aiohttp.ClientSession`` per event loop (keep-alive).

Errors are also aiohttp's own: a non-2xx answer raises an exception that is both
``umami_core.APIError`` and ``aiohttp.ClientResponseError``; a network failure one that is both
``umami_core.TransportError`` (``TransportTimeoutError`` for timeouts) and the aiohttp or asyncio
exception it came from.

On the wire: the core's headers in the core's order, after Accept-Encoding and Connection, as
httpx sends them; so the same call gives the same bytes through the httpx and the aiohttp adapter.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiohttp
import yarl
from aiohttp import hdrs
from multidict import CIMultiDict, CIMultiDictProxy

from umami_core import APIError, Request, Response, TransportError
from umami_core.http import without_credentials
from umami_transports.base import Transport, dual_error_class
from umami_transports.per_loop import PerLoop

__all__ = ["DEFAULT_TIMEOUT", "AiohttpAPIError", "AiohttpTransport"]

#: Connect within 5 s, and no wait for the next bytes longer than 10 s; no cap on the whole exchange.
DEFAULT_TIMEOUT = aiohttp.ClientTimeout(total=None, connect=5.0, sock_read=10.0)

#: What aiohttp itself can decompress (gzip, deflate, and br / zstd when their packages are installed).
_ACCEPT_ENCODING = aiohttp.ClientRequest.DEFAULT_HEADERS[hdrs.ACCEPT_ENCODING]
_POST_METHODS = frozenset({"POST", "PUT", "PATCH"})
_SKIP_CONTENT_TYPE = (hdrs.CONTENT_TYPE,)


@dataclass
class _Answer:
    """What is kept of aiohttp's response (as ``Response.native``) for AiohttpAPIError."""

    status: int
    headers: CIMultiDictProxy[str]
    request_info: aiohttp.RequestInfo


def _without_credentials(info: aiohttp.RequestInfo) -> aiohttp.RequestInfo:
    headers = CIMultiDictProxy(CIMultiDict(without_credentials(info.headers.items())))
    return aiohttp.RequestInfo(info.url, info.method, headers, info.real_url)


class AiohttpAPIError(APIError, aiohttp.ClientResponseError):
    """A non-2xx answer: catch it as ``umami.errors.APIError`` or as ``aiohttp.ClientResponseError``.

    ``status``, ``headers`` and ``request_info`` (without the token) are aiohttp's; ``message``
    and ``code`` are the server's (from its error envelope), as on every APIError.
    """

    code = None  # type: ignore[assignment]  # APIError's code (a str), not aiohttp's deprecated alias of status

    def __init__(self, error: APIError, answer: _Answer) -> None:
        self.copy_from(error)
        # The request as sent carries the token: the exception and the answer keep a copy without it.
        answer.request_info = _without_credentials(answer.request_info)
        self.request_info = answer.request_info
        self.history = ()
        self.status = answer.status
        self.headers = answer.headers


def _transport_error(exc: aiohttp.ClientError | asyncio.TimeoutError, request: Request) -> TransportError:
    what = "did not answer in time" if isinstance(exc, asyncio.TimeoutError) else "could not be reached"
    message = f"Umami {what} ({request.method} {request.url}): {type(exc).__name__}: {exc}"
    if isinstance(exc, aiohttp.ClientResponseError):  # the original stays reachable as __cause__: clean it too
        exc.request_info = _without_credentials(exc.request_info)
        exc.args = (exc.request_info, *exc.args[1:])
    # aiohttp's exception classes take different constructor arguments: copy the attributes instead.
    error_class = dual_error_class(__name__, "Aiohttp", type(exc), timeout=isinstance(exc, asyncio.TimeoutError))
    error = error_class.__new__(error_class)
    error.__dict__.update(vars(exc))
    Exception.__init__(error, message)
    return error


def _wire_headers(session: aiohttp.ClientSession, request: Request) -> list[tuple[str, str]]:
    """The core's headers in httpx's framing: a bodiless POST's Content-Length: 0 first, then the
    library's headers, the core's, and the body's length."""
    ours = {name.lower() for name, _ in request.headers}
    bodiless_post = request.body is None and request.method in _POST_METHODS
    headers: list[tuple[str, str]] = [(hdrs.CONTENT_LENGTH, "0")] if bodiless_post else []
    if session.auto_decompress and "accept-encoding" not in ours:
        headers.append((hdrs.ACCEPT_ENCODING, _ACCEPT_ENCODING))
    if "connection" not in ours:
        headers.append((hdrs.CONNECTION, "keep-alive"))
    headers.extend(request.headers)
    if request.body is not None:
        headers.append((hdrs.CONTENT_LENGTH, str(len(request.body))))
    return headers


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
        self._sessions = PerLoop(lambda: aiohttp.ClientSession(timeout=self.timeout), aiohttp.ClientSession.close)

    async def send_async(self, request: Request) -> Response:
        session = self._session or await self._sessions.get()
        headers = _wire_headers(session, request)
        # A bodiless POST would get an invented Content-Type: application/octet-stream. (Skipping only
        # then keeps aiohttp on its fast path.)
        skip = _SKIP_CONTENT_TYPE if request.body is None and request.method in _POST_METHODS else None
        try:
            # encoded=True: the URL exactly as the core encoded it (yarl would otherwise re-quote it, e.g. %2F to /).
            async with session.request(
                request.method, yarl.URL(request.url, encoded=True), headers=headers, data=request.body, allow_redirects=False,
                skip_auto_headers=skip,
            ) as native:  # fmt: skip
                body = await native.read()
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise _transport_error(exc, request) from exc
        answer = _Answer(native.status, native.headers, native.request_info)
        return Response(native.status, tuple(native.headers.items()), body, answer)

    async def aclose(self) -> None:
        """Close the session made for the running event loop (yours stays open).

        Not needed after ``asyncio.run()``: the session of a loop is closed when the loop shuts down.
        """
        await self._sessions.aclose()

    def api_error(self, error: APIError) -> APIError:
        native = error.umami_response.native if error.umami_response is not None else None
        if isinstance(native, _Answer):
            return AiohttpAPIError(error, native)
        return error
