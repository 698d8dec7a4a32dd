"""The default transport across event loops and threads: the async functions keep working over
several ``asyncio.run()`` calls in a row without any client passed in, and calls reuse connections."""

from __future__ import annotations

import asyncio
import datetime
import gc
import threading
import weakref
from typing import Any

import pytest

import umami
from tests.facade_support import (
    HOSTNAME,
    PASSWORD,
    SITE,
    TOKEN,
    USERNAME,
    UmamiServer,
    assert_data_headers,
    assert_send_headers,
    default_event_payload,
    event_body,
    recorded_body,
    recorded_reply,
)

UTC = datetime.timezone.utc
START = datetime.datetime(2026, 11, 20, tzinfo=UTC)
END = datetime.datetime(2026, 11, 27, tzinfo=UTC)


async def _every_async_function(target: Any) -> list[Any]:
    login = await target.login_async(USERNAME, PASSWORD)
    return [
        login.token,
        await target.heartbeat_async(),
        await target.verify_token_async(),
        len(await target.websites_async()),
        (await target.website_stats_async(START, END)).visitors,
        await target.active_users_async(),
        await target.new_event_async("signup"),
        await target.new_revenue_event_async(1.5),
        await target.new_page_view_async("Home", "/"),
    ]


EXPECTED = [TOKEN, True, True, 2, 3, 3, recorded_body("036"), recorded_body("036"), recorded_body("036")]
PATHS = [
    "/api/auth/login",
    "/api/heartbeat",
    "/api/auth/verify",
    "/api/websites",
    f"/api/websites/{SITE}/stats",
    f"/api/websites/{SITE}/active",
    "/api/send",
    "/api/send",
    "/api/send",
]


def test_async_functions_across_several_asyncio_runs_with_the_default_transport(selfhosted: UmamiServer) -> None:
    for _ in range(4):
        assert asyncio.run(_every_async_function(umami)) == EXPECTED
    assert [r.path for r in selfhosted.requests] == PATHS * 4
    for request in selfhosted.requests:
        if request.path == "/api/send":
            assert_send_headers(request)
        elif request.path not in ("/api/auth/login", "/api/heartbeat"):
            assert_data_headers(request, token=TOKEN)
    # One connection per event loop: within a loop the calls share it.
    assert selfhosted.connections == 4


def test_one_call_per_asyncio_run_many_times(selfhosted: UmamiServer) -> None:
    results = [asyncio.run(umami.new_event_async(f"event-{n}")) for n in range(8)]
    assert results == [recorded_body("036")] * 8
    assert [r.json for r in selfhosted.requests] == [event_body(default_event_payload(f"event-{n}")) for n in range(8)]


def test_client_instance_without_transport_across_asyncio_runs(clean_umami: None, server: UmamiServer) -> None:
    client = umami.Client()
    client.set_url_base(server.url)
    client.set_website_id(SITE)
    client.set_hostname(HOSTNAME)
    try:
        for _ in range(3):
            assert asyncio.run(_every_async_function(client)) == EXPECTED
        assert client.heartbeat() is True
    finally:
        client.close()
    assert [r.path for r in server.requests] == [*PATHS * 3, "/api/heartbeat"]
    assert not umami.is_logged_in()


def test_sync_calls_reuse_one_connection(selfhosted: UmamiServer) -> None:
    umami.login(USERNAME, PASSWORD)
    for _ in range(3):
        assert umami.heartbeat() is True
        assert umami.verify_token() is True
        umami.new_event("signup")
        umami.new_page_view("Home", "/")
        umami.new_revenue_event(3)
        assert len(umami.websites()) == 2
        umami.website_stats(START, END)
        assert umami.active_users() == 3
    assert len(selfhosted.requests) == 1 + 8 * 3
    assert selfhosted.connections == 1
    assert {r.connection for r in selfhosted.requests} == {1}


def test_sync_connection_survives_error_answers(selfhosted: UmamiServer) -> None:
    selfhosted.script.on("GET", "/heartbeat", recorded_reply("026"))
    for _ in range(5):
        assert umami.heartbeat() is False
        with pytest.raises(umami.OperationNotAllowedError):
            umami.websites()
        umami.new_event("signup")
    assert len(selfhosted.requests) == 10
    assert selfhosted.connections == 1


def test_sync_calls_between_asyncio_runs_keep_their_connection(selfhosted: UmamiServer) -> None:
    umami.heartbeat()
    asyncio.run(umami.heartbeat_async())
    umami.heartbeat()
    asyncio.run(umami.heartbeat_async())
    umami.heartbeat()
    sync_connections = {r.connection for r in selfhosted.requests[0::2]}
    assert len(sync_connections) == 1
    assert selfhosted.connections == 3


def test_async_calls_in_one_loop_share_a_connection(selfhosted: UmamiServer) -> None:
    async def many() -> list[Any]:
        return [await umami.new_event_async(f"e{n}") for n in range(6)] + [await umami.heartbeat_async()]

    assert asyncio.run(many()) == [recorded_body("036")] * 6 + [True]
    assert selfhosted.connections == 1


def test_concurrent_async_calls_in_one_loop(selfhosted: UmamiServer) -> None:
    async def gathered() -> list[Any]:
        return await asyncio.gather(*(umami.new_event_async(f"e{n}", distinct_id=n) for n in range(10)))

    assert asyncio.run(gathered()) == [recorded_body("036")] * 10
    sent = sorted(r.json["payload"]["id"] for r in selfhosted.requests)
    assert sent == sorted(str(n) for n in range(10))


def test_sync_calls_from_several_threads(selfhosted: UmamiServer) -> None:
    failures: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for k in range(3):
                umami.new_event(f"t{n}-{k}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(r.json["payload"]["name"] for r in selfhosted.requests) == sorted(f"t{n}-{k}" for n in range(6) for k in range(3))


def test_async_functions_under_trio_across_runs(selfhosted: UmamiServer) -> None:
    trio = pytest.importorskip("trio")
    for _ in range(2):
        assert trio.run(_every_async_function, umami) == EXPECTED
    assert [r.path for r in selfhosted.requests] == PATHS * 2


def test_finished_event_loops_are_released(selfhosted: UmamiServer) -> None:
    loops: list[weakref.ref[asyncio.AbstractEventLoop]] = []

    async def once() -> bool:
        loops.append(weakref.ref(asyncio.get_running_loop()))
        return await umami.heartbeat_async()

    for _ in range(3):
        assert asyncio.run(once()) is True
    gc.collect()
    assert [ref() is None for ref in loops] == [True, True, True]
