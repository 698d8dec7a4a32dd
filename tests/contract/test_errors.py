"""Failures through every adapter: non-2xx answers (with and without Umami's JSON envelope), bodies
that are not JSON, a refused connection, a server that never answers. Each error is ours and also
the adapter library's own."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import httpx
import pytest
import requests

import umami
from tests.contract.conftest import call, configure, make_transport
from tests.contract.raw_server import RawServer, refused_url
from tests.recording_server import Recorded, RecordingServer, Reply, json_reply
from umami.errors import APIError, TransportError, TransportTimeoutError, UnexpectedResponseError

#: The library's own status error, which our APIError also is.
STATUS_ERROR: dict[str, type[Exception]] = {
    "httpx-sync": httpx.HTTPStatusError,
    "httpx-async": httpx.HTTPStatusError,
    "requests": requests.HTTPError,
    "aiohttp": aiohttp.ClientResponseError,
}
#: The library's own exception for a refused connection.
CONNECT_ERROR: dict[str, type[Exception]] = {
    "httpx-sync": httpx.ConnectError,
    "httpx-async": httpx.ConnectError,
    "requests": requests.ConnectionError,
    "aiohttp": aiohttp.ClientConnectorError,
}
#: The library's own exception for a server that does not answer in time, and the family users catch.
READ_TIMEOUT: dict[str, tuple[type[BaseException], type[BaseException]]] = {
    "httpx-sync": (httpx.ReadTimeout, httpx.TimeoutException),
    "httpx-async": (httpx.ReadTimeout, httpx.TimeoutException),
    "requests": (requests.ReadTimeout, requests.Timeout),
    "aiohttp": (aiohttp.ServerTimeoutError, asyncio.TimeoutError),
}

HTML_MESSAGE = "an HTML page instead of JSON (is the URL base right?)"
HTML_404 = "<!DOCTYPE html><html><head><title>404: This page could not be found.</title></head><body>404</body></html>"

# (status, body, content type, the APIError's message, its code)
ERROR_ANSWERS = [
    pytest.param(401, {"error": {"message": "Unauthorized", "code": "unauthorized", "status": 401}}, "application/json",
                 "Unauthorized", "unauthorized", id="401-envelope"),
    pytest.param(400, {"error": {"message": "Bad request", "code": "bad-request", "status": 400,
                                 "errors": ["Invalid input: expected object, received undefined"]}}, "application/json",
                 "Bad request", "bad-request", id="400-envelope"),
    pytest.param(404, HTML_404, "text/html; charset=utf-8", HTML_MESSAGE, None,
                 id="404-html"),
    pytest.param(429, {"detail": "slow down"}, "application/json", "no error message in the response", None, id="429-json-no-envelope"),
    pytest.param(500, {"error": {"message": "Server error", "code": "server-error", "status": 500}}, "application/json",
                 "Server error", "server-error", id="500-envelope"),
    pytest.param(500, "", "text/plain", "empty response body", None, id="500-empty"),
    pytest.param(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", HTML_MESSAGE,
                 None, id="502-html"),
    pytest.param(503, "Service Unavailable", "text/plain", "Service Unavailable", None, id="503-text"),
]  # fmt: skip


def error_server(status: int, body: Any, content_type: str) -> RecordingServer:
    """A server whose login works and whose every other answer is ``status`` with ``body``."""

    def respond(request: Recorded) -> Reply:
        if request.path == "/api/auth/login":
            return json_reply({"token": "tok", "user": {"id": "u", "username": "admin", "role": "admin"}})
        return Reply(status, body, {"Content-Type": content_type})

    return RecordingServer(respond)


@pytest.mark.parametrize(("status", "body", "content_type", "message", "code"), ERROR_ANSWERS)
@pytest.mark.parametrize("name", ["active_users", "new_event"])
def test_non_2xx_raises_our_api_error_which_is_also_the_librarys(
    adapter: str, name: str, status: int, body: Any, content_type: str, message: str, code: str | None
) -> None:
    with error_server(status, body, content_type) as server:
        client = configure(umami.Client(transport=make_transport(adapter)), server.url)
        call(adapter, client, "login", "admin", "pw")
        args = ("signup",) if name == "new_event" else ()
        with pytest.raises(APIError) as caught:
            call(adapter, client, name, *args)

    error = caught.value
    assert isinstance(error, STATUS_ERROR[adapter])
    assert (error.status_code, error.message, error.code) == (status, message, code)
    assert error.url.startswith(f"{server.url}/api/")
    assert str(status) in str(error)
    assert "tok" not in str(error)
    # The library's own view of the same answer.
    if adapter == "aiohttp":
        assert isinstance(error, aiohttp.ClientResponseError)
        assert error.status == status
    else:
        assert isinstance(error, (httpx.HTTPStatusError, requests.HTTPError))
        assert error.response is not None
        assert error.response.status_code == status
    # ... and the spec's httpx.HTTPStatusError whatever the transport, with httpx's view of it.
    assert isinstance(error, httpx.HTTPStatusError)
    assert error.response.status_code == status
    assert error.request.url == error.url


def test_a_failed_login_is_a_401_api_error(adapter: str) -> None:
    envelope = {"error": {"message": "Unauthorized", "code": "incorrect-username-password", "status": 401}}
    with RecordingServer(lambda request: json_reply(envelope, 401)) as server:
        client = configure(umami.Client(transport=make_transport(adapter)), server.url)
        with pytest.raises(STATUS_ERROR[adapter]) as caught:
            call(adapter, client, "login", "admin", "wrong")

    assert isinstance(caught.value, APIError)
    assert (caught.value.status_code, caught.value.code) == (401, "incorrect-username-password")
    assert not client.is_logged_in()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [pytest.param(HTML_404, "text/html", id="html"), pytest.param("", "application/json", id="empty")],
)
def test_a_2xx_answer_that_is_not_json_is_an_unexpected_response(adapter: str, body: str, content_type: str) -> None:
    with RecordingServer(lambda request: Reply(200, body, {"Content-Type": content_type})) as server:
        client = configure(umami.Client(transport=make_transport(adapter)), server.url)
        with pytest.raises(UnexpectedResponseError, match="not JSON"):
            call(adapter, client, "new_event", "signup")
        assert call(adapter, client, "heartbeat") is True  # a 2xx is all heartbeat() asks for

    assert [request.path for request in server.requests] == ["/api/send", "/api/heartbeat"]


def test_a_refused_connection_is_our_transport_error_and_the_librarys(adapter: str) -> None:
    client = configure(umami.Client(transport=make_transport(adapter)), refused_url())

    with pytest.raises(TransportError) as caught:
        call(adapter, client, "new_event", "signup")

    assert isinstance(caught.value, CONNECT_ERROR[adapter])
    assert not isinstance(caught.value, TransportTimeoutError)
    assert "could not be reached" in str(caught.value)
    assert isinstance(caught.value.__cause__, CONNECT_ERROR[adapter])
    # The functions that never raise say False instead.
    assert call(adapter, client, "heartbeat") is False


def test_a_server_that_never_answers_ends_with_the_timeout(adapter: str) -> None:
    with RawServer(answer=None) as server:  # accepts, reads the request, never answers
        client = configure(umami.Client(transport=make_transport(adapter, timeout=0.3)), server.url)
        with pytest.raises(TransportTimeoutError) as caught:
            call(adapter, client, "new_event", "signup")
        assert call(adapter, client, "heartbeat") is False

    native, family = READ_TIMEOUT[adapter]
    assert isinstance(caught.value, native)
    assert isinstance(caught.value, family)
    assert "did not answer in time" in str(caught.value)
    assert not str(caught.value).rstrip().endswith(":")  # httpx's async ReadTimeout has an empty message
    assert len(server.requests) == 2
    assert server.requests[0].startswith(b"POST /api/send HTTP/1.1\r\n")


def test_a_body_that_stops_coming_ends_with_the_timeout(adapter: str) -> None:
    # requests used to report this read timeout as a ConnectionError.
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
    with RawServer(lambda raw: [head, b""]) as server:  # then silence
        client = configure(umami.Client(transport=make_transport(adapter, timeout=0.3)), server.url)
        with pytest.raises(TransportTimeoutError) as caught:
            call(adapter, client, "new_event", "signup")

    family = READ_TIMEOUT[adapter][1]
    assert isinstance(caught.value, family)
    assert "did not answer in time" in str(caught.value)


def test_a_malformed_answer_is_a_transport_error(adapter: str) -> None:
    with RawServer(lambda raw: b"HTTP/1.1 banana\r\n\r\n") as server:
        client = configure(umami.Client(transport=make_transport(adapter)), server.url)
        with pytest.raises(TransportError) as caught:
            call(adapter, client, "new_event", "signup")

    assert not isinstance(caught.value, (APIError, TransportTimeoutError))
    assert isinstance(caught.value, LIBRARY_ERROR[adapter])
    assert isinstance(caught.value.__cause__, LIBRARY_ERROR[adapter])


#: The base class of every exception each library raises.
LIBRARY_ERROR: dict[str, type[BaseException]] = {
    "httpx-sync": httpx.HTTPError, "httpx-async": httpx.HTTPError, "requests": requests.RequestException, "aiohttp": aiohttp.ClientError,
}  # fmt: skip
