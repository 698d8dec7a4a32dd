"""End-to-end tests of the umami facade in self-hosted mode, sync and async, against a real local
HTTP server that records the exact wire (method, path, query, headers, JSON body)."""

from __future__ import annotations

import asyncio
import datetime
import logging
import math
from typing import Any

import httpx
import pytest

import umami
import umami.errors
import umami.models
from tests.facade_support import (
    BROWSER_UA,
    HOSTNAME,
    OTHER_SITE,
    PASSWORD,
    SDK_UA,
    SITE,
    TOKEN,
    USERNAME,
    Caller,
    UmamiServer,
    assert_data_headers,
    assert_send_headers,
    default_event_payload,
    event_body,
    login_body,
    recorded_body,
    recorded_reply,
    website,
)
from tests.recording_server import Reply, json_reply

UTC = datetime.timezone.utc


# -- configuration ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["", "   ", "\t\n", "example.com", "umami.example.com/path", "ftp://umami.example.com", "//umami.example.com"]
)
def test_set_url_base_rejects_empty_blank_and_schemeless(clean_umami: None, url: str) -> None:
    with pytest.raises(umami.ValidationError):
        umami.set_url_base(url)
    assert umami.default_client().config.url_base is None
    assert umami.heartbeat() is False


def test_set_url_base_strips_trailing_slash_and_whitespace(clean_umami: None, server: UmamiServer) -> None:
    umami.set_url_base(f"  {server.url}/  ")
    assert umami.default_client().config.url_base == server.url
    assert umami.heartbeat() is True
    assert [(r.method, r.path, r.query) for r in server.requests] == [("GET", "/api/heartbeat", [])]


def test_set_url_base_failure_keeps_the_previous_base(clean_umami: None, server: UmamiServer) -> None:
    umami.set_url_base(server.url + "/")
    with pytest.raises(umami.ValidationError):
        umami.set_url_base("not-a-url")
    assert umami.heartbeat() is True
    assert server.last.path == "/api/heartbeat"


@pytest.mark.parametrize(
    ("key", "region"), [("", None), ("   ", None), ("\n", "us"), ("key", "de"), ("key", "US"), ("key", ""), ("key", "eu ")]
)
def test_set_cloud_api_key_validation(clean_umami: None, key: str, region: str | None) -> None:
    with pytest.raises(umami.ValidationError):
        umami.set_cloud_api_key(key, region=region)
    assert umami.is_logged_in() is False
    assert umami.default_client().config.is_cloud is False


def test_is_logged_in_follows_login_and_reset(selfhosted: UmamiServer) -> None:
    assert umami.is_logged_in() is False
    umami.login(USERNAME, PASSWORD)
    assert umami.is_logged_in() is True
    umami.reset()
    assert umami.is_logged_in() is False
    assert umami.default_client().config.url_base is None


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("new_event", {"event_name": "signup"}),
        ("new_revenue_event", {"revenue": 9.5}),
        ("new_page_view", {"page_title": "Home", "url": "/"}),
    ],
)
def test_disabled_sends_validate_then_return_empty_without_request(
    selfhosted: UmamiServer, call: Caller, name: str, args: dict[str, Any]
) -> None:
    umami.disable()
    assert call(name, **args) == {}
    assert selfhosted.requests == []
    with pytest.raises(umami.ValidationError):
        call(name, **args, website_id="not-a-uuid")
    with pytest.raises(umami.ValidationError):
        call(name, **args, distinct_id=True)
    assert selfhosted.requests == []
    umami.enable()
    assert call(name, **args) == recorded_body("036")
    assert [(r.method, r.path) for r in selfhosted.requests] == [("POST", "/api/send")]


def test_disabled_sends_still_need_a_url_base(clean_umami: None, server: UmamiServer) -> None:
    umami.set_website_id(SITE)
    umami.set_hostname(HOSTNAME)
    umami.disable()
    with pytest.raises(umami.OperationNotAllowedError):
        umami.new_event("signup")
    assert server.requests == []


def test_disable_does_not_affect_query_and_auth_functions(selfhosted: UmamiServer, call: Caller) -> None:
    umami.disable()
    assert call("heartbeat") is True
    assert isinstance(call("login", USERNAME, PASSWORD), umami.models.LoginResponse)
    assert call("verify_token") is True
    assert len(call("websites")) == 2
    assert call("active_users") == 3
    assert [r.path for r in selfhosted.requests] == [
        "/api/heartbeat",
        "/api/auth/login",
        "/api/auth/verify",
        "/api/websites",
        f"/api/websites/{SITE}/active",
    ]


# -- login --------------------------------------------------------------------------------------


