"""The framing headers every adapter puts around the core's headers, in httpx's order, so the same
call gives the same bytes on the wire whatever the adapter.

httpx sends: Host; a bodiless POST's ``Content-Length: 0``; ``Connection: keep-alive``; the
core's headers in the core's order; the body's ``Content-Length``. The libraries add Host (and
their own Content-Length) themselves; an adapter writing bytes itself adds them from here too.
"""

from __future__ import annotations

from urllib.parse import SplitResult

from umami_core import Request

__all__ = ["host_header", "wire_headers"]

_POST_METHODS = frozenset({"POST", "PUT", "PATCH"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def wire_headers(request: Request) -> list[tuple[str, str]]:
    """The request's headers in httpx's framing, without Host."""
    ours = {name.lower() for name, _ in request.headers}
    headers: list[tuple[str, str]] = [("Content-Length", "0")] if request.body is None and request.method in _POST_METHODS else []
    if "connection" not in ours:
        headers.append(("Connection", "keep-alive"))
    headers.extend(request.headers)
    if request.body is not None:
        headers.append(("Content-Length", str(len(request.body))))
    return headers


def host_header(parts: SplitResult) -> str:
    """The Host header of a URL (split): its host, and its port unless it is the scheme's default."""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address
    port = parts.port
    return host if port is None or port == _DEFAULT_PORTS.get(parts.scheme) else f"{host}:{port}"
