"""No loss, no duplicate: 100,000 events sent in the background while 30% of the batch requests fail
(500, 503 and 429 with Retry-After, reset connections), in process and over real HTTP, from sync
and async producers at once, arrive exactly once each in the embedded Umami's store. The faults happen
before the server stores anything, so any duplicate would be the client's."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Iterator

import pytest

import umami
from umami import RetryPolicy
from umami_transports.fake import FakeServer, FakeTransport, FakeUmami, Faults

EVENTS = 100_000
FAULTS = Faults(rate=0.2, statuses=(500, 503, 429), retry_after=1, reset_rate=0.1, routes=("/api/batch",), seed=11)
#: Quick retries (a fault rate this high needs several attempts for some batches); Retry-After still applies.
RETRY = RetryPolicy(max_attempts=30, base_delay=0.01, max_delay=0.2)


@pytest.fixture(params=["in-process", "http"])
def client_and_fake(request: pytest.FixtureRequest) -> Iterator[tuple[umami.Client, FakeUmami]]:
    fake = FakeUmami(faults=FAULTS)
    if request.param == "in-process":
        client = umami.Client(transport=FakeTransport(fake))
        client.set_url_base("https://umami.example.com")
        server = None
    else:
        server = FakeServer(fake).start()
        client = umami.Client()
        client.set_url_base(server.url)
    client.set_website_id(fake.website_id)
    client.set_hostname("example.com")
    client.enable_background_sending(batch_size=200, linger=0.05, retry=RETRY, max_queue=EVENTS)
    try:
        yield client, fake
    finally:
        client.close()
        if server is not None:
            server.stop()


def test_every_event_arrives_exactly_once_through_the_failures(client_and_fake: tuple[umami.Client, FakeUmami]) -> None:
    client, fake = client_and_fake
    # Half the events from a thread calling new_event(), half from tasks awaiting new_event_async(),
    # at the same time: both kinds of producer share the one worker.

    def produce_sync() -> None:
        for number in range(0, EVENTS, 2):
            client.new_event(f"e{number}", ip_address="203.0.113.7")

    async def produce_async() -> None:
        for number in range(1, EVENTS, 2):
            await client.new_event_async(f"e{number}", ip_address="203.0.113.8")
            if number % 1000 == 1:
                await asyncio.sleep(0)  # let the loop breathe, as a real app's would

    thread = threading.Thread(target=produce_sync)
    thread.start()
    asyncio.run(produce_async())
    thread.join()
    flushed = client.flush(timeout=120)

    stored = Counter(event.event_name for event in fake.custom_events())
    assert flushed and flushed.pending == 0
    assert len(stored) == EVENTS and set(stored.values()) == {1}  # all of them, none twice
    faults = fake.fault_counts
    assert faults.resets > 0 and set(faults.statuses) == {500, 503, 429}
    batches = sum(1 for request in fake.requests if request.url.endswith("/api/batch"))
    assert 0.2 < faults.total / max(batches, 1) < 0.4  # about 30% of the batch requests failed
    stats = client.delivery_stats()
    assert (stats.queued, stats.delivered, stats.rejected, stats.given_up, stats.dropped) == (EVENTS, EVENTS, 0, 0, 0)
    assert stats.retried > 0