def test_login_wire_and_token_used_afterwards(selfhosted: UmamiServer, call: Caller) -> None:
    result = call("login", USERNAME, PASSWORD)
    assert isinstance(result, umami.models.LoginResponse)
    assert result.token == TOKEN
    assert result.user.username == "admin" and result.user.isAdmin is True and result.user.role == "admin"
    assert umami.is_logged_in() is True

    request = selfhosted.last
    assert (request.method, request.path, request.query) == ("POST", "/api/auth/login", [])
    assert request.json == {"username": USERNAME, "password": PASSWORD}
    assert request.headers["content-type"] == "application/json"
    assert_data_headers(request, token=None)

    call("websites")
    assert selfhosted.last.path == "/api/websites"
    assert_data_headers(selfhosted.last, token=TOKEN)


def test_second_login_sends_no_old_token(logged_in: UmamiServer, call: Caller) -> None:
    logged_in.script.on("POST", "/auth/login", json_reply(login_body("tok-SECRET-second")))
    call("login", "other", "pw")
    assert "authorization" not in logged_in.last.headers
    assert logged_in.last.json == {"username": "other", "password": "pw"}
    call("active_users")
    assert logged_in.last.headers["authorization"] == "Bearer tok-SECRET-second"


def test_login_without_url_base_is_not_allowed(clean_umami: None, server: UmamiServer, call: Caller) -> None:
    with pytest.raises(umami.OperationNotAllowedError):
        call("login", USERNAME, PASSWORD)
    assert server.requests == []


@pytest.mark.parametrize(("username", "password"), [("", PASSWORD), (USERNAME, "")])
def test_login_with_empty_credentials_is_a_validation_error(selfhosted: UmamiServer, call: Caller, username: str, password: str) -> None:
    with pytest.raises(umami.ValidationError) as caught:
        call("login", username, password)
    assert not isinstance(caught.value, umami.OperationNotAllowedError)
    assert selfhosted.requests == []
    assert umami.is_logged_in() is False


@pytest.mark.parametrize("case", ["003", "004"])
def test_login_rejected_is_api_error_and_httpx_status_error(selfhosted: UmamiServer, call: Caller, case: str) -> None:
    selfhosted.script.on("POST", "/auth/login", recorded_reply(case))
    with pytest.raises(httpx.HTTPStatusError) as caught:
        call("login", USERNAME, "wrong")
    error = caught.value
    assert isinstance(error, umami.errors.APIError)
    assert error.status_code == 401
    assert error.message == "Unauthorized"
    assert error.code == "incorrect-username-password"
    assert error.response.status_code == 401
    assert error.request.url.path == "/api/auth/login"
    assert "401" in str(error) and "Unauthorized" in str(error)
    assert umami.is_logged_in() is False


def test_login_asking_for_a_second_factor_raises_two_factor_required(selfhosted: UmamiServer, call: Caller) -> None:
    selfhosted.script.on("POST", "/auth/login", json_reply({"partialToken": "x", "requiresTwoFactor": True}))
    with pytest.raises(umami.errors.TwoFactorRequiredError):
        call("login", USERNAME, PASSWORD)
    assert umami.is_logged_in() is False
    assert len(selfhosted.requests) == 1


def test_login_answer_without_token_is_unexpected_response(selfhosted: UmamiServer, call: Caller) -> None:
    selfhosted.script.on("POST", "/auth/login", json_reply({"ok": True}))
    with pytest.raises(umami.errors.UnexpectedResponseError):
        call("login", USERNAME, PASSWORD)
    assert umami.is_logged_in() is False


# -- verify_token ---------------------------------------------------------------------------------


def test_verify_token_posts_with_bearer(logged_in: UmamiServer, call: Caller) -> None:
    assert call("verify_token") is True
    request = logged_in.last
    assert (request.method, request.path, request.query, request.body) == ("POST", "/api/auth/verify", [], b"")
    assert_data_headers(request, token=TOKEN)


@pytest.mark.parametrize(
    "reply",
    [
        recorded_reply("010"),
        recorded_reply("109"),
        Reply(500),
        json_reply({"ok": True}),
        json_reply(["username"]),
        Reply(200, "<html>username</html>", {"Content-Type": "text/html"}),
    ],
    ids=["401", "404-html", "500-empty", "no-username", "json-list", "html-200"],
)
def test_verify_token_false_on_rejection_or_odd_answers(logged_in: UmamiServer, call: Caller, reply: Reply) -> None:
    logged_in.script.on("POST", "/auth/verify", reply)
    assert call("verify_token") is False
    assert logged_in.last.path == "/api/auth/verify"


def test_verify_token_false_when_server_refuses(logged_in: UmamiServer, call: Caller, closed_port_url: str) -> None:
    umami.set_url_base(closed_port_url)
    assert call("verify_token") is False
    assert logged_in.requests == []


