"""The auth and health flows, driven by hand with the recorded answers of a real Umami 3.1."""

from __future__ import annotations

import pytest

import umami_core as core
from tests.core_driving import body_of, finish, first_request, json_response, result_without_request
from tests.recorded import response
from umami_core import APIError, Config, OperationNotAllowedError, TransportError, TwoFactorRequiredError, ValidationError

SELF = Config(url_base="http://umami.test")
LOGGED_IN = Config(url_base="http://umami.test", token="tok-SECRET-1")
CLOUD = Config(api_key="key-SECRET-1", region="eu")


def test_login_posts_credentials_without_authorization() -> None:
    flow = core.login(SELF, "admin", "umami")
    request = first_request(flow)
    assert (request.method, request.url) == ("POST", "http://umami.test/api/auth/login")
    assert body_of(request) == {"username": "admin", "password": "umami"}
    assert request.header("content-type") == "application/json"
    assert request.header("authorization") is None
    result = finish(flow, response("002_login_ok"))
    assert result.user.username == "admin" and result.user.isAdmin is True
    assert result.token.startswith("btXhLXrn")


@pytest.mark.parametrize(
    ("case", "status", "code", "detail"),
    [
        ("003_login_bad_password", 401, "incorrect-username-password", None),
        ("004_login_unknown_user", 401, "incorrect-username-password", None),
        ("005_login_missing_password", 400, "bad-request", "password: Invalid input: expected string, received undefined"),
        ("006_login_empty_body", 400, "bad-request", "Invalid input: expected object, received undefined"),
    ],
)
def test_login_failures_raise_api_error_with_the_server_message(case: str, status: int, code: str, detail: str | None) -> None:
    flow = core.login(SELF, "admin", "wrong")
    first_request(flow)
    with pytest.raises(APIError) as caught:
        flow.send(response(case))
    assert caught.value.status_code == status
    assert caught.value.code == code
    assert caught.value.message in ("Unauthorized", "Bad request")
    if detail:
        assert detail in caught.value.details
        assert detail in str(caught.value)


def test_login_with_two_factor_raises_a_clear_error() -> None:
    flow = core.login(SELF, "admin", "umami")
    first_request(flow)
    with pytest.raises(TwoFactorRequiredError, match="two-factor"):
        flow.send(json_response({"partialToken": "p", "requiresTwoFactor": True}))


@pytest.mark.parametrize(
    ("config", "username", "password", "error"),
    [
        (CLOUD, "admin", "umami", OperationNotAllowedError),
        (Config(), "admin", "umami", OperationNotAllowedError),
        (SELF, "", "umami", ValidationError),
        (SELF, "admin", "", ValidationError),
    ],
)
def test_login_refuses_before_any_request(config: Config, username: str, password: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        next(core.login(config, username, password))


def test_verify_token_self_hosted_posts_to_verify_with_bearer() -> None:
    flow = core.verify_token(LOGGED_IN)
    request = first_request(flow)
    assert (request.method, request.url, request.body) == ("POST", "http://umami.test/api/auth/verify", None)
    assert request.header("authorization") == "Bearer tok-SECRET-1"
    assert finish(flow, response("008_verify_ok")) is True


@pytest.mark.parametrize("case", ["009_verify_no_token", "010_verify_bad_token", "109_api_unknown_route", "026_website_get_non_uuid"])
def test_verify_token_is_false_for_any_failure(case: str) -> None:
    flow = core.verify_token(LOGGED_IN)
    first_request(flow)
    assert finish(flow, response(case)) is False


def test_verify_token_is_false_when_the_transport_fails() -> None:
    flow = core.verify_token(LOGGED_IN)
    first_request(flow)
    try:
        flow.throw(TransportError("refused"))
    except StopIteration as done:
        assert done.value is False
    else:
        raise AssertionError("the flow went on after the transport failed")


def test_verify_token_cloud_reads_me_with_the_api_key() -> None:
    flow = core.verify_token(CLOUD)
    request = first_request(flow)
    assert (request.method, request.url) == ("GET", "https://api.umami.is/v1/eu/me")
    assert request.header("x-umami-api-key") == "key-SECRET-1"
    assert request.header("authorization") is None
    assert finish(flow, response("011_me_ok")) is True


def test_verify_token_without_credential_or_server_check_makes_no_request() -> None:
    assert result_without_request(core.verify_token(SELF)) is False
    assert result_without_request(core.verify_token(Config())) is False
    assert result_without_request(core.verify_token(LOGGED_IN, check_server=False)) is True


def test_heartbeat_self_hosted_is_an_unauthenticated_get() -> None:
    flow = core.heartbeat(LOGGED_IN)
    request = first_request(flow)
    assert (request.method, request.url) == ("GET", "http://umami.test/api/heartbeat")
    assert request.header("authorization") is None
    assert finish(flow, response("001_heartbeat")) is True


def test_heartbeat_cloud_uses_me_and_reports_failures_as_false() -> None:
    flow = core.heartbeat(CLOUD)
    request = first_request(flow)
    assert request.url == "https://api.umami.is/v1/eu/me"
    assert request.header("x-umami-api-key") == "key-SECRET-1"
    assert finish(flow, response("012_me_no_token")) is False


def test_heartbeat_without_configuration_is_false_without_request() -> None:
    assert result_without_request(core.heartbeat(Config())) is False
