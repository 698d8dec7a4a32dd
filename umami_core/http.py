"""Requests and responses as plain values, and the encodings the core does itself.

The core builds the exact URL, query string, headers and body bytes, so that every transport
puts the same bytes on the wire; a transport only moves them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

__all__ = [
    "CREDENTIAL_HEADERS",
    "DEFAULT_MAX_BODY",
    "Request",
    "Response",
    "build_url",
    "decode_json",
    "encode_json",
    "origin",
    "without_credentials",
]

#: The largest answer body read, in bytes after decompression, unless Limits says otherwise.
DEFAULT_MAX_BODY = 10 * 1024 * 1024

#: Header names whose values are credentials: never logged, dropped on a redirect to another host.
CREDENTIAL_HEADERS = frozenset({"authorization", "x-umami-api-key", "cookie"})


def without_credentials(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``headers`` less the credential headers: what an exception or a redirect to another host may carry."""
    return [(name, value) for name, value in headers if name.lower() not in CREDENTIAL_HEADERS]


@dataclass(frozen=True)
class Request:
    """One HTTP request, fully encoded.

    Attributes:
        method: ``"GET"`` or ``"POST"``.
        url: The absolute URL, query string included.
        headers: Header name/value pairs, in the order they go on the wire.
        body: The encoded body, or None for no body.
        sensitive: The body holds a secret (a password): never re-sent to another host.
        timeout: Seconds the whole exchange may take (connect, send, the whole answer): what is
            left of the call's deadline when the driver hands the request over; None for no limit.
        max_body: Read at most this many bytes of the answer's body (after decompression); a
            transport stops there and marks the Response ``truncated``.
    """

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    sensitive: bool = field(default=False, compare=False)
    timeout: float | None = field(default=None, compare=False)
    max_body: int = field(default=DEFAULT_MAX_BODY, compare=False)

    @classmethod
    def get(cls, url: str, headers: Mapping[str, str]) -> Request:
        return cls("GET", url, tuple(headers.items()))

    @classmethod
    def post(cls, url: str, headers: Mapping[str, str], json_body: Any = None, *, sensitive: bool = False) -> Request:
        if json_body is None:
            return cls("POST", url, tuple(headers.items()))
        headers = {**headers, "Content-Type": "application/json"}
        return cls("POST", url, tuple(headers.items()), encode_json(json_body), sensitive)

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (case-insensitive), or None."""
        lowered = name.lower()
        return next((value for key, value in self.headers if key.lower() == lowered), None)

    def without_credentials(self) -> Request:
        """This request less its credential headers and its body: what an exception may keep."""
        return Request(self.method, self.url, tuple(without_credentials(self.headers)))

    @property
    def host(self) -> str:
        """``scheme://host[:port]`` of the URL: where to open a connection (for loops of your own)."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}".lower()

    def __repr__(self) -> str:
        # Never show header values: they may hold the token or the API key.
        return f"Request({self.method} {self.url})"


@dataclass(frozen=True)
class Response:
    """One HTTP response as received.

    Attributes:
        status_code: The HTTP status code.
        headers: Header name/value pairs as received.
        body: The body bytes, already decompressed by the transport.
        truncated: The body was longer than the request's ``max_body``: ``body`` is its start.
    """

    status_code: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    truncated: bool = field(default=False, compare=False)

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (case-insensitive), or None."""
        lowered = name.lower()
        return next((value for key, value in self.headers if key.lower() == lowered), None)

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300

    @property
    def is_redirect(self) -> bool:
        return self.status_code in (301, 302, 303, 307, 308) and self.header("location") is not None


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of an absolute http(s) URL, the port made explicit; ValueError if it has none."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host:
        raise ValueError(f"not an absolute http(s) URL: {url[:100]!r}")
    return scheme, host, parts.port or _DEFAULT_PORTS[scheme]


_DEFAULT_PORTS = {"http": 80, "https": 443}


def build_url(base: str, path: str, query: Mapping[str, str | int] | None = None) -> str:
    """``base`` + ``path`` + an encoded query string (keys in the given order, None values dropped)."""
    url = base + path
    if query:
        url += "?" + urlencode([(key, str(value)) for key, value in query.items() if value is not None])
    return url


# One encoder for every call: json.dumps() with options builds a new encoder each time.
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def encode_json(value: Any) -> bytes:
    """Compact UTF-8 JSON, rejecting NaN and infinities (the server's JSON parser refuses them)."""
    return _ENCODER.encode(value).encode()


def decode_json(body: bytes) -> Any:
    """Decode a JSON body; raises ValueError when it is not JSON (or nested too deeply to decode)."""
    try:
        return json.loads(body.decode("utf-8"))
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
