"""The send flows: the exact request they build, their checks, and what they make of each answer."""

from __future__ import annotations

import logging
import math
from typing import Any

import pytest

import umami_core as core
from tests.core_driving import SITE, body_of, finish, first_request, json_response, result_without_request
from tests.recorded import response
from umami_core import BROWSER_USER_AGENT, APIError, Config, OperationNotAllowedError, UnexpectedResponseError, ValidationError

CONFIG = Config(url_base="http://umami.test", website_id=SITE, hostname="example.com", token="tok-SECRET-2")


def test_new_event_builds_the_documented_payload_without_credentials() -> None:
    flow = core.new_event(CONFIG, "signup-click", url="/x", custom_data={"plan": "pro"})
    request = first_request(flow)
    assert (request.method, request.url) == ("POST", "http://umami.test/api/send")
    assert body_of(request) == {
        "payload": {
            "hostname": "example.com", "language": "en-US", "referrer": "", "screen": "1920x1080", "title": "signup-click",
            "url": "/x", "website": SITE, "name": "signup-click", "data": {"plan": "pro"},
        },
        "type": "event",
    }  # fmt: skip
    assert request.header("user-agent") == BROWSER_USER_AGENT
    assert request.header("authorization") is None and request.header("x-umami-api-key") is None
    assert finish(flow, response("036_send_custom_event"))["sessionId"] == "ca7d15c0-ce3f-5260-8c28-f3bc84f22b83"


def test_new_page_view_has_no_name_nor_data_and_uses_the_given_user_agent() -> None:
    flow = core.new_page_view(CONFIG, "Home", "/", ua="Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0", ip_address=" 203.0.113.7 ")
    request = first_request(flow)
    payload = body_of(request)["payload"]
    assert "name" not in payload and "data" not in payload
    assert payload["title"] == "Home" and payload["ip"] == "203.0.113.7"
    assert request.header("user-agent") == "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"
    assert set(finish(flow, response("033_send_pageview"))) == {"cache", "sessionId", "visitId"}


def test_revenue_event_overrides_revenue_and_currency_in_the_data() -> None:
    flow = core.new_revenue_event(CONFIG, 19.99, "EUR", custom_data={"revenue": 1, "currency": "USD", "cart": 3})
    payload = body_of(first_request(flow))["payload"]
    assert payload["name"] == "revenue"
    assert payload["data"] == {"revenue": 19.99, "currency": "EUR", "cart": 3}


@pytest.mark.parametrize(("given", "sent"), [(42, "42"), ("  user-42 ", "user-42"), ("   ", None), ("", None), (None, None)])
def test_distinct_id_is_sent_as_id(given: Any, sent: str | None) -> None:
    payload = body_of(first_request(core.new_event(CONFIG, "e", distinct_id=given)))["payload"]
    assert payload.get("id") == sent


def test_cloud_sends_go_to_the_cloud_send_host_without_the_key() -> None:
    cloud = Config(api_key="key-SECRET-2", website_id=SITE, hostname="example.com")
    request = first_request(core.new_page_view(cloud, "Home", "/"))
    assert request.url == "https://cloud.umami.is/api/send"
    assert all("SECRET" not in value for _, value in request.headers)