def test_verify_token_false_without_credential_and_no_request(selfhosted: UmamiServer, call: Caller) -> None:
    assert call("verify_token") is False
    assert call("verify_token", check_server=False) is False
    assert selfhosted.requests == []


def test_verify_token_without_server_check_makes_no_request(logged_in: UmamiServer, call: Caller) -> None:
    assert call("verify_token", check_server=False) is True
    assert call("verify_token", False) is True
    assert logged_in.requests == []


# -- heartbeat ----------------------------------------------------------------------------------


def test_heartbeat_gets_without_credential(logged_in: UmamiServer, call: Caller) -> None:
    assert call("heartbeat") is True
    request = logged_in.last
    assert (request.method, request.path, request.query, request.body) == ("GET", "/api/heartbeat", [], b"")
    assert_data_headers(request, token=None)


@pytest.mark.parametrize(
    "reply", [Reply(500), json_reply({"error": {"message": "Server error"}}, 503), recorded_reply("109")], ids=["500", "503", "404"]
)
def test_heartbeat_false_on_error_status(selfhosted: UmamiServer, call: Caller, reply: Reply) -> None:
    selfhosted.script.on("GET", "/heartbeat", reply)
    assert call("heartbeat") is False
    assert selfhosted.last.path == "/api/heartbeat"


def test_heartbeat_false_when_server_refuses(clean_umami: None, call: Caller, closed_port_url: str) -> None:
    umami.set_url_base(closed_port_url)
    assert call("heartbeat") is False


def test_heartbeat_false_without_configuration(clean_umami: None, server: UmamiServer, call: Caller) -> None:
    assert call("heartbeat") is False
    assert server.requests == []


# -- sending: events ----------------------------------------------------------------------------


def test_new_event_defaults_exact_wire(selfhosted: UmamiServer, call: Caller) -> None:
    answer = call("new_event", "signup")
    assert answer == recorded_body("036")
    request = selfhosted.last
    assert (request.method, request.path, request.query) == ("POST", "/api/send", [])
    assert request.json == event_body(default_event_payload("signup"))
    assert_send_headers(request)
    assert len(selfhosted.requests) == 1


def test_new_event_every_argument(selfhosted: UmamiServer, call: Caller) -> None:
    call(
        "new_event",
        event_name="Purchase-Course",
        hostname="shop.example.org",
        url="/checkout?step=2",
        website_id=OTHER_SITE,
        title="Checkout",
        custom_data={"plan": "pro", "seats": 3, "nested": {"a": [1, 2]}},
        referrer="https://ref.example.net/x",
        language="de-DE",
        screen="390x844",
        ip_address="203.0.113.7",
        distinct_id="user-42",
    )
    assert selfhosted.last.json == {
        "payload": {
            "hostname": "shop.example.org",
            "language": "de-DE",
            "referrer": "https://ref.example.net/x",
            "screen": "390x844",
            "title": "Checkout",
            "url": "/checkout?step=2",
            "website": OTHER_SITE,
            "name": "Purchase-Course",
            "data": {"plan": "pro", "seats": 3, "nested": {"a": [1, 2]}},
            "ip": "203.0.113.7",
            "id": "user-42",
        },
        "type": "event",
    }
    assert_send_headers(selfhosted.last)


@pytest.mark.parametrize(
    ("distinct_id", "expected"),
    [(42, "42"), (0, "0"), ("  user-42  ", "user-42"), ("", None), ("   ", None), (None, None), ("x" * 50, "x" * 50)],
    ids=["int", "zero", "stripped", "empty", "blank", "none", "50-chars"],
)
def test_new_event_distinct_id_normalised(selfhosted: UmamiServer, call: Caller, distinct_id: Any, expected: str | None) -> None:
    call("new_event", "signup", distinct_id=distinct_id)
    payload = selfhosted.last.json["payload"]
    if expected is None:
        assert "id" not in payload
    else:
        assert payload["id"] == expected
    assert payload == default_event_payload("signup", **({} if expected is None else {"id": expected}))


@pytest.mark.parametrize(
    ("ip", "expected"), [("203.0.113.7", "203.0.113.7"), ("  2001:db8::1 ", "2001:db8::1"), ("", None), ("  ", None), (None, None)]
)
def test_new_event_ip_only_when_not_blank(selfhosted: UmamiServer, call: Caller, ip: str | None, expected: str | None) -> None:
    call("new_event", "signup", ip_address=ip)
    payload = selfhosted.last.json["payload"]
    assert payload.get("ip") == expected
    assert ("ip" in payload) is (expected is not None)


def test_new_event_arguments_override_defaults(selfhosted: UmamiServer, call: Caller) -> None:
    call("new_event", "signup", hostname="other.example.org", website_id=OTHER_SITE)
    assert selfhosted.last.json == event_body(default_event_payload("signup", hostname="other.example.org", website=OTHER_SITE))


