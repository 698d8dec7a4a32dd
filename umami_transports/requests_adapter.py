"""The requests adapter: sync only, over one pooled ``requests.Session`` (keep-alive).

Errors are also requests' own: a non-2xx answer raises an exception that is both
``umami_core.APIError`` and ``requests.HTTPError``; a network failure one that is both
``umami_core.TransportError`` (``TransportTimeoutError`` for ``requests.Timeout``) and the
requests exception it came from.

On the wire: the core's headers win over the session's, in the core's order after the session's
own (Accept-Encoding, Connection...), as httpx sends them; so the same call gives the same bytes
through the httpx and the requests adapter.
"""

from __future__ import annotations

import threading
from typing import Union

import httpx
import requests
import urllib3.exceptions
from requests.structures import CaseInsensitiveDict

from umami_core import APIError, Request, Response, TransportError, TransportTimeoutError
from umami_core.body import BodyReader
from umami_core.http import without_credentials
from umami_transports.base import Transport, dual_error_class, track_connections
from umami_transports.deadline import deadline_after, time_left
from umami_transports.requests_deadline import DeadlineAdapter

__all__ = ["DEFAULT_TIMEOUT", "RequestsAPIError", "RequestsTransport"]

#: (connect, read) in seconds: connect within 5 s, and no wait for the next bytes longer than 10 s.
DEFAULT_TIMEOUT = (5.0, 10.0)

TimeoutTypes = Union[float, tuple[float, float], tuple[float, None], None]

_CHUNK = 65536
_STALE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class RequestsAPIError(APIError, requests.HTTPError, httpx.HTTPStatusError):  # type: ignore[misc]  # both libraries type request/response their way
    """A non-2xx answer: catch it as ``umami.errors.APIError``, ``requests.HTTPError`` or ``httpx.HTTPStatusError``.

    ``request`` and ``response`` are requests' objects, made afresh from what the core kept (no
    credentials, no body of the request; the answer's status, headers and decompressed body).
    """

    def __init__(self, error: APIError) -> None:
        self.copy_from(error)
        self.request = _clean_prepared(error)
        self.response = _requests_response(error, self.request)


def _clean_prepared(error: APIError) -> requests.PreparedRequest:
    """A PreparedRequest standing for the failed one: method, URL and headers without credentials."""
    clean = requests.PreparedRequest()
    failed = error.umami_request
    clean.method, clean.url = (failed.method, failed.url) if failed is not None else (error.method, error.url)
    clean.headers = CaseInsensitiveDict(without_credentials(failed.headers) if failed is not None else ())
    return clean


def _requests_response(error: APIError, request: requests.PreparedRequest) -> requests.Response:
    answer = error.umami_response
    response = requests.Response()
    response.status_code = answer.status_code if answer is not None else error.status_code
    response.headers = CaseInsensitiveDict(
        [(name, value) for name, value in (answer.headers if answer is not None else ()) if name.lower() not in _STALE_HEADERS]
    )
    response._content = answer.body if answer is not None else b""
    response.url, response.request = request.url or "", request
    return response


def _without_credentials(sent: requests.PreparedRequest) -> requests.PreparedRequest:
    """Method, URL and headers of ``sent`` less the credentials (and no body: a login's holds the password)."""
    clean = requests.PreparedRequest()
    clean.method, clean.url = sent.method, sent.url
    clean.headers = CaseInsensitiveDict(without_credentials(sent.headers.items()))
    return clean


def _is_timeout(exc: BaseException) -> bool:
    """requests reports some read timeouts as ConnectionError: look at what it wraps too."""
    seen: BaseException | None = exc
    for _ in range(6):
        if seen is None:
            return False
        if isinstance(seen, urllib3.exceptions.NewConnectionError):  # a ConnectTimeoutError only by ancestry
            return False
        if isinstance(seen, (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError)):
            return True
        wrapped = seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None
        seen = getattr(seen, "reason", None) or wrapped or seen.__context__
    return False


def _transport_error(exc: requests.RequestException, request: Request) -> TransportError:
    timeout = _is_timeout(exc)
    what = "did not answer in time" if timeout else "could not be reached"
    message = f"Umami {what} ({request.method} {request.url}): {type(exc).__name__}: {str(exc) or ('timed out' if timeout else 'failed')}"
    if isinstance(exc.request, requests.PreparedRequest):  # the original stays reachable as __cause__: clean it too
        exc.request = _without_credentials(exc.request)
    native_class = type(exc) if isinstance(exc, requests.Timeout) or not timeout else requests.ReadTimeout
    error_class = dual_error_class(__name__, "Requests", native_class, timeout=timeout)
    return error_class(message, request=exc.request, response=exc.response)  # type: ignore[call-arg]


