"""The one round trip every flow makes: send, follow redirects safely, check the status, decode.

A *flow* is a generator that yields Requests, receives Responses and returns a value; the
drivers in ``umami_transports`` run it over a transport. ``response = yield from exchange(r)``
is how a flow makes one call.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import pydantic

from umami_core.errors import APIError, UnexpectedResponseError
from umami_core.http import Request, Response, decode_json, without_credentials

__all__ = ["Flow", "api_error", "exchange", "exchange_json", "parse_model"]

T = TypeVar("T")
M = TypeVar("M", bound=pydantic.BaseModel)

#: A flow yields requests, is sent their responses, and returns a T.
Flow = Generator[Request, Response, T]

logger = logging.getLogger("umami")

MAX_REDIRECTS = 5


def exchange(request: Request) -> Flow[Response]:
    """Send ``request``, following up to five redirects; returns the final response, any status.

    Credentials (Authorization, x-umami-api-key) are dropped when a redirect leads to another
    host, port or scheme (except an upgrade from http to https), so a token never leaks to a host
    it was not meant for; a request whose body holds a password is not re-sent there at all.
    """
    for _ in range(MAX_REDIRECTS + 1):
        logger.debug("umami request: %s %s", request.method, request.url)
        response = yield request
        logger.debug("umami response: %s for %s %s", response.status_code, request.method, request.url)
        if not response.is_redirect:
            return response
        request = _redirected(request, response)
    raise APIError(response.status_code, f"more than {MAX_REDIRECTS} redirects", method=request.method, url=request.url, response=response)


def _redirected(request: Request, response: Response) -> Request:
    target = urljoin(request.url, response.header("location") or "")
    headers = request.headers
    if not _may_carry_credentials(request.url, target):
        if request.sensitive and response.status_code in (307, 308):
            # A 307/308 would re-send the body, and this body holds a password.
            raise APIError(
                response.status_code, f"refused to re-send credentials to {Request('GET', target).host}, where the server redirected",
                method=request.method, url=request.url, response=response,
            )  # fmt: skip
        headers = tuple(without_credentials(headers))
    if response.status_code in (307, 308):
        return Request(request.method, target, headers, request.body, request.sensitive)
    # 301/302/303 turn into a GET without a body, as browsers and httpx do.
    headers = tuple((name, value) for name, value in headers if name.lower() != "content-type")
    return Request("GET", target, headers)


def _may_carry_credentials(source: str, target: str) -> bool:
    """Same scheme, host and port; or http upgraded to https on the default ports (as requests allows)."""
    old, new = urlsplit(source), urlsplit(target)
    if old.hostname != new.hostname:
        return False
    if (old.scheme, old.port) == (new.scheme, new.port):
        return True
    return old.scheme == "http" and old.port in (80, None) and new.scheme == "https" and new.port in (443, None)


def api_error(request: Request, response: Response) -> APIError:
    """The APIError for a non-2xx response, with the server's message from its error envelope."""
    body: Any = None
    message = ""
    code = None
    details: tuple[str, ...] = ()
    try:
        body = decode_json(response.body)
    except ValueError:
        text = response.body.decode("utf-8", "replace").strip()
        if not text:
            message = "empty response body"
        elif text.lstrip().lower().startswith(("<!doctype", "<html")):
            message = "an HTML page instead of JSON (is the URL base right?)"
        else:
            message = text[:200]
    if isinstance(body, dict):
        envelope = body.get("error")
        if isinstance(envelope, dict):
            message = str(envelope.get("message") or "")
            details = tuple(_zod_problems(envelope))
            code = envelope.get("code") if isinstance(envelope.get("code"), str) else None
        elif isinstance(envelope, str):
            message = envelope
    if not message:
        message = "no error message in the response"
    return APIError(
        response.status_code, message, code=code, details=details, body=body, method=request.method, url=request.url, response=response
    )


def _zod_problems(tree: dict[str, Any], at: str = "") -> list[str]:
    """The server's validation details ('payload.website: Invalid UUID'), from its zod error tree."""
    problems = [f"{at}: {error}" if at else str(error) for error in tree.get("errors") or [] if isinstance(error, str)]
    properties = tree.get("properties")
    if isinstance(properties, dict):
        for name, subtree in properties.items():
            if isinstance(subtree, dict):
                problems += _zod_problems(subtree, f"{at}.{name}" if at else str(name))
    return problems


def exchange_json(request: Request) -> Flow[Any]:
    """One call whose 2xx answer must be JSON: returns the decoded body; raises APIError on non-2xx."""
    response = yield from exchange(request)
    if not response.is_success:
        raise api_error(request, response)
    try:
        return decode_json(response.body)
    except ValueError:
        raise UnexpectedResponseError(
            f"Umami answered {response.status_code} to {request.method} {request.url} with a body that is not JSON: "
            f"{response.body[:80]!r}"
        ) from None


def parse_model(model: type[M], data: Any, request: Request) -> M:
    """``model`` validated from ``data``; a body of the wrong shape raises UnexpectedResponseError."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise UnexpectedResponseError(
            f"Umami's answer to {request.method} {request.url} is not a {model.__name__}: {exc.errors()[0]['msg']} "
            f"at {'.'.join(str(part) for part in exc.errors()[0]['loc']) or 'top level'}"
        ) from None
