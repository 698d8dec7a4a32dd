"""The shared round trip (redirects, error envelopes), the models against every recorded body, the config."""

from __future__ import annotations

from typing import Any

import pytest

import umami_core as core
from tests.core_driving import first_request, json_response
from tests.recorded import all_cases, response
from tests.recorded import exchange as recorded
from umami_core import APIError, Config, Request, Response, ValidationError
from umami_core.exchange import api_error, exchange
from umami_core.models import LoginResponse, Website, WebsitesResponse, WebsiteStats

WITH_TOKEN = Request("POST", "http://umami.test/api/x", (("Authorization", "Bearer tok-SECRET-4"), ("x-umami-api-key", "key-SECRET-4"),
                                                         ("Content-Type", "application/json")), b'{"a":1}')  # fmt: skip


def redirect(status: int, location: str) -> Response:
    return Response(status, (("Location", location),))


def test_a_redirect_to_another_host_drops_the_credentials() -> None:
    flow = exchange(WITH_TOKEN)
    next(flow)
    followed = flow.send(redirect(302, "http://elsewhere.test/landing"))
    assert (followed.method, followed.url, followed.body) == ("GET", "http://elsewhere.test/landing", None)
    assert followed.header("authorization") is None and followed.header("x-umami-api-key") is None


@pytest.mark.parametrize(
    ("source", "target", "kept"),
    [
        ("http://umami.test/api/x", "http://umami.test:8080/api/x", False),
        ("https://umami.test/api/x", "http://umami.test/api/x", False),
        ("http://umami.test/api/x", "https://umami.test/api/x", True),  # the upgrade requests allows too
        ("http://umami.test:8080/api/x", "https://umami.test/api/x", False),
    ],
)
def test_credentials_follow_only_to_the_same_origin_or_its_https_upgrade(source: str, target: str, kept: bool) -> None:
    flow = exchange(Request(WITH_TOKEN.method, source, WITH_TOKEN.headers, WITH_TOKEN.body))
    next(flow)
    followed = flow.send(redirect(307, target))
    assert (followed.header("authorization") is not None) is kept
    assert (followed.header("x-umami-api-key") is not None) is kept


def test_a_password_is_never_re_sent_to_another_host() -> None:
    flow = core.login(Config(url_base="http://umami.test"), "admin", "pw-SECRET")
    next(flow)
    with pytest.raises(APIError, match="refused to re-send credentials"):
        flow.send(redirect(307, "http://elsewhere.test/api/auth/login"))
    flow = core.login(Config(url_base="http://umami.test"), "admin", "pw-SECRET")
    next(flow)
    upgraded = flow.send(redirect(308, "https://umami.test/api/auth/login"))
    assert upgraded.body is not None and b"pw-SECRET" in upgraded.body


def test_a_same_host_307_keeps_method_body_and_credentials() -> None:
    flow = exchange(WITH_TOKEN)
    next(flow)
    followed = flow.send(redirect(307, "/api/y"))
    assert (followed.method, followed.url, followed.body) == ("POST", "http://umami.test/api/y", b'{"a":1}')
    assert followed.header("authorization") == "Bearer tok-SECRET-4"


def test_redirect_loops_end_with_an_error() -> None:
    flow = exchange(WITH_TOKEN)
    next(flow)
    with pytest.raises(APIError, match="redirects"):
        for _ in range(10):
            flow.send(redirect(302, "/again"))


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("026_website_get_non_uuid", "empty response body"),
        ("064_send_get_method", "empty response body"),
        ("109_api_unknown_route", "HTML page"),
        ("017_websites_list_tampered_token", "Unauthorized"),
    ],
)
def test_error_messages_for_envelopes_html_and_empty_bodies(case: str, message: str) -> None:
    error = api_error(WITH_TOKEN, response(case))
    assert message in error.message
    assert error.status_code == recorded(case)["response"]["status"]
    assert "SECRET" not in str(error) and "SECRET" not in repr(error)


def test_plain_text_errors_keep_the_start_of_the_text() -> None:
    error = api_error(WITH_TOKEN, Response(502, body=b"Bad Gateway from the proxy"))
    assert error.message == "Bad Gateway from the proxy" and error.body is None


# Which model each recorded successful body must parse as.
MODEL_OF: dict[str, Any] = {
    "login_ok": LoginResponse, "extra_login_ok": LoginResponse, "websites_list": WebsitesResponse,
    "website_create": Website, "website_get": Website, "website_update": Website, "stats": WebsiteStats,
}  # fmt: skip


def model_for(case: str) -> Any:
    name = case.split("_", 1)[1]
    for prefix, model in MODEL_OF.items():
        if name.startswith(prefix):
            return model
    return None


# 025/032 (a website that does not exist or was deleted) answer 200 with a null body: no model applies.
@pytest.mark.parametrize(
    "case",
    [c for c in all_cases() if model_for(c) and recorded(c)["response"]["status"] == 200 and recorded(c)["response"]["body"] is not None],
)
def test_models_accept_every_recorded_answer(case: str) -> None:
    model = model_for(case)
    parsed = model.model_validate(recorded(case)["response"]["body"])
    assert isinstance(parsed, model)


def test_websites_accept_null_domain_and_dates() -> None:
    website = Website.model_validate({"id": "x", "domain": None, "createdAt": None, "updatedAt": None, "recorderEnabled": True})
    assert website.domain is None


def test_login_response_repr_hides_the_token() -> None:
    login = LoginResponse.model_validate(recorded("002")["response"]["body"])
    assert login.token not in repr(login) and login.token not in str(login)


def test_config_repr_hides_credentials() -> None:
    config = Config(url_base="http://u.test", token="tok-SECRET-5", api_key="key-SECRET-5")
    assert "SECRET" not in repr(config) and "SECRET" not in str(config)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("umami.example.com", "http"),
        ("ftp://x", "http"),
        ("http://", "HTTP scheme"),
        ("http:///path", "host"),
        ("https://u.test/api", "/api"),
    ],
)
def test_url_base_validation(url: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        Config().with_url_base(url)


def test_url_base_loses_its_trailing_slashes() -> None:
    assert Config().with_url_base(" https://u.test/umami/ ").url_base == "https://u.test/umami"


@pytest.mark.parametrize(("key", "region"), [("", None), ("  ", None), ("k", "asia"), ("k", "")])
def test_cloud_key_validation(key: str, region: str | None) -> None:
    with pytest.raises(ValidationError):
        Config().with_cloud_api_key(key, region)


def test_cloud_mode_wins_over_the_url_base_until_cleared() -> None:
    both = Config(url_base="http://u.test", token="t").with_cloud_api_key(" key ", "eu")
    assert both.api_key == "key" and both.data_url("/me") == "https://api.umami.is/v1/eu/me"
    assert both.without_cloud_api_key().data_url("/me") == "http://u.test/api/me"


def test_a_flow_reads_the_config_it_was_given() -> None:
    # Configs are values: a later change never reaches a flow already started.
    config = Config(url_base="http://first.test", token="t")
    flow = core.heartbeat(config)
    config.with_url_base("http://second.test")
    assert first_request(flow).url == "http://first.test/api/heartbeat"
    assert json_response({}).is_success
