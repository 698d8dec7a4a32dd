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

import requests
from requests.structures import CaseInsensitiveDict

from umami_core import APIError, Request, Response, TransportError
from umami_core.http import without_credentials
from umami_transports.base import Transport, dual_error_class

__all__ = ["DEFAULT_TIMEOUT", "RequestsAPIError", "RequestsTransport"]

#: (connect, read) in seconds: connect within 5 s, and no wait for the next bytes longer than 10 s.
DEFAULT_TIMEOUT = (5.0, 10.0)

TimeoutTypes = Union[float, tuple[float, float], tuple[float, None], None]


class RequestsAPIError(APIError, requests.HTTPError):
    """A non-2xx answer: catch it as ``umami.errors.APIError`` or as ``requests.HTTPError``."""

    def __init__(self, error: APIError, response: requests.Response) -> None:
        self.copy_from(error)
        # The request as sent carries the token: the exception and its response keep a copy without it.
        response.request = _without_credentials(response.request)
        self.request = response.request
        self.response = response


def _without_credentials(sent: requests.PreparedRequest) -> requests.PreparedRequest:
    """Method, URL and headers of ``sent`` less the credentials (and no body: a login's holds the password)."""
    clean = requests.PreparedRequest()
    clean.method, clean.url = sent.method, sent.url
    clean.headers = CaseInsensitiveDict(without_credentials(sent.headers.items()))
    return clean


def _transport_error(exc: requests.RequestException, request: Request) -> TransportError:
    what = "did not answer in time" if isinstance(exc, requests.Timeout) else "could not be reached"
    message = f"Umami {what} ({request.method} {request.url}): {type(exc).__name__}: {exc}"
    if isinstance(exc.request, requests.PreparedRequest):  # the original stays reachable as __cause__: clean it too
        exc.request = _without_credentials(exc.request)
    error_class = dual_error_class(__name__, "Requests", type(exc), timeout=isinstance(exc, requests.Timeout))
    return error_class(message, request=exc.request, response=exc.response)  # type: ignore[call-arg]


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
            You own it: :meth:`close` leaves it open. By default one is made on first use.
        timeout: Per request, seconds or a ``(connect, read)`` pair; requests has no timeout of its
            own, so this applies to your session too. None waits forever.
    """

    def __init__(self, session: requests.Session | None = None, *, timeout: TimeoutTypes = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout
        self._session = session
        self._owns_session = session is None
        self._lock = threading.Lock()

    def _current_session(self) -> requests.Session:
        session = self._session
        if session is None:
            with self._lock:
                if self._session is None:
                    self._session = requests.Session()
                session = self._session
        return session

    def send(self, request: Request) -> Response:
        session = self._current_session()
        try:
            prepared = _prepare(session, request)
            # What Session.request() adds: proxies and certificates from the environment (trust_env).
            settings = session.merge_environment_settings(prepared.url, {}, None, None, None)
            native = session.send(prepared, allow_redirects=False, timeout=self.timeout, **settings)
        except requests.RequestException as exc:
            raise _transport_error(exc, request) from exc
        return Response(native.status_code, tuple(native.headers.items()), native.content, native)

    def close(self) -> None:
        if self._owns_session and self._session is not None:
            self._session.close()
            self._session = None

    def api_error(self, error: APIError) -> APIError:
        native = error.umami_response.native if error.umami_response is not None else None
        if isinstance(native, requests.Response):
            return RequestsAPIError(error, native)
        return error
