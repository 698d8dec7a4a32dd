"""Two-factor login (newer servers answer a login with ``{partialToken, requiresTwoFactor}``):
``login(..., two_factor_code=...)`` completes it at ``POST /api/2fa/verify``, sync and async, over
the embedded Umami in process and over HTTP; without a code it is a clear TwoFactorRequiredError;
the partial token opens nothing else; the code and the tokens stay out of errors and logs."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

import umami
import umami_core as core
from tests.core_driving import body_of, first_request, json_response
from tests.secrets_search import secrets_in
from umami.errors import APIError, TwoFactorRequiredError
from umami_transports import AiohttpTransport
from umami_transports.fake import FakeServer, FakeTransport, FakeUmami

CODE = "424242"


class Recording(FakeTransport):
    """The fake in process, keeping each answer (to find the partial token the login answered)."""

    def __init__(self, fake: FakeUmami) -> None:
        super().__init__(fake)
        self.answers: list[core.Response] = []

    def send(self, request: core.Request) -> core.Response:
        response = super().send(request)
        self.answers.append(response)
        return response

    @property
    def partial_token(self) -> str:
        return str(json.loads(self.answers[0].body)["partialToken"])


def fake_with_ada() -> FakeUmami:
    fake = FakeUmami()
    fake.add_user("ada", "a-long-password", role="admin", two_factor_code=CODE)
    return fake


def on(fake: FakeUmami) -> tuple[umami.Client, Recording]:
    transport = Recording(fake)
    client = umami.Client(transport=transport)
    client.set_url_base("https://umami.example.com")
    return client, transport


def test_the_code_completes_the_login_with_the_partial_token() -> None:
    fake = fake_with_ada()
    client, transport = on(fake)
    answer = client.login("ada", "a-long-password", two_factor_code=CODE)
    assert answer.user.username == "ada" and client.is_logged_in() and client.verify_token()
    verify = fake.requests[1]
    partial = transport.partial_token
    assert (verify.method, verify.url) == ("POST", "https://umami.example.com/api/2fa/verify")
    assert verify.header("authorization") == f"Bearer {partial}"
    assert json.loads(verify.body or b"") == {"code": CODE, "partialToken": partial}
    assert [website.id for website in client.websites()] == []  # the full token reads


def test_the_async_twin_completes_it_too_over_http() -> None:
    fake = fake_with_ada()
    with FakeServer(fake) as server:
        client = umami.Client(transport=AiohttpTransport())
        client.set_url_base(server.url)
        answer = asyncio.run(client.login_async("ada", "a-long-password", two_factor_code=f" {CODE} "))  # spaces are stripped
        assert answer.user.username == "ada" and asyncio.run(client.verify_token_async())
        asyncio.run(client.aclose())


def test_without_a_code_the_error_says_how_to_give_one_and_nothing_is_kept() -> None:
    fake = fake_with_ada()
    client, transport = on(fake)
    with pytest.raises(TwoFactorRequiredError, match="two_factor_code=") as caught:
        client.login("ada", "a-long-password")
    assert not client.is_logged_in() and len(fake.requests) == 1
    assert secrets_in(caught.value, (transport.partial_token, "a-long-password")) == []


def test_a_wrong_code_is_a_401_that_quotes_neither_code_nor_token(caplog: pytest.LogCaptureFixture) -> None:
    fake = fake_with_ada()
    client, transport = on(fake)
    with caplog.at_level(logging.DEBUG), pytest.raises(APIError) as caught:
        client.login("ada", "a-long-password", two_factor_code="000000")
    assert caught.value.status_code == 401 and not client.is_logged_in()
    partial = transport.partial_token
    assert secrets_in(caught.value, ("000000", partial, "a-long-password")) == []
    assert "000000" not in caplog.text and partial not in caplog.text


def test_the_partial_token_opens_nothing_but_the_second_step() -> None:
    fake = fake_with_ada()
    client, transport = on(fake)
    with pytest.raises(TwoFactorRequiredError):
        client.login("ada", "a-long-password")
    client.set_api_key(transport.partial_token)  # as if someone used it as a credential
    with pytest.raises(APIError) as caught:
        client.me()
    assert caught.value.status_code == 401


def test_an_account_without_two_factor_ignores_the_code() -> None:
    fake = FakeUmami()
    client, _ = on(fake)
    assert client.login(fake.username, fake.password, two_factor_code=CODE).user.username == fake.username
    assert [request.url.rsplit("/", 1)[-1] for request in fake.requests] == ["login"]


@pytest.mark.parametrize("code", ["", "   ", 123456, "12 34", "é" * 6, "1" * 101])
def test_a_malformed_code_fails_before_any_request(code: object) -> None:
    fake = fake_with_ada()
    client, _ = on(fake)
    with pytest.raises(umami.ValidationError, match="two_factor_code"):
        client.login("ada", "a-long-password", two_factor_code=code)  # type: ignore[arg-type]
    assert list(fake.requests) == []


def test_the_core_flow_sends_the_second_step_as_a_secret() -> None:
    flow = core.login(core.Config(url_base="http://umami.test"), "ada", "pw", CODE)
    first_request(flow)
    verify = flow.send(json_response({"partialToken": "partial-1", "requiresTwoFactor": True}))
    assert (verify.method, verify.url, verify.sensitive) == ("POST", "http://umami.test/api/2fa/verify", True)
    assert body_of(verify) == {"code": CODE, "partialToken": "partial-1"}


def test_an_answer_without_a_usable_partial_token_is_unexpected() -> None:
    flow = core.login(core.Config(url_base="http://umami.test"), "ada", "pw", CODE)
    first_request(flow)
    with pytest.raises(core.UnexpectedResponseError, match="no usable partial token"):
        flow.send(json_response({"partialToken": "with space", "requiresTwoFactor": True}))
