"""No exception keeps a secret reachable, through every adapter: not the password of a failed login
(nor after a refused cross-host 307), not the token of a failed data call (a non-2xx answer, a
refused connection, a garbage answer, a timeout); not in the message, the attributes, the cause or
context, nor in the libraries' request and response objects hung on the exception."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

import umami
from tests.contract.conftest import TOKEN, call, configure, make_transport
from tests.contract.raw_server import RawServer, http_response, refused_url, request_target
from tests.secrets_search import secrets_in
from umami.errors import APIError, TransportError, TransportTimeoutError

PASSWORD = "pa55-w0rd-secret"
LOGIN_OK = json.dumps({"token": TOKEN, "user": {"id": "u", "username": "admin", "role": "admin"}}).encode()
UNAUTHORIZED = json.dumps({"error": {"message": "Unauthorized", "code": "unauthorized", "status": 401}}).encode()


def server_answering(data_answer: Callable[[bytes], bytes | None]) -> RawServer:
    """A server whose login gives TOKEN for PASSWORD (401 otherwise), and whose other answers are ``data_answer``'s."""

    def answer(raw: bytes) -> bytes | None:
        if request_target(raw)[1] == "/api/auth/login":
            return http_response(200, LOGIN_OK) if PASSWORD.encode() in raw else http_response(401, UNAUTHORIZED)
        return data_answer(raw)

    return RawServer(answer)


def logged_in(adapter: str, url: str, **limits: float) -> umami.Client:
    client = configure(umami.Client(transport=make_transport(adapter)), url)
    client.set_limits(**limits)
    call(adapter, client, "login", "admin", PASSWORD)
    return client


def test_a_failed_login_keeps_no_password(adapter: str) -> None:
    with server_answering(lambda raw: None) as server:
        client = configure(umami.Client(transport=make_transport(adapter)), server.url)
        with pytest.raises(APIError) as wrong:
            call(adapter, client, "login", "admin", PASSWORD[::-1])
    client = configure(umami.Client(transport=make_transport(adapter)), refused_url())
    with pytest.raises(TransportError) as refused:
        call(adapter, client, "login", "admin", PASSWORD)

    assert wrong.value.status_code == 401
    assert secrets_in(wrong.value, (PASSWORD, PASSWORD[::-1])) == []
    assert secrets_in(refused.value, (PASSWORD,)) == []


def test_a_refused_cross_host_307_keeps_no_password(adapter: str) -> None:
    with RawServer() as elsewhere:
        moved = f"HTTP/1.1 307 Moved\r\nLocation: {elsewhere.url}/api/auth/login\r\nContent-Length: 0\r\n\r\n".encode()
        with RawServer(lambda raw: moved) as server:
            client = configure(umami.Client(transport=make_transport(adapter)), server.url)
            with pytest.raises(APIError, match="refused to re-send credentials") as caught:
                call(adapter, client, "login", "admin", PASSWORD)

    assert elsewhere.requests == []
    assert secrets_in(caught.value, (PASSWORD,)) == []


def test_a_refused_cross_host_307_never_carries_a_new_users_password(adapter: str) -> None:
    with RawServer() as elsewhere:
        moved = f"HTTP/1.1 307 Moved\r\nLocation: {elsewhere.url}/api/users\r\nContent-Length: 0\r\n\r\n".encode()
        with RawServer(lambda raw: moved) as server:
            client = configure(umami.Client(transport=make_transport(adapter)), server.url)
            client.set_api_key("umami_" + "k" * 32)
            with pytest.raises(APIError, match="refused to re-send credentials") as caught:
                call(adapter, client, "create_user", "ada", PASSWORD)
            assert PASSWORD.encode() in server.requests[0]  # it went to the server it was meant for

    assert elsewhere.requests == []
    assert secrets_in(caught.value, (PASSWORD,)) == []


def test_a_failed_data_call_keeps_no_token(adapter: str) -> None:
    errors: list[BaseException] = []
    with server_answering(lambda raw: http_response(401, UNAUTHORIZED)) as server:
        client = logged_in(adapter, server.url)
        with pytest.raises(APIError) as caught:
            call(adapter, client, "websites")
        errors.append(caught.value)
        assert b"Bearer " + TOKEN.encode() in server.requests[-1]  # the token was on the wire
    with server_answering(lambda raw: b"HTTP/1.1 banana\r\n\r\n") as garbage:
        client = logged_in(adapter, garbage.url)
        with pytest.raises(TransportError) as caught:
            call(adapter, client, "websites")
        errors.append(caught.value)
    with server_answering(lambda raw: None) as silent:
        client = logged_in(adapter, silent.url, deadline=0.5)
        with pytest.raises(TransportTimeoutError) as caught:
            call(adapter, client, "websites")
        errors.append(caught.value)
    with server_answering(lambda raw: None) as gone:
        client = logged_in(adapter, gone.url)
    with pytest.raises(TransportError) as caught:  # the server is closed now: refused
        call(adapter, client, "websites")
    errors.append(caught.value)

    assert [type(error).__mro__[1] for error in errors][:2] == [APIError, TransportError]
    for error in errors:
        assert secrets_in(error, (TOKEN,)) == []