def test_sends_never_carry_the_login_token(logged_in: UmamiServer, call: Caller) -> None:
    call("new_event", "signup")
    call("new_revenue_event", 5)
    call("new_page_view", "Home", "/")
    assert [r.path for r in logged_in.requests] == ["/api/send"] * 3
    for request in logged_in.requests:
        assert_send_headers(request)


def test_new_revenue_event_defaults(selfhosted: UmamiServer, call: Caller) -> None:
    assert call("new_revenue_event", 19.99) == recorded_body("036")
    assert selfhosted.last.json == event_body(default_event_payload("revenue", data={"revenue": 19.99, "currency": "USD"}))
    assert_send_headers(selfhosted.last)


def test_new_revenue_event_overrides_custom_data_keys(selfhosted: UmamiServer, call: Caller) -> None:
    call(
        "new_revenue_event",
        revenue=42,
        currency="EUR",
        event_name="checkout-cart",
        url="/checkout",
        title="Cart",
        custom_data={"plan": "pro", "revenue": -1, "currency": "XXX"},
        distinct_id=7,
    )
    assert selfhosted.last.json == event_body(
        default_event_payload(
            "checkout-cart", url="/checkout", title="Cart", data={"plan": "pro", "revenue": 42, "currency": "EUR"}, id="7"
        )
    )


def test_new_revenue_event_zero_is_allowed(selfhosted: UmamiServer, call: Caller) -> None:
    call("new_revenue_event", 0)
    assert selfhosted.last.json["payload"]["data"] == {"revenue": 0, "currency": "USD"}


def test_new_revenue_event_does_not_change_the_callers_dict(selfhosted: UmamiServer, call: Caller) -> None:
    mine = {"plan": "pro"}
    call("new_revenue_event", 3.5, custom_data=mine)
    assert mine == {"plan": "pro"}
    assert selfhosted.last.json["payload"]["data"] == {"plan": "pro", "revenue": 3.5, "currency": "USD"}


# -- sending: page views ------------------------------------------------------------------------


def test_new_page_view_defaults_exact_wire(selfhosted: UmamiServer, call: Caller) -> None:
    assert call("new_page_view", "Home", "/") == recorded_body("036")
    request = selfhosted.last
    assert (request.method, request.path, request.query) == ("POST", "/api/send", [])
    assert request.json == {
        "payload": {
            "hostname": HOSTNAME,
            "language": "en-US",
            "referrer": "",
            "screen": "1920x1080",
            "title": "Home",
            "url": "/",
            "website": SITE,
        },
        "type": "event",
    }
    assert_send_headers(request, user_agent=BROWSER_UA)


def test_new_page_view_every_argument_and_custom_user_agent(selfhosted: UmamiServer, call: Caller) -> None:
    firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    call(
        "new_page_view",
        page_title="Pricing",
        url="/pricing?utm_source=news",
        hostname="www.example.org",
        website_id=OTHER_SITE,
        referrer="https://news.example.net/",
        language="fr-FR",
        screen="1280x720",
        ua=firefox,
        ip_address=" 198.51.100.4 ",
        distinct_id=123456,
    )
    assert selfhosted.last.json == {
        "payload": {
            "hostname": "www.example.org",
            "language": "fr-FR",
            "referrer": "https://news.example.net/",
            "screen": "1280x720",
            "title": "Pricing",
            "url": "/pricing?utm_source=news",
            "website": OTHER_SITE,
            "ip": "198.51.100.4",
            "id": "123456",
        },
        "type": "event",
    }
    assert_send_headers(selfhosted.last, user_agent=firefox)


