"""The one round trip every flow makes: send, follow redirects safely, check the status, decode.

A *flow* is a generator that yields Requests, receives Responses and returns a value; the
drivers in ``umami_transports`` run it over a transport. ``response = yield from exchange(r)``
is how a flow makes one call.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Generator
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urljoin, urlsplit

from umami_core.errors import APIError, UnexpectedResponseError
from umami_core.http import Request, Response, decode_json, origin, without_credentials

__all__ = ["Flow", "api_error", "exchange", "exchange_json", "parse_model", "read_envelope"]

if TYPE_CHECKING:
    import pydantic

T = TypeVar("T")
M = TypeVar("M", bound="pydantic.BaseModel")

#: A flow yields requests, is sent their responses, and returns a T.
Flow = Generator[Request, Response, T]

logger = logging.getLogger("umami")

MAX_REDIRECTS = 5


def exchange(request: Request) -> Flow[Response]:
    """Send ``request``, following up to five redirects; returns the final response, any status.

    Credentials (Authorization, x-umami-api-key) are dropped when a redirect leads to another
    host, port or scheme (except an upgrade from http to https), so a token never leaks to a host
    it was not meant for; a request whose body holds a password is not re-sent there at all. A
    ``Location`` that transports could read in different ways (a backslash, spaces, user info, a
    bad port, another scheme) is refused with an APIError, never followed.
    """
    original = request
    for _ in range(MAX_REDIRECTS + 1):
        logger.debug("umami request: %s %s", request.method, request.url)
        response = yield request
        logger.debug("umami response: %s for %s %s", response.status_code, request.method, request.url)
        if not response.is_redirect:
            return response
        request = _redirected(request, response)
    raise APIError(
        response.status_code, f"more than {MAX_REDIRECTS} redirects", method=original.method, url=original.url, response=response,
        request=original.without_credentials(),
    )


def _redirected(request: Request, response: Response) -> Request:
    target = _redirect_target(request, response)
    headers = request.headers
    if not _may_carry_credentials(request.url, target):
        if request.sensitive and response.status_code in (307, 308):
            # A 307/308 would re-send the body, and this body holds a password.
            raise APIError(
                response.status_code, f"refused to re-send credentials to {Request('GET', target).host}, where the server redirected",
                method=request.method, url=request.url, response=response, request=request.without_credentials(),
            )  # fmt: skip
        headers = tuple(without_credentials(headers))
    if response.status_code in (307, 308):
        return replace(request, url=target, headers=headers)
    # 301/302/303 turn into a GET without a body, as browsers and httpx do.
    headers = tuple((name, value) for name, value in headers if name.lower() != "content-type")
    return Request("GET", target, headers, timeout=request.timeout, max_body=request.max_body)


#: Characters no transport reads the same way in a Location (or that are not allowed at all).
_AMBIGUOUS = re.compile(r"[\\\s\x00-\x1f\x7f]|[^\x00-\x7f]")


def _redirect_target(request: Request, response: Response) -> str:
    """The absolute URL to follow; an APIError for a Location that is not plainly one http(s) URL."""
    location = response.header("location") or ""
    try:
        if _AMBIGUOUS.search(location):
            raise ValueError("it holds a backslash, a space, a control or a non-ASCII character")
        own = urlsplit(location)
        if own.scheme and not own.netloc:
            raise ValueError("it has a scheme but no host (browsers and libraries disagree on what it means)")
        target = urljoin(request.url, location)
        parts = urlsplit(target)
        if "@" in parts.netloc:
            raise ValueError("it holds user info")
        origin(target)  # an http(s) scheme, a host, and a port that is a number in range
    except ValueError as exc:
        raise APIError(
            response.status_code, f"refused to follow a redirect to {location[:100]!r}: {exc}",
            method=request.method, url=request.url, response=response, request=request.without_credentials(),
        ) from None  # fmt: skip
    return target


def _may_carry_credentials(source: str, target: str) -> bool:
    """Same scheme, host and port; or http upgraded to https on the default ports (as requests allows)."""
    old, new = origin(source), origin(target)
    if old == new:
        return True
    return old[1] == new[1] and (old[0], old[2], new[0], new[2]) == ("http", 80, "https", 443)


#: How much of the server's text an error message quotes.
MAX_QUOTED = 200
#: How many of the server's validation details an APIError keeps, and how deep it looks for them.
MAX_DETAILS = 20
_MAX_DEPTH = 8


def _quote(text: str) -> str:
    text = text.strip()
    return text if len(text) <= MAX_QUOTED else text[:MAX_QUOTED] + "..."


def api_error(request: Request, response: Response) -> APIError:
    """The APIError for a non-2xx response, with the server's message from its error envelope.

    The message quotes at most the first MAX_QUOTED characters of what the server said, however
    long its answer was.
    """
    body: Any = None
    message = ""
    code = None
    details: tuple[str, ...] = ()
    try:
        if response.truncated:
            raise ValueError("cut at the size limit")
        body = decode_json(response.body)
    except ValueError:
        text = response.body[: 2 * MAX_QUOTED].decode("utf-8", "replace").strip()
        if not text:
            message = "empty response body"
        elif text.lower().startswith(("<!doctype", "<html")):
            message = "an HTML page instead of JSON (is the URL base right?)"
        else:
            message = _quote(text)
        if response.truncated:
            message += f" (an answer over the {_size(len(response.body))} size limit, not read further)"
    if isinstance(body, dict):
        message, code, details = read_envelope(body, message)
    if not message:
        message = "no error message in the response"
    return APIError(
        response.status_code, message, code=code, details=details, body=body, method=request.method, url=request.url,
        response=response, request=request.without_credentials(),
    )  # fmt: skip


def read_envelope(body: dict[str, Any], default: str = "") -> tuple[str, str | None, tuple[str, ...]]:
    """(message, code, details) of Umami's error envelope ``{"error": {"message", "code", zod tree}}``,
    each quoted short; ``default`` as the message when there is no envelope."""
    envelope = body.get("error")
    if isinstance(envelope, str):
        return _quote(envelope), None, ()
    if not isinstance(envelope, dict):
        return default, None, ()
    code = envelope.get("code")
    return (
        _quote(str(envelope.get("message") or "")),
        code[:MAX_QUOTED] if isinstance(code, str) else None,
        tuple(_zod_problems(envelope)[:MAX_DETAILS]),
    )


def _size(size: int) -> str:
    """A size for messages ('10 MiB'): a truncated body is exactly as long as the limit."""
    return f"{size // 1048576} MiB" if size % 1048576 == 0 else f"{size} bytes"


def _zod_problems(tree: dict[str, Any], at: str = "", depth: int = 0) -> list[str]:
    """The server's validation details ('payload.website: Invalid UUID'), from its zod error tree."""
    problems = [_quote(f"{at}: {error}" if at else error) for error in tree.get("errors") or [] if isinstance(error, str)]
    properties = tree.get("properties")
    if isinstance(properties, dict) and depth < _MAX_DEPTH:
        for name, subtree in properties.items():
            if isinstance(subtree, dict) and len(problems) < MAX_DETAILS:
                problems += _zod_problems(subtree, f"{at}.{name}" if at else str(name), depth + 1)
    return problems


