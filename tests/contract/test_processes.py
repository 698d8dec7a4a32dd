"""Processes and the interpreter's end, through every adapter: errors cross a process pool
(pickle), a forked child opens its own connections, nothing is left open at exit."""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import os
import pickle
import subprocess
import sys
import textwrap

import httpx
import pytest

import umami
import umami_core
import umami_transports
from tests.contract.conftest import call, configure, make_transport, umami_responder
from tests.contract.raw_server import RawServer, http_response, refused_url
from tests.recording_server import RecordingServer
from umami.errors import APIError, TransportError, TransportTimeoutError

UNAUTHORIZED = b'{"error": {"message": "Unauthorized", "code": "unauthorized", "status": 401}}'


def fail_in_a_worker(adapter: str, url: str, deadline: float | None) -> None:
    """Runs in another process: a call that fails there, so its exception is pickled back."""
    client = configure(umami.Client(transport=make_transport(adapter)), url)
    if deadline:
        client.set_limits(deadline=deadline)
    call(adapter, client, "new_event", "signup")


@pytest.fixture(scope="module")
def pool() -> concurrent.futures.ProcessPoolExecutor:
    # spawn: the worker is a fresh interpreter that has made none of the error classes itself.
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as executor:
        yield executor  # type: ignore[misc]


def test_errors_cross_a_process_pool(adapter: str, pool: concurrent.futures.ProcessPoolExecutor) -> None:
    caught: list[BaseException] = []
    with RawServer(lambda raw: http_response(401, UNAUTHORIZED)) as server, RawServer() as silent:
        for url, deadline in ((server.url, None), (refused_url(), None), (silent.url, 0.5)):
            with pytest.raises(umami.errors.UmamiError) as error:
                pool.submit(fail_in_a_worker, adapter, url, deadline).result(timeout=60)
            caught.append(error.value)

    status, refused, timeout = caught
    assert isinstance(status, APIError) and isinstance(status, httpx.HTTPStatusError)
    assert (status.status_code, status.code) == (401, "unauthorized") and "Unauthorized" in str(status)
    assert isinstance(refused, TransportError) and not isinstance(refused, TransportTimeoutError)
    assert "could not be reached" in str(refused)
    assert isinstance(timeout, TransportTimeoutError)
    # What the library's own class says of it survives too.
    library_error = {"httpx-sync": httpx.HTTPError, "httpx-async": httpx.HTTPError}.get(adapter)
    if library_error is not None:
        assert isinstance(refused, library_error)


def test_an_error_pickles_in_process_with_its_library_classes(adapter: str) -> None:
    with RawServer(lambda raw: http_response(401, UNAUTHORIZED)) as server:
        client = configure(umami.Client(transport=make_transport(adapter)), server.url)
        with pytest.raises(APIError) as caught:
            call(adapter, client, "new_event", "signup")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is type(caught.value)
    assert str(copy) == str(caught.value) and copy.response.status_code == 401


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
@pytest.mark.parametrize("adapter", ["httpx-sync", "requests"])
def test_a_forked_child_opens_its_own_connections(adapter: str) -> None:
    with RecordingServer(umami_responder) as server:
        client = configure(umami.Client(transport=make_transport(adapter)), server.url)
        call(adapter, client, "new_event", "in-parent")
        pid = os.fork()
        if pid == 0:  # the child: answer with the exit code only
            try:
                call(adapter, client, "new_event", "in-child")
            except BaseException:  # noqa: BLE001 - any failure is the exit code
                os._exit(1)
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        call(adapter, client, "new_event", "in-parent-again")

    assert os.waitstatus_to_exitcode(status) == 0
    by_name = {request.json["payload"]["name"]: request.connection for request in server.requests}
    assert by_name["in-parent"] == by_name["in-parent-again"]  # the parent keeps its connection
    assert by_name["in-child"] != by_name["in-parent"]  # the child opened one of its own


def test_no_connection_is_left_open_at_exit(adapter: str) -> None:
    with RecordingServer(umami_responder) as server:
        script = textwrap.dedent(f"""
            import asyncio, umami
            from tests.contract.conftest import call, configure, make_transport
            client = configure(umami.Client(transport=make_transport({adapter!r})), {server.url!r})
            call({adapter!r}, client, "new_event", "signup")
            configure(umami.default_client(), {server.url!r})
            umami.set_transport({"'aiohttp'" if adapter == "aiohttp" else "'requests'" if adapter == "requests" else "None"})
            call({adapter!r}, umami.default_client(), "new_event", "signup")
        """)
        done = subprocess.run(
            [sys.executable, "-X", "dev", "-W", "always::ResourceWarning", "-c", script], capture_output=True, text=True, timeout=60,
            cwd=os.getcwd(),
        )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert "ResourceWarning" not in done.stderr, done.stderr
    assert len(server.requests) == 2


def test_module_level_close_closes_the_default_clients_connections() -> None:
    with RecordingServer(umami_responder) as server:
        configure(umami.default_client(), server.url)
        try:
            umami.new_event("first")
            umami.close()
            umami.new_event("second")  # a new connection after close()
            asyncio.run(umami.aclose())
        finally:
            umami.reset()
            umami.set_transport(None)
    assert [request.connection for request in server.requests] == [1, 2]


def test_mock_transport_keeps_only_the_latest_requests() -> None:
    mock = umami_transports.MockTransport(lambda request: umami_core.Response(200, body=b'{"sessionId": "s"}'))
    client = configure(umami.Client(transport=mock), "https://umami.example.com")
    for number in range(1500):
        client.new_event(f"e{number}")
    assert len(mock.requests) == 1000
    assert b'"e1499"' in (mock.requests[-1].body or b"") and b'"e500"' in (mock.requests[0].body or b"")
    every = umami_transports.MockTransport(mock.handler, keep=None)
    configure(umami.Client(transport=every), "https://umami.example.com").new_event("kept")
    assert len(every.requests) == 1


def test_aiohttp_under_trio_says_it_needs_asyncio() -> None:
    trio = pytest.importorskip("trio")
    client = configure(umami.Client(transport="aiohttp"), "https://umami.example.com")
    with pytest.raises(RuntimeError, match=r"needs an asyncio event loop.*HttpxTransport"):
        trio.run(client.new_event_async, "signup")