def test_bot_answer_is_returned_and_logged_as_warning(selfhosted: UmamiServer, call: Caller, caplog: pytest.LogCaptureFixture) -> None:
    selfhosted.script.on("POST", "/send", recorded_reply("044"))
    with caplog.at_level(logging.WARNING, logger="umami"):
        assert call("new_event", "signup") == {"beep": "boop"}
        assert call("new_page_view", "Home", "/") == {"beep": "boop"}
    warnings = [r for r in caplog.records if r.name == "umami" and r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert "bot" in warnings[0].getMessage() and "signup" in warnings[0].getMessage()
    assert "page view" in warnings[1].getMessage()


def test_send_answer_that_is_not_an_object_is_unexpected(selfhosted: UmamiServer, call: Caller) -> None:
    selfhosted.script.on("POST", "/send", Reply(200, "eyJhbGciOiJIUzI1NiJ9.e30.x", {"Content-Type": "text/plain"}))
    with pytest.raises(umami.errors.UnexpectedResponseError):
        call("new_event", "signup")


# -- sending: validation before any request ------------------------------------------------------

SEND_CASES: list[tuple[str, dict[str, Any]]] = [
    ("new_event", {"event_name": "x" * 51}),
    ("new_event", {"event_name": ""}),
    ("new_event", {"event_name": "   "}),
    ("new_event", {"event_name": "ok", "hostname": "h" * 101}),
    ("new_event", {"event_name": "ok", "screen": "1" * 12}),
    ("new_event", {"event_name": "ok", "language": "l" * 36}),
    ("new_event", {"event_name": "ok", "website_id": "test-website-id"}),
    ("new_event", {"event_name": "ok", "website_id": "3f1c2a4e5b6d4e7f8a9b0c1d2e3f4a5b0"}),
    ("new_event", {"event_name": "ok", "distinct_id": True}),
    ("new_event", {"event_name": "ok", "distinct_id": False}),
    ("new_event", {"event_name": "ok", "distinct_id": 4.2}),
    ("new_event", {"event_name": "ok", "distinct_id": "d" * 51}),
    ("new_event", {"event_name": "ok", "custom_data": ["a", "b"]}),
    ("new_event", {"event_name": "ok", "custom_data": "plan=pro"}),
    ("new_event", {"event_name": "ok", "custom_data": {"x": math.nan}}),
    ("new_event", {"event_name": "ok", "custom_data": {"when": {1, 2}}}),
    ("new_event", {"event_name": 123}),
    ("new_event", {"event_name": "ok", "url": None}),
    ("new_revenue_event", {"revenue": -0.01}),
    ("new_revenue_event", {"revenue": True}),
    ("new_revenue_event", {"revenue": math.nan}),
    ("new_revenue_event", {"revenue": math.inf}),
    ("new_revenue_event", {"revenue": "19.99"}),
    ("new_revenue_event", {"revenue": None}),
    ("new_revenue_event", {"revenue": 5, "currency": ""}),
    ("new_revenue_event", {"revenue": 5, "currency": "  "}),
    ("new_revenue_event", {"revenue": 5, "event_name": "r" * 51}),
    ("new_revenue_event", {"revenue": 5, "custom_data": [1]}),
    ("new_revenue_event", {"revenue": 5, "distinct_id": 1.0}),
    ("new_page_view", {"page_title": "Home", "url": "/", "website_id": "not-a-uuid"}),
    ("new_page_view", {"page_title": None, "url": "/"}),
    ("new_page_view", {"page_title": "Home", "url": "/", "hostname": "h" * 101}),
    ("new_page_view", {"page_title": "Home", "url": "/", "screen": "1" * 12}),
    ("new_page_view", {"page_title": "Home", "url": "/", "language": "l" * 36}),
    ("new_page_view", {"page_title": "Home", "url": "/", "distinct_id": True}),
    ("new_page_view", {"page_title": "Home", "url": "/", "distinct_id": "d" * 51}),
]


@pytest.mark.parametrize(("name", "args"), SEND_CASES, ids=[f"{name}-{i}" for i, (name, _) in enumerate(SEND_CASES)])
def test_send_validation_error_before_any_request(selfhosted: UmamiServer, call: Caller, name: str, args: dict[str, Any]) -> None:
    with pytest.raises(umami.ValidationError) as caught:
        call(name, **args)
    assert not isinstance(caught.value, umami.OperationNotAllowedError)
    assert selfhosted.requests == []


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("new_event", {"event_name": "x" * 50, "hostname": "h" * 100, "screen": "1" * 11, "language": "l" * 35, "distinct_id": "d" * 50}),
        ("new_page_view", {"page_title": "T", "url": "/", "hostname": "h" * 100, "screen": "1" * 11, "language": "l" * 35}),
        ("new_revenue_event", {"revenue": 1, "event_name": "x" * 50}),
    ],
)
def test_send_values_at_the_server_limits_are_sent(selfhosted: UmamiServer, call: Caller, name: str, args: dict[str, Any]) -> None:
    call(name, **args)
    payload = selfhosted.last.json["payload"]
    assert payload["hostname"] == args.get("hostname", HOSTNAME)
    assert payload.get("name") == args.get("event_name", "revenue" if name == "new_revenue_event" else None)


@pytest.mark.parametrize(
    ("name", "args"),
    [("new_event", {"event_name": "ok"}), ("new_revenue_event", {"revenue": 1}), ("new_page_view", {"page_title": "Home", "url": "/"})],
)
def test_send_without_hostname_or_website_is_a_validation_error(
    clean_umami: None, server: UmamiServer, call: Caller, name: str, args: dict[str, Any]
) -> None:
    umami.set_url_base(server.url)
    umami.set_website_id(SITE)
    with pytest.raises(umami.ValidationError, match="hostname"):
        call(name, **args)
    umami.set_website_id("")
    umami.set_hostname(HOSTNAME)
    with pytest.raises(umami.ValidationError, match="website_id"):
        call(name, **args)
    assert server.requests == []
    call(name, **args, website_id=SITE)
    assert server.last.json["payload"]["website"] == SITE


