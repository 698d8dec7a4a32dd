"""Flows for logging in and checking the server and the credential.

Server routes: https://umami.is/docs/api/authentication (``/api/auth/login``, ``/api/auth/verify``),
``/api/heartbeat`` and ``/api/me``.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from umami_core.config import Config
from umami_core.errors import OperationNotAllowedError, TwoFactorRequiredError, UnexpectedResponseError
from umami_core.exchange import Flow, exchange, exchange_json, parse_model
from umami_core.http import Request
from umami_core.validation import check_credentials, check_two_factor_code

if TYPE_CHECKING:
    from umami_core.models import LoginResponse

__all__ = ["heartbeat", "login", "verify_token"]

logger = logging.getLogger("umami")

#: What a token must be to travel as ``Authorization: Bearer <token>``: visible ASCII.
_HEADER_SAFE = re.compile(r"[\x21-\x7e]+")


def login(config: Config, username: str, password: str, two_factor_code: str | None = None) -> Flow[LoginResponse]:
    """Log in (self-hosted only) and return the token and user; the caller keeps the token.

    An account with two-factor authentication answers the login with a partial token (newer
    servers); with ``two_factor_code`` the flow completes the login at ``POST /api/2fa/verify``."""
    if config.is_cloud:
        raise OperationNotAllowedError("login() is not used in Cloud mode: the API key from set_cloud_api_key() is the credential.")
    if config.url_base is None:
        raise OperationNotAllowedError("Set a URL base with set_url_base() before login().")
    username, password = check_credentials(username, password)
    code = check_two_factor_code(two_factor_code)
    # https://umami.is/docs/api/authentication#post-apiauthlogin
    request = Request.post(
        config.data_url("/auth/login"), config.data_headers(authenticated=False), {"username": username, "password": password},
        sensitive=True,
    )
    body = yield from exchange_json(request)
    from umami_core.models import LoginResponse  # the models load on first use

    if isinstance(body, dict) and body.get("requiresTwoFactor"):
        if code is None:
            raise TwoFactorRequiredError(
                f"The Umami account {username!r} has two-factor authentication enabled: pass the current code of its "
                "authenticator app as login(..., two_factor_code='123456'), or use an API key."
            )
        request = _verify_two_factor(config, body.get("partialToken"), code, request)
        body = yield from exchange_json(request)
    answer = parse_model(LoginResponse, body, request)
    if not _HEADER_SAFE.fullmatch(answer.token):
        # Never quote it: it is a credential, even if a broken one.
        raise UnexpectedResponseError(
            f"Umami's answer to POST {request.url} holds a token that cannot be sent in a header "
            "(empty, or with spaces, control or non-ASCII characters); it was not kept."
        )
    return answer


def _verify_two_factor(config: Config, partial_token: Any, code: str, login: Request) -> Request:
    """The second step of a two-factor login: the code, with the partial token the login answered.

    The contract names the route (``verifyTwoFactor``) but not its body; the partial token goes
    as the Bearer credential and in the body, the code as ``code`` (zod drops keys a route does not read).
    Like the login, the request is never re-sent to another host."""
    if not isinstance(partial_token, str) or not _HEADER_SAFE.fullmatch(partial_token):
        raise UnexpectedResponseError(f"Umami's answer to POST {login.url} asks for a second factor but holds no usable partial token.")
    headers = {**config.data_headers(authenticated=False), "Authorization": f"Bearer {partial_token}"}
    body = {"code": code, "partialToken": partial_token}
    return Request.post(config.data_url("/2fa/verify"), headers, body, sensitive=True)


def verify_token(config: Config, check_server: bool = True) -> Flow[bool]:
    """Whether the stored credential is valid; never raises (any failure is False)."""
    if not config.has_credential or (config.url_base is None and not config.is_cloud):
        return False
    if not check_server:
        return True
    if config.is_cloud:
        # Cloud validates an API key through /me, which nests the account under "user".
        body = yield from _quietly(Request.get(config.data_url("/me"), config.data_headers()), "verify_token")
        return isinstance(body, dict) and ("user" in body or "username" in body)
    # https://umami.is/docs/api/authentication#post-apiauthverify
    body = yield from _quietly(Request.post(config.data_url("/auth/verify"), config.data_headers()), "verify_token")
    return isinstance(body, dict) and "username" in body


def heartbeat(config: Config) -> Flow[bool]:
    """Whether the server is reachable and healthy; never raises (any failure is False)."""
    if config.url_base is None and not config.is_cloud:
        return False
    if config.is_cloud:
        # Umami Cloud has no /heartbeat; an authenticated GET /me is its liveness check.
        request = Request.get(config.data_url("/me"), config.data_headers())
    else:
        request = Request.get(config.data_url("/heartbeat"), config.data_headers(authenticated=False))
    try:
        response = yield from exchange(request)
    except Exception as exc:  # noqa: BLE001 - documented: any failure is reported as False
        logger.info("umami heartbeat failed: %s", _describe(exc))
        return False
    if not response.is_success:
        logger.info("umami heartbeat: %s %s answered %s", request.method, request.url, response.status_code)
    return response.is_success


def _quietly(request: Request, what: str) -> Flow[Any]:
    """The JSON body of a 2xx answer, or None on any failure (logged, never raised)."""
    try:
        return (yield from exchange_json(request))
    except Exception as exc:  # noqa: BLE001 - documented: these functions never raise
        logger.info("umami %s: %s", what, _describe(exc))
        return None


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"
