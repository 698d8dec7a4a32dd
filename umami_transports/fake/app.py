"""The HTTP semantics of the fake: one pure function from a ``umami_core.Request`` to a ``Response``.

Routing, authentication, the error envelopes and the framework's behaviour (405 with an empty body
for a wrong method, an HTML 404 page for an unknown path, a bare 500 where the server has no error
handling) live here; the routes themselves are in ``routes_admin``, ``collect`` and ``routes_data``.

Umami Cloud: ``/v1[/us|/eu]/<path>`` is ``/api/<path>`` authenticated with ``x-umami-api-key``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from umami_core import Request, Response
from umami_transports.fake import ids
from umami_transports.fake.context import Context
from umami_transports.fake.store import User
from umami_transports.fake.validation import MISSING

__all__ = ["Abort", "Call", "Reply", "api_path", "handle", "json_reply", "parse_json", "route_table"]

logger = logging.getLogger("umami_transports.fake")

CORS = (
    ("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Headers", "*"),
    ("Access-Control-Allow-Methods", "GET, DELETE, POST, PUT"), ("Access-Control-Max-Age", "86400"), ("Cache-Control", "no-cache"),
)  # fmt: skip

NOT_FOUND_PAGE = (
    b'<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/><title>404: This page could not be found.</title></head>'
    b"<body><h1>404</h1><h2>This page could not be found.</h2><p>(fake Umami)</p></body></html>"
)


@dataclass(frozen=True)
class Call:
    """One request as the routes see it: path under ``/api``, query (last value wins), lower-cased headers."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    client_ip: str | None
    cloud: bool = False
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any = MISSING
    raw: bytes = b""
    content_type: str | None = "application/json"
    headers: tuple[tuple[str, str], ...] = ()


class Abort(Exception):
    """Raised by a route to answer at once with ``reply``."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.status)
        self.reply = reply


def json_reply(body: Any, status: int = 200) -> Reply:
    return Reply(status, body)


def bare(status: int) -> Reply:
    """The framework's answer without a body: 405, or an unhandled error's 500."""
    return Reply(status, content_type=None)


UNAUTHORIZED = Reply(401, {"error": {"message": "Unauthorized", "code": "unauthorized", "status": 401}})


def parse_json(body: bytes) -> Any:
    """``request.json()``: the decoded body, or MISSING when it is empty or not JSON."""
    try:
        return json.loads(body.decode("utf-8")) if body.strip() else MISSING
    except (UnicodeDecodeError, ValueError):
        return MISSING


def authenticate(ctx: Context, call: Call) -> User:
    """The caller (a Bearer login token, or under ``/v1`` an API key), else Abort with 401."""
    store = ctx.store
    if call.cloud:
        key = call.headers.get("x-umami-api-key") or _bearer(call)
        api_key = store.api_keys.get(key or "")
        user = store.users.get(api_key.user_id) if api_key else None
    else:
        payload = ids.unsign_token(_bearer(call) or "", ctx.token_key)
        # A partial token (a login waiting for its second factor) opens nothing but /api/2fa/verify.
        user = store.users.get(str(payload.get("userId"))) if payload and not payload.get("partial") else None
    if user is None:
        raise Abort(UNAUTHORIZED)
    return user


def _bearer(call: Call) -> str | None:
    parts = call.headers.get("authorization", "").split(" ")
    return parts[1] if len(parts) > 1 and parts[1] else None


Route = Callable[[Context, Call], Reply]
_routes: list[tuple[re.Pattern[str], dict[str, Route]]] = []
_templates: list[tuple[str, str]] = []


def route(pattern: str, method: str) -> Callable[[Route], Route]:
    """Register a route; ``{name}`` in ``pattern`` matches one path segment, found in ``call.params``."""
    regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$")
    _templates.append((method, pattern))

    def register(function: Route) -> Route:
        for known, methods in _routes:
            if known.pattern == regex.pattern:
                methods[method] = function
                return function
        _routes.append((regex, {method: function}))
        return function

    return register


def route_table() -> list[tuple[str, str]]:
    """Every (method, path template) the fake serves, in registration order."""
    return list(_templates)


def dispatch(ctx: Context, call: Call) -> Reply:
    if call.path != "/" and call.path.endswith("/"):
        return Reply(308, raw=call.path.rstrip("/").encode(), content_type="text/plain", headers=(("Location", call.path.rstrip("/")),))
    # As Next.js does, a static segment wins over a dynamic one (event-data/events over event-data/{eventId}).
    matches = [(found, methods) for regex, methods in _routes if (found := regex.match(call.path))]
    if matches:
        found, methods = min(matches, key=lambda item: len(item[0].groupdict()))
        method = "GET" if call.method == "HEAD" else call.method
        if method == "OPTIONS":
            return Reply(204, content_type=None, headers=(("Allow", ", ".join(sorted({*methods, "OPTIONS"}))),))
        function = methods.get(method)
        if function is None:
            return bare(405)
        params = {name: unquote(value) for name, value in found.groupdict().items()}
        try:
            return function(ctx, replace(call, params=params))
        except Abort as abort:
            return abort.reply
        except Exception:
            logger.exception("fake Umami: %s %s failed", call.method, call.path)
            return bare(500)
    return Reply(404, raw=NOT_FOUND_PAGE, content_type="text/html; charset=utf-8")


def api_path(path: str) -> tuple[str, bool]:
    """The path the routes see (a Cloud ``/v1[/us|/eu]/<path>`` is ``/api/<path>``), and whether it was a Cloud one."""
    cloud_path = re.match(r"^/v1(?:/(?:us|eu))?(/.*)?$", path)
    return ("/api" + (cloud_path.group(1) or ""), True) if cloud_path else (path, False)


def to_call(request: Request, client_ip: str | None) -> Call:
    parts = urlsplit(request.url)
    path, cloud = api_path(parts.path or "/")
    headers: dict[str, str] = {}
    for name, value in request.headers:
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return Call(
        request.method.upper(), path, dict(parse_qsl(parts.query, keep_blank_values=True)), headers, request.body or b"", client_ip, cloud
    )


def handle(ctx: Context, request: Request, client_ip: str | None = "127.0.0.1") -> Response:
    """Answer ``request`` as Umami would; ``client_ip`` is the connecting address (Next.js adds it as X-Forwarded-For)."""
    call = to_call(request, client_ip)
    if call.cloud and call.path in ("/api/send", "/api/batch"):
        reply = bare(405)  # the Cloud API host does not ingest: sends go to /api/send on the send host
    elif call.path.startswith("/api/") or call.path == "/api":
        reply = dispatch(ctx, call)
    else:
        reply = dispatch(ctx, call) if call.path == "/" else Reply(404, raw=NOT_FOUND_PAGE, content_type="text/html; charset=utf-8")
    return to_response(reply)


def to_response(reply: Reply) -> Response:
    """The Response; for HEAD too the body is the GET's (the HTTP front end sends only its length)."""
    body = reply.raw
    if reply.body is not MISSING:
        body = json.dumps(reply.body, separators=(",", ":"), ensure_ascii=False).encode()
    headers = list(CORS) + list(reply.headers)
    if reply.content_type:
        headers.append(("Content-Type", reply.content_type))
    return Response(reply.status, tuple(headers), body)