@pytest.mark.parametrize(
    ("name", "args"),
    [("new_event", {"event_name": "ok"}), ("new_revenue_event", {"revenue": 1}), ("new_page_view", {"page_title": "Home", "url": "/"})],
)
def test_send_without_url_base_is_not_allowed(
    clean_umami: None, server: UmamiServer, call: Caller, name: str, args: dict[str, Any]
) -> None:
    umami.set_website_id(SITE)
    umami.set_hostname(HOSTNAME)
    with pytest.raises(umami.OperationNotAllowedError):
        call(name, **args)
    assert server.requests == []


# -- websites -----------------------------------------------------------------------------------


def test_websites_wire_and_recorded_models(logged_in: UmamiServer, call: Caller) -> None:
    sites = call("websites")
    request = logged_in.last
    assert (request.method, request.path, request.query, request.body) == (
        "GET",
        "/api/websites",
        [("page", "1"), ("pageSize", "100")],
        b"",
    )
    assert_data_headers(request, token=TOKEN)
    assert len(logged_in.requests) == 1

    recorded = recorded_body("027")["data"]
    assert [site.id for site in sites] == [site["id"] for site in recorded]
    first = sites[0]
    assert isinstance(first, umami.models.Website)
    assert first.name == "Temp Site Renamed" and first.domain == "temp.example.org"
    assert first.shareId is None and first.resetAt is None and first.deletedAt is None and first.teamId is None
    assert first.user is not None and first.user.username == "admin"
    assert first.createdAt == "2026-11-27T14:48:46.450Z"


def test_websites_accepts_null_domain_and_dates(logged_in: UmamiServer, call: Caller) -> None:
    record = website(1)
    record.update(domain=None, createdAt=None, updatedAt=None, name=None, userId=None, user=None)
    logged_in.script.on("GET", "/websites", json_reply({"data": [record], "count": 1, "page": 1, "pageSize": 20}))
    (site,) = call("websites")
    assert site.id == record["id"] and site.domain is None and site.createdAt is None and site.user is None


def test_websites_follows_every_page(logged_in: UmamiServer, call: Caller) -> None:
    everything = [website(n) for n in range(45)]

    def paged(request: Any) -> Reply:
        page = int(dict(request.query)["page"])
        chunk = everything[(page - 1) * 20 : page * 20]
        return json_reply({"data": chunk, "count": 45, "page": page, "pageSize": 20})

    logged_in.script.on("GET", "/websites", paged)
    sites = call("websites")
    assert [site.id for site in sites] == [record["id"] for record in everything]
    assert len(sites) == 45
    assert [(r.path, r.query) for r in logged_in.requests] == [
        ("/api/websites", [("page", "1"), ("pageSize", "100")]),
        ("/api/websites", [("page", "2"), ("pageSize", "100")]),
        ("/api/websites", [("page", "3"), ("pageSize", "100")]),
    ]
    for request in logged_in.requests:
        assert_data_headers(request, token=TOKEN)


def test_websites_empty_listing(logged_in: UmamiServer, call: Caller) -> None:
    logged_in.script.on("GET", "/websites", recorded_reply("013"))
    assert call("websites") == []
    assert len(logged_in.requests) == 1


def test_websites_stops_on_an_empty_page_even_if_count_says_more(logged_in: UmamiServer, call: Caller) -> None:
    def lying(request: Any) -> Reply:
        page = int(dict(request.query)["page"])
        return json_reply({"data": [website(1)] if page == 1 else [], "count": 10, "page": page, "pageSize": 1})

    logged_in.script.on("GET", "/websites", lying)
    assert len(call("websites")) == 1
    assert [dict(r.query)["page"] for r in logged_in.requests] == ["1", "2"]


def test_websites_without_login_is_not_allowed(selfhosted: UmamiServer, call: Caller) -> None:
    with pytest.raises(umami.OperationNotAllowedError):
        call("websites")
    assert selfhosted.requests == []


# -- website_stats ------------------------------------------------------------------------------

START = datetime.datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
END = datetime.datetime(2026, 11, 27, 12, 30, 15, 250000, tzinfo=UTC)
START_MS = "1795132800000"
END_MS = "1795782615250"


