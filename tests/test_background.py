"""Background sending through the public switch, against the embedded Umami (in process) and against
scripted transports that fail on purpose: what the send functions return, batches, retries,
rejections, giving up, flush() bounds, a full queue, async producers, split batches."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import umami
import umami_core
from tests.contract.raw_server import RawServer
from umami import RetryPolicy, Undelivered, ValidationError
from umami_transports import MockTransport
from umami_transports.fake import FakeTransport, FakeUmami

BATCH_OK = b'{"size": %d, "processed": %d, "errors": 0, "details": []}'
QUICK = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05)


@pytest.fixture
def fake() -> Iterator[FakeUmami]:
    yield FakeUmami()


def client_for(fake: FakeUmami | None = None, transport: Any = None, **options: Any) -> umami.Client:
    client = umami.Client(transport=transport if transport is not None else FakeTransport(fake or FakeUmami()))
    client.set_url_base("https://umami.example.com")
    client.set_website_id(fake.website_id if fake else "978435e2-7ba1-4337-9860-ec31ece2db60")
    client.set_hostname("example.com")
    client.enable_background_sending(**{"linger": 0.01, **options})
    return client


def batch_answer(request: umami_core.Request) -> umami_core.Response:
    count = len(json.loads(request.body or b"[]"))
    return umami_core.Response(200, body=BATCH_OK % (count, count))


def scripted(*failures: umami_core.Response | Exception) -> MockTransport:
    """A transport whose first batch requests get ``failures`` in turn, then Umami's answer."""
    script = list(failures)

    def answer(request: umami_core.Request) -> umami_core.Response:
        if script:
            failure = script.pop(0)
            if isinstance(failure, Exception):
                raise failure
            return failure
        return batch_answer(request)

    return MockTransport(answer, keep=None)


def sent_items(transport: MockTransport) -> list[list[dict[str, Any]]]:
    return [json.loads(request.body or b"[]") for request in transport.requests]


def test_sends_return_at_once_and_arrive_in_batches(fake: FakeUmami) -> None:
    client = client_for(fake, batch_size=50)
    answers = [client.new_event("signup", ip_address=f"203.0.113.{n % 200}") for n in range(120)]
    answers += [client.new_page_view("Home", "/"), client.new_revenue_event(9.5, "EUR")]
    flushed = client.flush(timeout=10)

    assert answers == [{"queued": True}] * 122
    assert flushed and flushed.pending == 0
    assert len(fake.custom_events(name="signup")) == 120 and len(fake.page_views()) == 1 and len(fake.revenue()) == 1
    batches = [request for request in fake.requests if request.url.endswith("/api/batch")]
    assert 3 <= len(batches) < 10 and not any(request.url.endswith("/api/send") for request in fake.requests)
    assert client.delivery_stats() == umami.DeliveryStats(queued=122, delivered=122)


def test_validation_still_happens_at_the_call(fake: FakeUmami) -> None:
    client = client_for(fake)
    with pytest.raises(ValidationError):
        client.new_event("x" * 51)
    with pytest.raises(ValidationError):
        asyncio.run(client.new_page_view_async("Home", "/", ua="not\na header"))
    assert client.flush(5) and client.delivery_stats().queued == 0


def test_each_event_keeps_its_visitor_and_the_moment_of_the_call(fake: FakeUmami) -> None:
    client = client_for(fake, linger=1.5)
    firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
    called = time.time()
    client.new_page_view("Home", "/", ua=firefox, ip_address="198.51.100.4", distinct_id="user-7")
    assert client.flush(5)
    (view,) = fake.page_views()
    assert abs(view.created_at.timestamp() - called) < 1.0  # not when the batch went, 1.5 s later
    assert (view.payload["userAgent"], view.payload["ip"], view.payload["id"]) == (firefox, "198.51.100.4", "user-7")
    session = fake.session_of(view)
    assert session is not None and session.browser == "firefox"