def exchange_json(request: Request, *, empty_is_none: bool = False) -> Flow[Any]:
    """One call whose 2xx answer must be JSON: returns the decoded body; raises APIError on non-2xx.

    With ``empty_is_none``, an empty 2xx answer (as some deletions give) is None instead of an error.
    """
    response = yield from exchange(request)
    if not response.is_success:
        raise api_error(request, response)
    if response.truncated:
        raise UnexpectedResponseError(
            f"Umami's answer to {request.method} {request.url} is larger than the {_size(len(response.body))} limit "
            "(raise Limits.max_body: umami.set_limits(max_body=...))"
        )
    if empty_is_none and not response.body.strip():
        return None
    try:
        return decode_json(response.body)
    except ValueError:
        raise UnexpectedResponseError(
            f"Umami answered {response.status_code} to {request.method} {request.url} with a body that is not JSON: "
            f"{response.body[:80]!r}"
        ) from None


def parse_model(model: type[M], data: Any, request: Request) -> M:
    """``model`` validated from ``data``; a body of the wrong shape raises UnexpectedResponseError."""
    import pydantic  # loaded with the models, on the first answer parsed

    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise UnexpectedResponseError(
            f"Umami's answer to {request.method} {request.url} is not a {model.__name__}: {exc.errors()[0]['msg']} "
            f"at {'.'.join(str(part) for part in exc.errors()[0]['loc']) or 'top level'}"
        ) from None