def test_website_stats_wire_and_model(logged_in: UmamiServer, call: Caller) -> None:
    stats = call("website_stats", START, END)
    request = logged_in.last
    assert (request.method, request.path, request.body) == ("GET", f"/api/websites/{SITE}/stats", b"")
    assert request.query == [("startAt", START_MS), ("endAt", END_MS)]
    assert_data_headers(request, token=TOKEN)
    assert isinstance(stats, umami.models.WebsiteStats)
    assert (stats.pageviews, stats.visitors, stats.visits, stats.bounces, stats.totaltime) == (11, 3, 4, 3, 0)
    assert isinstance(stats.comparison, umami.models.WebsiteStatsCmp)
    assert stats.comparison.pageviews == 0


def test_website_stats_other_timezone_gives_the_same_instant(logged_in: UmamiServer, call: Caller) -> None:
    tokyo = datetime.timezone(datetime.timedelta(hours=9))
    call("website_stats", START.astimezone(tokyo), END.astimezone(tokyo))
    assert logged_in.last.query == [("startAt", START_MS), ("endAt", END_MS)]


def test_website_stats_naive_datetimes_are_local_time(logged_in: UmamiServer, call: Caller) -> None:
    start, end = datetime.datetime(2026, 1, 1, 8, 0), datetime.datetime(2026, 1, 2, 8, 0, 0, 1000)
    call("website_stats", start, end)
    assert logged_in.last.query == [("startAt", str(round(start.timestamp() * 1000))), ("endAt", str(round(end.timestamp() * 1000)))]


def test_website_stats_every_filter_by_wire_name(logged_in: UmamiServer, call: Caller) -> None:
    call(
        "website_stats",
        START,
        END,
        website_id=OTHER_SITE,
        url="/pricing",
        referrer="news.example.net",
        title="Pricing & Plans",
        query="utm_source=x",
        event="signup",
        host="www.example.org",
        os="Mac OS,Windows",
        browser="chrome",
        device="mobile",
        country="DE",
        region="DE-BE",
        city="Berlin",
    )
    request = logged_in.last
    assert request.path == f"/api/websites/{OTHER_SITE}/stats"
    assert request.query == [
        ("startAt", START_MS),
        ("endAt", END_MS),
        ("path", "/pricing"),
        ("referrer", "news.example.net"),
        ("title", "Pricing & Plans"),
        ("query", "utm_source=x"),
        ("event", "signup"),
        ("hostname", "www.example.org"),
        ("os", "Mac OS,Windows"),
        ("browser", "chrome"),
        ("device", "mobile"),
        ("country", "DE"),
        ("region", "DE-BE"),
        ("city", "Berlin"),
    ]


def test_website_stats_only_given_filters_are_sent(logged_in: UmamiServer, call: Caller) -> None:
    call("website_stats", START, END, url="/a", country="FR", host=None, os=None)
    assert logged_in.last.query == [("startAt", START_MS), ("endAt", END_MS), ("path", "/a"), ("country", "FR")]


@pytest.mark.parametrize("bad", ["not-a-uuid", "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5", "None"])
def test_website_stats_non_uuid_is_a_validation_error(logged_in: UmamiServer, call: Caller, bad: str) -> None:
    with pytest.raises(umami.ValidationError):
        call("website_stats", START, END, website_id=bad)
    assert logged_in.requests == []


def test_website_stats_without_website_is_a_validation_error(logged_in: UmamiServer, call: Caller) -> None:
    umami.set_website_id("")
    with pytest.raises(umami.ValidationError, match="website_id"):
        call("website_stats", START, END)
    assert logged_in.requests == []


def test_website_stats_start_after_end_is_a_validation_error(logged_in: UmamiServer, call: Caller) -> None:
    with pytest.raises(umami.ValidationError):
        call("website_stats", END, START)
    with pytest.raises(umami.ValidationError):
        call("website_stats", "2026-11-20", END)
    assert logged_in.requests == []
    call("website_stats", START, START)
    assert logged_in.last.query == [("startAt", START_MS), ("endAt", START_MS)]


def test_website_stats_without_login_is_not_allowed(selfhosted: UmamiServer, call: Caller) -> None:
    with pytest.raises(umami.OperationNotAllowedError):
        call("website_stats", START, END)
    assert selfhosted.requests == []


def test_website_stats_wrong_shape_is_unexpected_response(logged_in: UmamiServer, call: Caller) -> None:
    logged_in.script.on("GET", f"/websites/{SITE}/stats", json_reply({"pageviews": {"value": 3, "prev": 1}}))
    with pytest.raises(umami.errors.UnexpectedResponseError):
        call("website_stats", START, END)


# -- active_users -------------------------------------------------------------------------------


def test_active_users_wire(logged_in: UmamiServer, call: Caller) -> None:
    assert call("active_users") == 3
    request = logged_in.last
    assert (request.method, request.path, request.query, request.body) == ("GET", f"/api/websites/{SITE}/active", [], b"")
    assert_data_headers(request, token=TOKEN)