@pytest.mark.parametrize(
    ("call", "problem"),
    [
        (lambda c: core.new_event(c, "x" * 51), "at most 50"),
        (lambda c: core.new_event(c, "   "), "event_name"),
        (lambda c: core.new_event(c, "e", hostname="h" * 101), "hostname must be at most 100"),
        (lambda c: core.new_event(c, "e", screen="123456789012"), "screen must be at most 11"),
        (lambda c: core.new_event(c, "e", language="l" * 36), "language must be at most 35"),
        (lambda c: core.new_event(c, "e", website_id="test-website-id"), "UUID"),
        (lambda c: core.new_event(c, "e", custom_data=["a"]), "custom_data must be a dict"),  # type: ignore[arg-type]
        (lambda c: core.new_event(c, "e", custom_data={"x": math.nan}), "JSON"),
        (lambda c: core.new_event(c, "e", custom_data={"x": object()}), "JSON"),
        (lambda c: core.new_event(c, "e", distinct_id=True), "distinct_id must be a string or integer"),
        (lambda c: core.new_event(c, "e", distinct_id=1.5), "distinct_id must be a string or integer"),  # type: ignore[arg-type]
        (lambda c: core.new_event(c, "e", distinct_id="d" * 51), "distinct_id must be at most 50"),
        (lambda c: core.new_revenue_event(c, -1), ">= 0"),
        (lambda c: core.new_revenue_event(c, True), "number"),
        (lambda c: core.new_revenue_event(c, math.inf), "finite"),
        (lambda c: core.new_revenue_event(c, "10"), "number"),  # type: ignore[arg-type]
        (lambda c: core.new_revenue_event(c, 10, currency=" "), "Currency"),
        (lambda c: core.new_page_view(c, None, "/"), "page_title must be a string"),  # type: ignore[arg-type]
    ],
)
def test_bad_input_is_refused_before_any_request(call: Any, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        next(call(CONFIG))


def test_limits_are_inclusive() -> None:
    request = first_request(
        core.new_event(CONFIG, "x" * 50, hostname="h" * 100, screen="12345678901", language="l" * 35, distinct_id="d" * 50)
    )
    assert body_of(request)["payload"]["name"] == "x" * 50


@pytest.mark.parametrize(
    ("config", "error", "problem"),
    [
        (Config(website_id=SITE, hostname="example.com"), OperationNotAllowedError, "set_url_base"),
        (Config(url_base="http://umami.test", hostname="example.com"), ValidationError, "website_id must be set"),
        (Config(url_base="http://umami.test", website_id=SITE), ValidationError, "hostname must be set"),
    ],
)
def test_missing_state_is_refused(config: Config, error: type[Exception], problem: str) -> None:
    with pytest.raises(error, match=problem):
        next(core.new_event(config, "e"))


def test_disabled_tracking_validates_then_returns_empty_without_request() -> None:
    disabled = Config(url_base="http://umami.test", website_id=SITE, hostname="example.com", tracking_enabled=False)
    assert result_without_request(core.new_event(disabled, "e")) == {}
    with pytest.raises(ValidationError):
        next(core.new_event(disabled, "x" * 51))


@pytest.mark.parametrize("case", ["044_send_bot_ua_python", "045_send_bot_ua_curl", "046_send_bot_ua_googlebot"])
def test_bot_verdict_is_returned_and_logged_as_a_warning(case: str, caplog: pytest.LogCaptureFixture) -> None:
    flow = core.new_event(CONFIG, "e")
    first_request(flow)
    with caplog.at_level(logging.WARNING, logger="umami"):
        assert finish(flow, response(case)) == {"beep": "boop"}
    assert any("bot" in record.getMessage() and record.levelno == logging.WARNING for record in caplog.records)


@pytest.mark.parametrize(
    ("case", "message", "detail"),
    [
        ("048_send_non_uuid_website", "Bad request", "payload.website: Invalid UUID"),
        ("049_send_unknown_website", "Website not found.", None),
        ("051_send_name_51_chars", "Bad request", "payload.name: Too big: expected string to have <=50 characters"),
        ("059_send_data_not_object", "Bad request", "payload.data: Invalid input: expected record, received string"),
    ],
)
def test_server_rejections_raise_api_error(case: str, message: str, detail: str | None) -> None:
    flow = core.new_event(CONFIG, "e")
    first_request(flow)
    with pytest.raises(APIError) as caught:
        flow.send(response(case))
    assert (caught.value.status_code, caught.value.message) == (400, message)
    assert detail is None or detail in caught.value.details


def test_a_success_that_is_not_json_raises_unexpected_response() -> None:
    flow = core.new_event(CONFIG, "e")
    first_request(flow)
    with pytest.raises(UnexpectedResponseError, match="not JSON"):
        flow.send(core.Response(200, body=b"eyJhbGciOiJIUzI1NiJ9.old-servers-answer-a-bare-token"))


def test_a_json_success_that_is_not_an_object_raises_unexpected_response() -> None:
    flow = core.new_event(CONFIG, "e")
    first_request(flow)
    with pytest.raises(UnexpectedResponseError):
        flow.send(json_response(["not", "an", "object"]))


def test_a_blank_title_is_the_event_name_and_a_blank_hostname_the_default() -> None:
    payload = body_of(first_request(core.new_event(CONFIG, "signup", title="", hostname="   ")))["payload"]
    assert (payload["title"], payload["hostname"]) == ("signup", "example.com")
    with pytest.raises(ValidationError, match="hostname must be set"):
        next(core.new_event(Config(url_base="http://umami.test", website_id=SITE), "e", hostname="  "))
