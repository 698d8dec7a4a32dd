"""What the facade raises when Umami answers badly or not at all, that secrets never leak into
messages, reprs or logs, and that credentials never follow a redirect to another host."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

import umami
import umami.errors
import umami_transports
from tests.facade_support import (
    API_KEY,
    CLOUD_API_HOST,
    HOSTNAME,
    PASSWORD,
    SITE,
    TOKEN,
    USERNAME,
    Caller,
    UmamiServer,
    assert_data_headers,
    cloud_client,
    recorded_body,
    recorded_reply,
)
from tests.recording_server import Recorded, Reply, json_reply

# (facade function, args, route answered badly, method, wire path)
OPERATIONS: list[tuple[str, tuple[Any, ...], str, str, str]] = [
    ("websites", (), "/websites", "GET", "/api/websites"),
    ("active_users", (), f"/websites/{SITE}/active", "GET", f"/api/websites/{SITE}/active"),
    ("new_event", ("signup",), "/send", "POST", "/api/send"),
    ("new_page_view", ("Home", "/"), "/send", "POST", "/api/send"),
    ("new_revenue_event", (9.99,), "/send", "POST", "/api/send"),
]
OPERATION_IDS = [operation[0] for operation in OPERATIONS]


# -- non-2xx answers ------------------------------------------------------------------------------

ENVELOPES = [
    # (reply, status, message, code, a detail that must be in str(error) or None)
    (recorded_reply("014"), 401, "Unauthorized", "unauthorized", None),
    (recorded_reply("049"), 400, "Website not found.", "bad-request", None),
    (recorded_reply("048"), 400, "Bad request", "bad-request", "Invalid UUID"),
    (json_reply({"error": {"message": "Forbidden", "code": "forbidden", "status": 403}}, 403), 403, "Forbidden", "forbidden", None),
    (
        json_reply({"error": {"message": "Server error", "code": "server-error", "status": 500}}, 500),
        500,
        "Server error",
        "server-error",
        None,
    ),
]


@pytest.mark.parametrize(("operation", "args", "route", "method", "path"), OPERATIONS, ids=OPERATION_IDS)
@pytest.mark.parametrize(("reply", "status", "message", "code", "detail"), ENVELOPES, ids=["401", "400-not-found", "400-zod", "403", "500"])
def test_error_envelope_is_api_error_and_httpx_status_error(
    logged_in: UmamiServer,
    call: Caller,
    operation: str,
    args: tuple[Any, ...],
    route: str,
    method: str,
    path: str,
    reply: Reply,
    status: int,
    message: str,
    code: str,
    detail: str | None,
) -> None:
    logged_in.script.on(method, route, reply)
    with pytest.raises(umami.errors.APIError) as caught:
        call(operation, *args)
    error = caught.value
    assert isinstance(error, httpx.HTTPStatusError)
    assert (error.status_code, error.message, error.code) == (status, message, code)
    assert error.response.status_code == status
    assert (error.request.method, error.request.url.path) == (method, path)
    text = str(error)
    assert str(status) in text and message in text and path in text
    if detail is not None:
        assert detail in text
    assert len(logged_in.requests) == 1


@pytest.mark.parametrize(("operation", "args", "route", "method", "path"), OPERATIONS, ids=OPERATION_IDS)
def test_500_with_empty_body(
    logged_in: UmamiServer, call: Caller, operation: str, args: tuple[Any, ...], route: str, method: str, path: str
) -> None:
    logged_in.script.on(method, route, recorded_reply("026"))
    with pytest.raises(httpx.HTTPStatusError) as caught:
        call(operation, *args)
    error = caught.value
    assert isinstance(error, umami.errors.APIError)
    assert error.status_code == 500 and error.code is None and error.body is None
    assert "empty" in error.message
    assert f"500 to {method}" in str(error) and path in str(error)


def test_404_html_page_says_the_url_base_may_be_wrong(logged_in: UmamiServer, call: Caller) -> None:
    logged_in.script.on("GET", "/websites", recorded_reply("109"))
    with pytest.raises(umami.errors.APIError) as caught:
        call("websites")
    error = caught.value
    assert isinstance(error, httpx.HTTPStatusError)
    assert error.status_code == 404
    assert "HTML" in error.message and "URL base" in error.message
    assert "<!DOCTYPE" not in str(error)
    assert "/api/websites" in str(error)


def test_url_base_pointing_at_a_non_umami_site(clean_umami: None, server: UmamiServer, call: Caller) -> None:
    """A base URL with a wrong path: every route is the HTML 404 page."""
    server.script.always(recorded_reply("109"))
    umami.set_url_base(server.url + "/umami")
    umami.set_website_id(SITE)
    umami.set_hostname(HOSTNAME)
    assert call("heartbeat") is False
    with pytest.raises(umami.errors.APIError, match="HTML") as caught:
        call("login", USERNAME, PASSWORD)
    assert caught.value.status_code == 404
    assert server.last.path == "/umami/api/auth/login"


def test_405_without_body(logged_in: UmamiServer, call: Caller) -> None:
    logged_in.script.on("POST", "/send", recorded_reply("064"))
    with pytest.raises(httpx.HTTPStatusError) as caught:
        call("new_event", "signup")
    assert isinstance(caught.value, umami.errors.APIError) and caught.value.status_code == 405


def test_login_400_carries_the_servers_details(selfhosted: UmamiServer, call: Caller) -> None:
    selfhosted.script.on("POST", "/auth/login", recorded_reply("005"))
    with pytest.raises(umami.errors.APIError) as caught:
        call("login", USERNAME, PASSWORD)
    assert caught.value.status_code == 400 and caught.value.code == "bad-request"
    assert "password" in str(caught.value) and "expected string" in str(caught.value)
    assert PASSWORD not in str(caught.value)


def test_status_error_can_be_caught_as_umami_error(logged_in: UmamiServer, call: Caller) -> None:
    logged_in.script.on("GET", "/websites", recorded_reply("014"))
    with pytest.raises(umami.errors.UmamiError):
        call("websites")
    assert not issubclass(umami.errors.APIError, umami.ValidationError)


# -- the server cannot be reached -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "args"), [(o[0], o[1]) for o in OPERATIONS] + [("login", (USERNAME, PASSWORD))], ids=[*OPERATION_IDS, "login"]
)
def test_refused_connection_is_transport_error_and_httpx_connect_error(
    logged_in: UmamiServer, call: Caller, closed_port_url: str, operation: str, args: tuple[Any, ...]
) -> None:
    if operation in ("websites", "active_users"):
        # The token stays with the server that issued it: that server stops listening instead.
        closed_port_url = logged_in.url
        _refuse_from_now_on(logged_in)
    else:
        umami.set_url_base(closed_port_url)
    with pytest.raises(umami.errors.TransportError) as caught:
        call(operation, *args)
    error = caught.value
    assert isinstance(error, httpx.ConnectError)
    assert isinstance(error, httpx.TransportError)
    assert not isinstance(error, umami.errors.TransportTimeoutError)
    assert closed_port_url.removeprefix("http://") in str(error)
    assert logged_in.requests == []


def _refuse_from_now_on(server: UmamiServer) -> None:
    """``server`` stops listening, and the client drops its open connections to it: connecting is refused."""
    server.stop()
    umami.set_transport(umami_transports.HttpxTransport())


def test_refused_connection_never_raises_from_heartbeat_and_verify(logged_in: UmamiServer, call: Caller, closed_port_url: str) -> None:
    umami.set_url_base(closed_port_url)
    assert call("heartbeat") is False
    assert call("verify_token") is False


@pytest.fixture
def slow_transport(logged_in: UmamiServer) -> Iterator[umami_transports.HttpxTransport]:
    """Every answer delayed far beyond a 0.3 s timeout (the server stops waiting when it shuts down)."""
    logged_in.script.always(Reply(200, {"ok": True}, delay=30))
    transport = umami_transports.HttpxTransport(timeout=0.3)
    umami.set_transport(transport)
    yield transport
    transport.close()


@pytest.mark.parametrize(("operation", "args"), [(o[0], o[1]) for o in OPERATIONS[:3]], ids=OPERATION_IDS[:3])
def test_no_answer_is_transport_timeout_error(
    slow_transport: umami_transports.HttpxTransport, operation: str, args: tuple[Any, ...]
) -> None:
    with pytest.raises(umami.errors.TransportTimeoutError) as caught:
        getattr(umami, operation)(*args)
    error = caught.value
    assert isinstance(error, umami.errors.TransportError)
    assert isinstance(error, httpx.TimeoutException)
    assert "did not answer in time" in str(error)

    async def async_part() -> BaseException:
        try:
            with pytest.raises(umami.errors.TransportTimeoutError) as caught_async:
                await getattr(umami, f"{operation}_async")(*args)
            return caught_async.value
        finally:
            await slow_transport.aclose()

    async_error = asyncio.run(async_part())
    assert isinstance(async_error, httpx.TimeoutException)


def test_no_answer_never_raises_from_heartbeat_and_verify(slow_transport: umami_transports.HttpxTransport, logged_in: UmamiServer) -> None:
    assert umami.heartbeat() is False
    assert umami.verify_token() is False

    async def async_part() -> tuple[bool, bool]:
        try:
            return await umami.heartbeat_async(), await umami.verify_token_async()
        finally:
            await slow_transport.aclose()

    assert asyncio.run(async_part()) == (False, False)
    assert [r.path for r in logged_in.requests] == ["/api/heartbeat", "/api/auth/verify"] * 2


# -- secrets ------------------------------------------------------------------------------------


def _no_secret(*texts: object) -> None:
    for text in texts:
        for secret in (TOKEN, API_KEY, PASSWORD):
            assert secret not in str(text), f"secret found in {text!r}"


def _exception_texts(error: BaseException) -> list[str]:
    texts = [str(error), repr(error)]
    cause = error.__cause__ or error.__context__
    if cause is not None:
        texts += [str(cause), repr(cause)]
    return texts


def test_token_never_in_messages_reprs_or_logs(selfhosted: UmamiServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    result = umami.login(USERNAME, PASSWORD)
    assert result.token == TOKEN
    _no_secret(repr(result), str(result), repr(result.user), repr(umami.default_client()), repr(umami.default_client().config))

    errors: list[BaseException] = []
    selfhosted.script.on("GET", "/websites", recorded_reply("015"))
    selfhosted.script.on("GET", f"/websites/{SITE}/active", Reply(200, "<html></html>", {"Content-Type": "text/html"}))
    selfhosted.script.on("POST", "/send", recorded_reply("048"))
    for operation, args in [("websites", ()), ("active_users", ()), ("new_event", ("signup",)), ("active_users", ("bad-id",))]:
        with pytest.raises(umami.errors.UmamiError) as caught:
            getattr(umami, operation)(*args)
        errors.append(caught.value)
    assert umami.verify_token() is True
    asyncio.run(umami.login_async(USERNAME, PASSWORD))
    _refuse_from_now_on(selfhosted)
    with pytest.raises(umami.errors.TransportError) as refused:
        umami.websites()
    errors.append(refused.value)
    assert umami.heartbeat() is False and umami.verify_token() is False

    for error in errors:
        _no_secret(*_exception_texts(error))
    assert caplog.records, "expected debug logging of the requests"
    for record in caplog.records:
        _no_secret(record.getMessage())
    _no_secret(caplog.text)
    assert umami.is_logged_in()


def test_api_key_never_in_messages_reprs_or_logs(clean_umami: None, server: UmamiServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    server.script.on("GET", "/websites", json_reply({"error": {"message": "Unauthorized", "code": "unauthorized", "status": 401}}, 401))
    with cloud_client(server) as client:
        umami.set_transport(client)
        umami.set_cloud_api_key(API_KEY, region="eu")
        umami.set_website_id(SITE)
        umami.set_hostname(HOSTNAME)
        _no_secret(repr(umami.default_client()), repr(umami.default_client().config))
        with pytest.raises(umami.errors.APIError) as caught:
            umami.websites()
        assert umami.heartbeat() is True and umami.verify_token() is True
        umami.new_event("signup")
        with pytest.raises(umami.OperationNotAllowedError) as not_allowed:
            umami.login(USERNAME, PASSWORD)
    _no_secret(*_exception_texts(caught.value), *_exception_texts(not_allowed.value))
    assert server.requests[0].headers["x-umami-api-key"] == API_KEY
    for record in caplog.records:
        _no_secret(record.getMessage())
    _no_secret(caplog.text)


def test_no_exception_attribute_carries_the_token(logged_in: UmamiServer) -> None:
    logged_in.script.on("GET", "/websites", recorded_reply("015"))
    with pytest.raises(umami.errors.APIError) as status_error:
        umami.websites()
    _refuse_from_now_on(logged_in)
    with pytest.raises(umami.errors.TransportError) as transport_error:
        umami.websites()
    for error in (status_error.value, transport_error.value):
        assert isinstance(error, httpx.HTTPError)
        _no_secret(*(f"{name}: {value}" for name, value in error.request.headers.items()))
    assert isinstance(status_error.value, httpx.HTTPStatusError)
    _no_secret(*(f"{name}: {value}" for name, value in status_error.value.response.request.headers.items()))
    cause = transport_error.value.__cause__
    assert isinstance(cause, httpx.ConnectError)
    _no_secret(*(f"{name}: {value}" for name, value in cause.request.headers.items()))


# -- redirects ----------------------------------------------------------------------------------


def _redirect_once(location: Callable[[Recorded], str], status: int = 302, then: str = "027") -> Callable[[Recorded], Reply]:
    """Redirect the first request of a route, answer the next ones with the recorded answer ``then``."""
    seen: list[Recorded] = []

    def answer(request: Recorded) -> Reply:
        seen.append(request)
        if len(seen) == 1:
            return Reply(status, b"", {"Location": location(request)})
        return recorded_reply(then)

    return answer


def test_a_token_stays_with_the_server_that_issued_it(logged_in: UmamiServer, other_server: UmamiServer, call: Caller) -> None:
    assert umami.is_logged_in()
    umami.set_url_base(other_server.url)
    assert not umami.is_logged_in()
    with pytest.raises(umami.OperationNotAllowedError, match="only sent to its own server") as caught:
        call("active_users")
    assert TOKEN not in str(caught.value)
    assert call("verify_token") is False
    assert call("heartbeat") is True
    assert [request.path for request in other_server.requests] == ["/api/heartbeat"]
    assert "authorization" not in other_server.last.headers
    umami.set_url_base(logged_in.url + "/")  # the same server again: the token is usable there
    assert umami.is_logged_in() and call("verify_token") is True
    assert_data_headers(logged_in.last, token=TOKEN)


def test_redirect_to_another_host_drops_the_token(logged_in: UmamiServer, other_server: UmamiServer, call: Caller) -> None:
    logged_in.script.on("GET", "/websites", _redirect_once(lambda r: f"{other_server.url}/api/websites?page=1&pageSize=100"))
    sites = call("websites")
    assert [s.id for s in sites] == [s["id"] for s in recorded_body("027")["data"]]
    assert_data_headers(logged_in.last, token=TOKEN)
    moved = other_server.last
    assert (moved.method, moved.path, moved.query) == ("GET", "/api/websites", [("page", "1"), ("pageSize", "100")])
    assert_data_headers(moved, token=None)
    assert len(other_server.requests) == 1


def test_redirect_within_the_same_host_keeps_the_token(logged_in: UmamiServer, call: Caller) -> None:
    logged_in.script.on(
        "GET", f"/websites/{SITE}/active", _redirect_once(lambda r: f"/api/websites/{SITE}/active?moved=1", status=301, then="076")
    )
    logged_in.script.on(
        "GET", "/websites", _redirect_once(lambda r: f"{logged_in.url}/api/websites?page=1&pageSize=100&moved=1", status=307)
    )
    call("active_users")
    call("websites")
    first, second, third, fourth = logged_in.requests
    assert (first.path, first.query) == (f"/api/websites/{SITE}/active", [])
    assert (second.path, second.query) == (f"/api/websites/{SITE}/active", [("moved", "1")])
    assert (fourth.path, fourth.query) == ("/api/websites", [("page", "1"), ("pageSize", "100"), ("moved", "1")])
    for request in (first, second, third, fourth):
        assert_data_headers(request, token=TOKEN)


def test_redirected_post_to_another_host_carries_no_token(logged_in: UmamiServer, other_server: UmamiServer, call: Caller) -> None:
    logged_in.script.on("POST", "/auth/verify", _redirect_once(lambda r: f"{other_server.url}/api/auth/verify", status=307, then="008"))
    call("verify_token")
    assert logged_in.last.headers["authorization"] == f"Bearer {TOKEN}"
    moved = other_server.last
    assert (moved.method, moved.path) == ("POST", "/api/auth/verify")
    assert "authorization" not in moved.headers


def test_cloud_redirect_to_another_host_drops_the_key(clean_umami: None, server: UmamiServer, other_server: UmamiServer) -> None:
    server.script.on("GET", "/websites", _redirect_once(lambda r: f"{other_server.url}/v1/eu/websites?page=1&pageSize=100"))
    server.script.on("GET", f"/websites/{SITE}/active", _redirect_once(lambda r: f"/v1/eu/websites/{SITE}/active?moved=1", then="076"))
    with cloud_client(server) as client:
        umami.set_transport(client)
        umami.set_cloud_api_key(API_KEY, region="eu")
        umami.set_website_id(SITE)
        assert len(umami.websites()) == 2
        assert umami.active_users() == 3
    away = other_server.last
    assert away.path == "/v1/eu/websites"
    assert_data_headers(away, token=None, api_key=None)
    first, active, active_moved = server.requests
    assert (first.path, first.headers["host"], first.headers["x-umami-api-key"]) == ("/v1/eu/websites", CLOUD_API_HOST, API_KEY)
    assert (active_moved.path, active_moved.query) == (f"/v1/eu/websites/{SITE}/active", [("moved", "1")])
    assert_data_headers(active, api_key=API_KEY, host=CLOUD_API_HOST)
    assert_data_headers(active_moved, api_key=API_KEY, host=CLOUD_API_HOST)


def test_endless_redirects_end_with_an_error(logged_in: UmamiServer, call: Caller) -> None:
    logged_in.script.on("GET", "/websites", Reply(302, b"", {"Location": "/api/websites?page=1&pageSize=100"}))
    with pytest.raises(umami.errors.UmamiError) as caught:
        call("websites")
    assert "redirect" in str(caught.value)
    assert 2 <= len(logged_in.requests) <= 25