def test_events_the_server_refuses_are_reported_once_and_not_retried(fake: FakeUmami, caplog: pytest.LogCaptureFixture) -> None:
    lost: list[Undelivered] = []
    client = client_for(fake, on_error=lost.extend)
    with caplog.at_level(logging.WARNING, logger="umami"):
        client.new_event("kept")
        for _ in range(3):  # a valid UUID, but no such website on this server
            client.new_event("lost", website_id="00000000-0000-4000-8000-000000000000")
        assert client.flush(5)

    assert [event.event_name for event in fake.custom_events()] == ["kept"]
    assert [(item.kind, item.item["payload"]["name"]) for item in lost] == [("rejected", "lost")] * 3
    assert "Website not found" in lost[0].reason
    stats = client.delivery_stats()
    assert (stats.delivered, stats.rejected, stats.retried) == (1, 3, 0)
    assert caplog.text.count("refused an event") == 1
    assert len([request for request in fake.requests if request.url.endswith("/api/batch")]) == 1


@pytest.mark.parametrize(
    "failure",
    [
        umami_core.Response(503, (("Retry-After", "0"),), b"Service Unavailable"),
        umami_core.Response(429, (("Retry-After", "0"),), b"slow down"),
        umami_core.Response(500, body=b'{"error": {"message": "Server error", "code": "server-error", "status": 500}}'),
        umami_core.TransportError("connection reset by peer"),
        umami_core.TransportTimeoutError("no answer"),
    ],
    ids=["503", "429", "500", "reset", "timeout"],
)
def test_a_failed_batch_is_sent_again(failure: Any) -> None:
    transport = scripted(failure, failure)
    client = client_for(transport=transport, retry=QUICK, linger=5)  # one batch: flush() sends it
    for number in range(5):
        client.new_event(f"e{number}")
    assert client.flush(5)

    sent = [item["payload"]["name"] for batch in sent_items(transport) for item in batch]
    assert sorted(sent) == sorted([f"e{number}" for number in range(5)] * 3)  # each sent twice more
    stats = client.delivery_stats()
    assert (stats.delivered, stats.retried, stats.given_up) == (5, 10, 0)


def test_retry_after_is_waited_for() -> None:
    transport = scripted(umami_core.Response(429, (("Retry-After", "1"),)))
    client = client_for(transport=transport, retry=QUICK)
    started = time.monotonic()
    client.new_event("e")
    assert client.flush(5)
    assert time.monotonic() - started >= 1.0


def test_an_item_that_failed_alone_is_sent_again_alone() -> None:
    failed_once = umami_core.Response(
        200, body=b'{"size": 3, "processed": 2, "errors": 1, "details": [{"index": 1, "response": {"error": {"status": 500}}}]}'
    )
    transport = scripted(failed_once)
    client = client_for(transport=transport, retry=QUICK)
    for name in ("a", "b", "c"):
        client.new_event(name)
    assert client.flush(5)
    assert [[item["payload"]["name"] for item in batch] for batch in sent_items(transport)] == [["a", "b", "c"], ["b"]]


def test_events_are_given_up_after_the_attempts_and_reported() -> None:
    lost: list[Undelivered] = []
    transport = MockTransport(lambda request: umami_core.Response(502, body=b"Bad Gateway"), keep=None)
    client = client_for(transport=transport, retry=QUICK, on_error=lost.extend)
    client.new_event("doomed")
    assert client.flush(5)  # settled: given up counts

    assert len(transport.requests) == QUICK.max_attempts
    assert [(item.kind, item.item["payload"]["name"]) for item in lost] == [("given_up", "doomed")]
    assert "gave up after 4 attempts" in lost[0].reason and "502" in lost[0].reason
    assert client.delivery_stats().given_up == 1


def test_a_batch_too_large_for_the_server_is_split() -> None:
    def answer(request: umami_core.Request) -> umami_core.Response:
        if len(json.loads(request.body or b"[]")) > 2:
            return umami_core.Response(413, body=b"Payload Too Large")
        return batch_answer(request)

    transport = MockTransport(answer, keep=None)
    client = client_for(transport=transport, linger=0.3)
    for number in range(8):
        client.new_event(f"e{number}")
    assert client.flush(5)
    sizes = [len(batch) for batch in sent_items(transport)]
    assert sizes[0] == 8 and max(sizes[1:]) <= 4 and sum(size for size in sizes if size <= 2) == 8
    assert client.delivery_stats().delivered == 8