def test_active_users_website_argument_overrides_default(logged_in: UmamiServer, call: Caller) -> None:
    call("active_users", OTHER_SITE)
    assert logged_in.last.path == f"/api/websites/{OTHER_SITE}/active"


@pytest.mark.parametrize(("body", "expected"), [({"visitors": 0}, 0), ({"visitors": 12}, 12), ({"x": 7}, 7), ({"visitors": 5, "x": 9}, 5)])
def test_active_users_reads_current_and_legacy_shapes(logged_in: UmamiServer, call: Caller, body: dict[str, int], expected: int) -> None:
    logged_in.script.on("GET", f"/websites/{SITE}/active", json_reply(body))
    assert call("active_users") == expected


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, "<!DOCTYPE html><html><body>Umami</body></html>", {"Content-Type": "text/html"}),
        json_reply({"count": 3}),
        json_reply([3]),
        json_reply({"visitors": "many"}),
        json_reply({"visitors": None}),
    ],
    ids=["html", "no-count", "list", "not-a-number", "null"],
)
def test_active_users_garbage_is_unexpected_response(logged_in: UmamiServer, call: Caller, reply: Reply) -> None:
    logged_in.script.on("GET", f"/websites/{SITE}/active", reply)
    with pytest.raises(umami.errors.UnexpectedResponseError):
        call("active_users")


def test_active_users_non_uuid_and_no_login(selfhosted: UmamiServer, call: Caller) -> None:
    with pytest.raises(umami.OperationNotAllowedError):
        call("active_users")
    umami.login(USERNAME, PASSWORD)
    selfhosted.requests.clear()
    with pytest.raises(umami.ValidationError):
        call("active_users", "my-site")
    assert selfhosted.requests == []


# -- Client instances ---------------------------------------------------------------------------


def test_client_instances_are_independent_of_the_default(clean_umami: None, server: UmamiServer, other_server: UmamiServer) -> None:
    with httpx.Client() as http, umami.Client(transport=http) as first, umami.Client() as second:
        first.set_url_base(server.url)
        first.set_website_id(SITE)
        first.set_hostname("first.example")
        second.set_url_base(other_server.url)
        second.set_website_id(OTHER_SITE)
        second.set_hostname("second.example")
        first.login(USERNAME, PASSWORD)

        assert first.is_logged_in() and not second.is_logged_in() and not umami.is_logged_in()
        first.new_page_view("Home", "/")
        second.new_event("signup")
        assert first.active_users() == 3
        with pytest.raises(umami.OperationNotAllowedError):
            second.websites()

    assert [(r.method, r.path) for r in server.requests] == [
        ("POST", "/api/auth/login"),
        ("POST", "/api/send"),
        ("GET", f"/api/websites/{SITE}/active"),
    ]
    assert server.requests[1].json["payload"]["hostname"] == "first.example"
    assert_data_headers(server.requests[2], token=TOKEN)
    assert [(r.method, r.path) for r in other_server.requests] == [("POST", "/api/send")]
    assert other_server.last.json == event_body(default_event_payload("signup", hostname="second.example", website=OTHER_SITE))
    assert umami.default_client().config.url_base is None


def test_async_client_instance_end_to_end(clean_umami: None, server: UmamiServer) -> None:
    async def main() -> tuple[Any, ...]:
        async with httpx.AsyncClient() as http, umami.Client(transport=http) as client:
            client.set_url_base(server.url)
            client.set_website_id(SITE)
            client.set_hostname(HOSTNAME)
            login = await client.login_async(USERNAME, PASSWORD)
            return (
                login.token,
                await client.verify_token_async(),
                await client.heartbeat_async(),
                await client.new_event_async("signup"),
                await client.new_revenue_event_async(2.5, "EUR"),
                await client.new_page_view_async("Home", "/"),
                len(await client.websites_async()),
                (await client.website_stats_async(START, END)).pageviews,
                await client.active_users_async(),
            )

    assert asyncio.run(main()) == (TOKEN, True, True, recorded_body("036"), recorded_body("036"), recorded_body("036"), 2, 11, 3)
    assert [(r.method, r.path) for r in server.requests] == [
        ("POST", "/api/auth/login"),
        ("POST", "/api/auth/verify"),
        ("GET", "/api/heartbeat"),
        ("POST", "/api/send"),
        ("POST", "/api/send"),
        ("POST", "/api/send"),
        ("GET", "/api/websites"),
        ("GET", f"/api/websites/{SITE}/stats"),
        ("GET", f"/api/websites/{SITE}/active"),
    ]
    assert server.requests[4].json["payload"]["data"] == {"revenue": 2.5, "currency": "EUR"}
    assert all(r.headers["user-agent"] == SDK_UA for r in server.requests if r.path != "/api/send")
    assert not umami.is_logged_in()