def _read_error(exc: urllib3.exceptions.HTTPError, prepared: requests.PreparedRequest) -> requests.RequestException:
    """What requests raises for urllib3's failure while reading a body (its read timeout as a timeout)."""
    if isinstance(exc, urllib3.exceptions.ReadTimeoutError):
        return requests.ReadTimeout(exc, request=prepared)
    if isinstance(exc, urllib3.exceptions.SSLError):
        return requests.exceptions.SSLError(exc, request=prepared)
    return requests.exceptions.ChunkedEncodingError(exc, request=prepared)


def _past_deadline(prepared: requests.PreparedRequest) -> None:
    left = time_left()
    if left is not None and left <= 0:
        raise requests.ReadTimeout("the call's deadline passed while reading the answer", request=prepared)


def _prepare(session: requests.Session, request: Request) -> requests.PreparedRequest:
    """The request as requests sends it: the session's settings, then the core's headers in the core's order."""
    prepared = session.prepare_request(requests.Request(request.method, request.url, dict(request.headers), data=request.body))
    merged = prepared.headers
    length = merged.pop("Content-Length", None)
    ours = {name.lower() for name, _ in request.headers}
    # httpx's order: a Content-Length: 0 of a bodiless POST first, the library's headers, the core's, the body's length.
    ordered: CaseInsensitiveDict[str] = CaseInsensitiveDict({"Content-Length": length} if length == "0" else {})
    ordered.update((name, value) for name, value in merged.items() if name.lower() not in ours)
    ordered.update(request.headers)  # the core's values even where the session's auth or cookies set the same header
    if length is not None:
        ordered["Content-Length"] = length
    prepared.headers = ordered
    return prepared


class RequestsTransport(Transport):
    """Sends over requests (sync only), reusing connections (keep-alive).

    Args:
        session: Your own configured ``requests.Session`` (proxies, certificates, adapters...).
            You own it: :meth:`close` leaves it open. By default one is made on first use, and
            made again in a child process after ``fork()``.
        timeout: Per request, seconds or a ``(connect, read)`` pair; requests has no timeout of its
            own, so this applies to your session too. None waits forever (but for the deadline).

    A call's deadline (``umami.set_limits``) bounds every read of the session made here; with a
    session of yours each step waits at most the time left when the request starts, and the
    deadline is checked between the chunks of the body.
    """

    def __init__(self, session: requests.Session | None = None, *, timeout: TimeoutTypes = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout
        self._session = session
        self._owns_session = session is None
        self._lock = threading.Lock()
        track_connections(self)

    def _current_session(self) -> requests.Session:
        session = self._session
        if session is None:
            with self._lock:
                if self._session is None:
                    self._session = requests.Session()
                    for prefix in ("http://", "https://"):
                        self._session.mount(prefix, DeadlineAdapter())
                session = self._session
        return session

    def _timeout_for(self, request: Request) -> TimeoutTypes:
        """The (connect, read) timeout, neither longer than what is left of the call's deadline."""
        left = request.timeout
        if left is None:
            return self.timeout
        connect, read = self.timeout if isinstance(self.timeout, tuple) else (self.timeout, self.timeout)
        return (left if connect is None else min(connect, left), left if read is None else min(read, left))

    def send(self, request: Request) -> Response:
        session = self._current_session()
        try:
            with deadline_after(request.timeout):
                prepared = _prepare(session, request)
                # What Session.request() adds: proxies and certificates from the environment (trust_env).
                settings = session.merge_environment_settings(prepared.url, {}, True, None, None)
                native = session.send(prepared, allow_redirects=False, timeout=self._timeout_for(request), **settings)
                try:
                    reader = BodyReader(native.headers.get("content-encoding"), request.max_body)
                    for chunk in native.raw.stream(_CHUNK, decode_content=False):
                        if not reader.feed(chunk):
                            break
                        _past_deadline(prepared)
                except urllib3.exceptions.HTTPError as exc:
                    raise _read_error(exc, prepared) from exc
                finally:
                    native.close()
        except requests.RequestException as exc:
            raise _transport_error(exc, request) from exc
        return Response(native.status_code, tuple(native.headers.items()), reader.body, reader.truncated)

    def close(self) -> None:
        if self._owns_session and self._session is not None:
            self._session.close()
            self._session = None

    def api_error(self, error: APIError) -> APIError:
        return RequestsAPIError(error)

    def deadline_error(self, message: str) -> TransportTimeoutError:
        return dual_error_class(__name__, "Requests", requests.Timeout, timeout=True)(message)  # type: ignore[return-value]

    def _after_fork(self) -> None:
        # The parent's connections are the parent's: the child opens its own (closing them could end
        # the parent's TLS sessions).
        if self._owns_session:
            self._session = None