@pytest.fixture
def hanging() -> Iterator[RawServer]:
    with RawServer() as server:  # accepts and never answers
        yield server


def test_flush_returns_within_its_timeout_when_the_server_hangs(hanging: RawServer) -> None:
    client = umami.Client()
    client.set_url_base(hanging.url)
    client.set_website_id("978435e2-7ba1-4337-9860-ec31ece2db60")
    client.set_hostname("example.com")
    client.enable_background_sending(linger=0.01)
    for number in range(10):
        client.new_event(f"e{number}")
    started = time.monotonic()
    flushed = client.flush(timeout=2)
    took = time.monotonic() - started

    assert not flushed and flushed.pending == 10
    assert 1.9 <= took <= 3.0
    client.disable_background_sending(timeout=0.5)


def test_a_full_queue_drops_new_events_with_a_count_and_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    release = threading.Event()

    def slow(request: umami_core.Request) -> umami_core.Response:
        release.wait(10)
        return batch_answer(request)

    client = client_for(transport=MockTransport(slow), max_queue=10, max_in_flight=1)
    with caplog.at_level(logging.WARNING, logger="umami"):
        answers = [client.new_event(f"e{number}") for number in range(25)]
    release.set()
    assert client.flush(5)

    assert answers[:10] == [{"queued": True}] * 10
    assert answers[10:] == [{"queued": False, "dropped": "the background queue is full"}] * 15
    stats = client.delivery_stats()
    assert (stats.queued, stats.dropped, stats.delivered) == (10, 15, 10)
    assert caplog.text.count("queue is full") == 1


def test_block_waits_for_room_up_to_its_timeout() -> None:
    release = threading.Event()

    def slow(request: umami_core.Request) -> umami_core.Response:
        release.wait(10)
        return batch_answer(request)

    client = client_for(transport=MockTransport(slow), max_queue=2, max_in_flight=1, when_full="block", block_timeout=0.3)
    assert [client.new_event("a"), client.new_event("b")] == [{"queued": True}] * 2
    started = time.monotonic()
    assert client.new_event("c")["queued"] is False  # waited, then dropped
    assert time.monotonic() - started >= 0.3
    threading.Timer(0.2, release.set).start()
    assert client.new_event("d") == {"queued": True}  # room came while it waited
    assert client.flush(5)


def test_async_producers_never_wait_for_the_server(fake: FakeUmami) -> None:
    client = client_for(fake)

    async def main() -> list[Any]:
        answers = await asyncio.gather(*(client.new_event_async(f"e{number}") for number in range(200)))
        flushed = await client.flush_async(timeout=5)
        return [*answers, bool(flushed)]

    outcome = asyncio.run(main())
    assert outcome[:-1] == [{"queued": True}] * 200 and outcome[-1] is True
    assert len(fake.custom_events()) == 200


def test_disabled_tracking_queues_nothing(fake: FakeUmami) -> None:
    client = client_for(fake)
    client.disable()
    assert client.new_event("hidden") == {}
    assert client.flush(5) and client.delivery_stats().queued == 0


def test_switching_off_flushes_and_sends_synchronously_again(fake: FakeUmami) -> None:
    client = client_for(fake, linger=5)
    client.new_event("queued")
    flushed = client.disable_background_sending(timeout=5)
    assert flushed and [event.event_name for event in fake.custom_events()] == ["queued"]
    assert "sessionId" in client.new_event("direct")


def test_settings_out_of_range_are_refused() -> None:
    client = umami.Client()
    for bad in ({"batch_size": 0}, {"batch_size": 501}, {"when_full": "wait"}, {"linger": -1}, {"max_queue": 0}, {"on_error": 42}):
        with pytest.raises(ValidationError):
            client.enable_background_sending(**bad)


def test_the_callback_failing_does_not_stop_delivery(fake: FakeUmami, caplog: pytest.LogCaptureFixture) -> None:
    def broken(lost: list[Undelivered]) -> None:
        raise RuntimeError("oops")

    client = client_for(fake, on_error=broken)
    client.new_event("lost", website_id="00000000-0000-4000-8000-000000000000")
    client.new_event("kept")
    assert client.flush(5)
    assert "on_error raised" in caplog.text and len(fake.custom_events()) == 1


