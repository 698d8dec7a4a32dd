"""Connections through every adapter: keep-alive (counted at the server), successive event loops,
and redirects that never carry a credential to another host."""

from __future__ import annotations

import asyncio

import pytest

import umami
import umami_core
from tests.contract.conftest import (
    API_KEY,
    ASYNC_ADAPTERS,
    SEND_ANSWER,
    TOKEN,
    WEBSITE,
    answer_like_umami,
    call,
    configure,
    make_transport,
    run_flow,
)
from tests.contract.raw_server import RawServer
from tests.recording_server import Recorded, RecordingServer, Reply, json_reply

N = 5


def test_n_calls_share_one_connection(adapter: str, client: umami.Client, umami_server: RecordingServer) -> None:
    if adapter in ASYNC_ADAPTERS:

        async def send_n() -> list[object]:
            return [await client.new_event_async("signup", distinct_id=i) for i in range(N)]

        results = asyncio.run(send_n())
    else:
        results = [client.new_event("signup", distinct_id=i) for i in range(N)]

    assert results == [SEND_ANSWER] * N
    assert [request.json["payload"]["id"] for request in umami_server.requests] == [str(i) for i in range(N)]
    assert umami_server.connections == 1
    assert {request.connection for request in umami_server.requests} == {1}


@pytest.mark.parametrize("adapter", sorted(ASYNC_ADAPTERS))
def test_async_calls_work_in_successive_event_loops(adapter: str, client: umami.Client, umami_server: RecordingServer) -> None:
    """``asyncio.run()`` again and again: each loop gets its own pooled session, none is reused across loops."""
    results = [asyncio.run(client.new_event_async("signup")) for _ in range(3)]

    assert results == [SEND_ANSWER] * 3
    assert umami_server.connections == 3


@pytest.mark.parametrize(
    "adapter",
    [
        "httpx-async",
        "aiohttp",
    ],
)
def test_the_connections_of_a_finished_event_loop_are_closed(adapter: str) -> None:
    """After ``asyncio.run()`` returns, its pooled connections are closed, not left to the garbage collector."""
    with RawServer(answer_like_umami) as server:
        client = configure(umami.Client(transport=make_transport(adapter)), server.url)
        for _ in range(2):
            assert asyncio.run(client.new_event_async("signup")) == SEND_ANSWER
        closed = server.wait_closed_by_client(2)

    assert server.connections == 2
    assert closed


# -- redirects ---------------------------------------------------------------------------------


def redirecting_to(target: str, status: int = 302) -> RecordingServer:
    """A server whose login works and which redirects every other request to ``target`` + its path."""

    def respond(request: Recorded) -> Reply:
        if request.path == "/api/auth/login":
            return json_reply({"token": TOKEN, "user": {"id": "u", "username": "admin", "role": "admin"}})
        query = "?" + "&".join(f"{key}={value}" for key, value in request.query) if request.query else ""
        return Reply(status, b"", {"Location": f"{target}{request.path}{query}"})

    return RecordingServer(respond)


def final_answer(request: Recorded) -> Reply:
    if request.path.endswith("/websites"):
        return json_reply({"data": [WEBSITE], "count": 1, "page": 1, "pageSize": 100})
    return json_reply(SEND_ANSWER)


def test_a_redirect_to_another_host_drops_the_login_token(adapter: str) -> None:
    with RecordingServer(final_answer) as other, redirecting_to(other.url) as first:
        client = configure(umami.Client(transport=make_transport(adapter)), first.url)
        call(adapter, client, "login", "admin", "pw")
        sites = call(adapter, client, "websites")

    assert [site.id for site in sites] == [WEBSITE["id"]]
    assert first.last.headers["authorization"] == f"Bearer {TOKEN}"  # sent to the server it is meant for
    assert [(request.path, request.query) for request in other.requests] == [("/api/websites", [("page", "1"), ("pageSize", "100")])]
    assert "authorization" not in other.last.headers


def test_a_redirect_on_the_same_host_keeps_the_login_token(adapter: str) -> None:
    def respond(request: Recorded) -> Reply:
        if request.path == "/api/auth/login":
            return json_reply({"token": TOKEN, "user": {"id": "u", "username": "admin", "role": "admin"}})
        if request.path == "/api/websites":
            return Reply(301, b"", {"Location": "/moved/api/websites?page=1&pageSize=100"})
        return final_answer(request)

    with RecordingServer(respond) as server:
        client = configure(umami.Client(transport=make_transport(adapter)), server.url)
        call(adapter, client, "login", "admin", "pw")
        call(adapter, client, "websites")

    assert server.last.path == "/moved/api/websites"
    assert server.last.headers["authorization"] == f"Bearer {TOKEN}"


def test_a_redirect_to_another_host_drops_the_cloud_api_key(adapter: str) -> None:
    transport = make_transport(adapter)
    with RecordingServer(final_answer) as other, redirecting_to(other.url, status=307) as first:
        # Cloud mode pointed at a local server: the core's Config, run by the public drivers.
        config = umami_core.Config(api_key=API_KEY, cloud_api_url=f"{first.url}/v1")
        sites = run_flow(adapter, transport, umami_core.websites(config))
    transport.close()

    assert [site.id for site in sites] == [WEBSITE["id"]]
    assert first.last.headers["x-umami-api-key"] == API_KEY
    assert other.last.path == "/v1/websites"
    assert "x-umami-api-key" not in other.last.headers
    assert "authorization" not in other.last.headers


def test_a_307_redirect_of_a_send_keeps_method_and_body(adapter: str) -> None:
    with RecordingServer(final_answer) as other, redirecting_to(other.url, status=307) as first:
        client = configure(umami.Client(transport=make_transport(adapter)), first.url)
        assert call(adapter, client, "new_event", "signup", custom_data={"plan": "pro"}) == SEND_ANSWER

    assert (other.last.method, other.last.path) == ("POST", "/api/send")
    assert other.last.body == first.last.body
    assert other.last.json["payload"]["data"] == {"plan": "pro"}


@pytest.mark.parametrize("name", ["httpx", "requests"])
def test_closing_a_client_closes_the_transport_it_made_from_a_name(name: str) -> None:
    with RawServer(answer_like_umami) as server:
        client = configure(umami.Client(transport=name), server.url)  # type: ignore[arg-type]
        assert client.new_event("signup") == SEND_ANSWER
        client.close()
        assert server.wait_closed_by_client(1)


def test_closing_a_client_closes_the_aiohttp_transport_it_made_from_a_name() -> None:
    async def send_then_close(client: umami.Client, server: RawServer) -> bool:
        assert await client.new_event_async("signup") == SEND_ANSWER
        await client.aclose()
        # Still inside the loop: closed by aclose(), not by the loop's shutdown.
        return await asyncio.to_thread(server.wait_closed_by_client, 1)

    with RawServer(answer_like_umami) as server:
        client = configure(umami.Client(transport="aiohttp"), server.url)
        assert asyncio.run(send_then_close(client, server))
