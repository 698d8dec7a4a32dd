"""The status error of a non-2xx answer, as the spec promises it: an ``httpx.HTTPStatusError``
whatever the transport, besides our ``APIError`` (and, through the adapters, their library's own).

The library objects on these exceptions (``request``, ``response``) are made afresh from what the
core kept: the request without its credentials or body, and the answer's status, headers and body.
Nothing the library used on the wire (a token, a login's password, a redirect it prepared) is
reachable from the exception.
"""

from __future__ import annotations

import httpx

from umami_core import APIError, Request, Response

__all__ = ["HttpxAPIError", "httpx_request", "httpx_response", "httpx_status_error"]


class HttpxAPIError(APIError, httpx.HTTPStatusError):
    """A non-2xx answer: catch it as ``umami.errors.APIError`` or as ``httpx.HTTPStatusError``."""

    def __init__(self, error: APIError) -> None:
        self.copy_from(error)
        self.request = httpx_request(error.umami_request, error)
        self.response = httpx_response(error.umami_response, self.request)


def httpx_status_error(error: APIError) -> APIError:
    return HttpxAPIError(error)


def httpx_request(request: Request | None, error: APIError) -> httpx.Request:
    """An httpx.Request standing for the failed one: method, URL and headers without credentials."""
    if request is None:
        return httpx.Request(error.method or "GET", error.url or "http://unknown.invalid/")
    return httpx.Request(request.method, request.url, headers=request.without_credentials().headers)


def httpx_response(response: Response | None, request: httpx.Request) -> httpx.Response:
    """An httpx.Response with the answer's status, headers and (already decompressed) body."""
    if response is None:
        return httpx.Response(0, request=request)
    # The body is decompressed already: its Content-Encoding and length no longer describe it.
    headers = [(name, value) for name, value in response.headers if name.lower() not in _STALE_HEADERS]
    return httpx.Response(response.status_code, headers=headers, content=response.body, request=request)


_STALE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})

