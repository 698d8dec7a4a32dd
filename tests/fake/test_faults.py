"""Faults on purpose, in process: which requests fail (seeded, by rate, by route), what is stored, the
answers (envelopes, Retry-After), resets and delays through FakeTransport, the counters, the batch cap."""

from __future__ import annotations

import asyncio
import email.utils
import json
import time
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import umami
import umami_core
from tests.fake.support import BASE, Raw
from umami_core import BROWSER_USER_AGENT, Request, Response
from umami_transports.fake import FakeTransport, FakeUmami, FaultCounts, Faults

HEARTBEAT = Request("GET", BASE + "/api/heartbeat")


def send_request(fake: FakeUmami, url: str = "/x", base: str = BASE, timeout: float | None = None) -> Request:
    body = json.dumps({"type": "event", "payload": {"website": fake.website_id, "url": url}}).encode()
    headers = (("User-Agent", BROWSER_USER_AGENT), ("Content-Type", "application/json"))
    return Request("POST", base + "/api/send", headers, body, timeout=timeout)


def outcome(transport: FakeTransport, request: Request) -> int | str:
    """The status of the answer, or "reset"."""
    try:
        return transport.send(request).status_code
    except umami_core.TransportError:
        return "reset"


def outcomes(faults: Faults, count: int) -> list[int | str]:
    transport = FakeTransport(FakeUmami(faults=faults))
    return [outcome(transport, HEARTBEAT) for _ in range(count)]


# -- which requests fail -------------------------------------------------------------------------


def test_the_same_seed_fails_the_same_requests() -> None:
    faults = Faults(rate=0.3, reset_rate=0.1, seed=3)
    first = outcomes(faults, 200)
    assert outcomes(faults, 200) == first
    assert {500, 503, 429, "reset", 200} == set(first)
    assert outcomes(Faults(rate=0.3, reset_rate=0.1, seed=4), 200) != first


def test_the_rates_hold_over_2000_requests() -> None:
    fake = FakeUmami(faults=Faults(rate=0.2, reset_rate=0.05, delay_rate=0.05, delay=0.0, seed=11))
    transport = FakeTransport(fake)
    seen = [outcome(transport, HEARTBEAT) for _ in range(2000)]
    counts = fake.fault_counts
    assert 340 <= sum(counts.statuses.values()) <= 460  # 400 expected
    assert all(100 <= counts.statuses[status] <= 167 for status in (500, 503, 429))  # a third each
    assert 70 <= counts.resets <= 130 and 70 <= counts.delays <= 130  # 100 each
    assert seen.count("reset") == counts.resets and seen.count(504) == counts.delays  # a late answer without after_store: 504
    assert seen.count(200) == 2000 - counts.total


def test_only_the_targeted_routes_fail_and_the_others_do_not_change_which() -> None:
    faults = Faults(rate=0.5, routes=("/api/send",), seed=9)
    alone, busy = FakeUmami(faults=faults), FakeUmami(faults=faults)
    alone_transport, busy_transport = FakeTransport(alone), FakeTransport(busy)
    sends_alone, sends_busy = [], []
    for number in range(40):
        sends_alone.append(outcome(alone_transport, send_request(alone, f"/{number}")))
        assert busy_transport.send(HEARTBEAT).status_code == 200
        sends_busy.append(outcome(busy_transport, send_request(busy, f"/{number}")))
    assert sends_busy == sends_alone and 10 < sends_alone.count(200) < 30
    assert len(busy.page_views()) == sends_alone.count(200)


@pytest.mark.parametrize(
    ("routes", "url", "fails"),
    [
        (("/api/send",), "https://cloud.umami.is/api/send", True),
        (("/api/websites",), "https://api.umami.is/v1/eu/websites", True),  # the route a Cloud path reaches
        (("/api/websites",), "http://umami.test/api/websites", True),
        (("/v1/*",), "https://api.umami.is/v1/websites", True),  # the Cloud path as sent
        (("/v1/*",), "http://umami.test/api/websites", False),
        (("/api/websites/*",), "https://api.umami.is/v1/us/websites/abc/stats", True),
        (("/api/websites/*",), "http://umami.test/api/websites", False),
        (("/api/batch", "/api/send"), "http://umami.test/api/heartbeat", False),
        (None, "http://umami.test/api/heartbeat", True),
    ],
)
def test_routes_match_paths_and_cloud_paths(routes: tuple[str, ...] | None, url: str, fails: bool) -> None:
    transport = FakeTransport(FakeUmami(faults=Faults(rate=1.0, statuses=(503,), routes=routes)))
    assert (transport.send(Request("GET", url)).status_code == 503) is fails


def test_max_faults_fails_the_first_ones_only_and_new_faults_start_again() -> None:
    fake = FakeUmami(faults=Faults(rate=1.0, statuses=(503,), max_faults=2))
    transport = FakeTransport(fake)
    assert [outcome(transport, HEARTBEAT) for _ in range(4)] == [503, 503, 200, 200]
    fake.faults = Faults(reset_rate=1.0, max_faults=1)
    assert [outcome(transport, HEARTBEAT) for _ in range(2)] == ["reset", 200]
    assert fake.fault_counts == FaultCounts({503: 2}, resets=1) and fake.fault_counts.total == 3  # counts add up across settings
    fake.faults = None
    assert fake.faults == Faults() and outcome(transport, HEARTBEAT) == 200
    fake.clear()
    assert fake.fault_counts == FaultCounts()


def test_handle_answers_without_faults() -> None:
    fake = FakeUmami(faults=Faults(rate=1.0))
    assert fake.handle(HEARTBEAT).status_code == 200 and fake.fault_counts.total == 0


# -- what is stored ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "faults", [Faults(rate=1.0), Faults(reset_rate=1.0), Faults(delay_rate=1.0, delay=0.01)], ids=["status", "reset", "delay"]
)
def test_a_fault_comes_before_processing_nothing_is_stored(faults: Faults) -> None:
    fake = FakeUmami(faults=faults)
    assert outcome(FakeTransport(fake), send_request(fake)) in (500, 503, 429, 504, "reset")
    assert fake.events() == [] and fake.sessions() == []
    assert len(fake.requests) == 1 and fake.fault_counts.total == 1  # received, failed, not processed


def test_after_store_the_event_is_stored_and_the_answer_fails() -> None:
    fake = FakeUmami(faults=Faults(rate=1.0, statuses=(500,), after_store=True))
    raw = Raw(fake)
    envelope = {"error": {"message": "Server error", "code": "server-error", "status": 500}}
    assert raw.send({"url": "/stored"}) == (500, envelope)
    fake.faults = Faults(reset_rate=1.0, after_store=True)
    with pytest.raises(umami_core.TransportError):
        raw.send({"url": "/stored-too"})
    fake.faults = Faults(delay_rate=1.0, delay=0.01, after_store=True)
    status, body = raw.send({"url": "/late"})
    assert status == 200 and "sessionId" in body  # the real answer, late
    assert [view.url_path for view in fake.page_views()] == ["/stored", "/stored-too", "/late"]


# -- the answers ---------------------------------------------------------------------------------


def fault_answer(status: int, **options: Any) -> Response:
    return FakeTransport(FakeUmami(faults=Faults(rate=1.0, statuses=(status,), **options))).send(HEARTBEAT)


def test_500_is_umamis_server_error_envelope() -> None:
    answer = fault_answer(500)
    assert json.loads(answer.body) == {"error": {"message": "Server error", "code": "server-error", "status": 500}}
    assert answer.header("content-type") == "application/json" and answer.header("retry-after") is None
    assert answer.header("access-control-allow-origin") == "*"  # Umami's own answer, CORS headers and all


@pytest.mark.parametrize(
    ("retry_after", "header"),
    [(1, "1"), (2.0, "2"), (0.5, "0.5"), ("Wed, 21 Oct 2026 07:28:00 GMT", "Wed, 21 Oct 2026 07:28:00 GMT"), (None, None)],
)
@pytest.mark.parametrize("status", [429, 503])
def test_429_and_503_carry_retry_after(status: int, retry_after: Any, header: str | None) -> None:
    answer = fault_answer(status, retry_after=retry_after)
    assert answer.status_code == status and answer.header("retry-after") == header
    assert answer.header("content-type") == "text/plain; charset=utf-8"
    assert answer.body == {429: b"429 Too Many Requests", 503: b"503 Service Unavailable"}[status]


def test_retry_after_as_an_http_date_from_now() -> None:
    answer = fault_answer(429, retry_after=timedelta(seconds=30))
    when = email.utils.parsedate_to_datetime(answer.header("retry-after") or "")
    assert timedelta(seconds=29) <= when - datetime.now(timezone.utc) <= timedelta(seconds=31)


def test_other_statuses_and_weights() -> None:
    assert (fault_answer(502).status_code, fault_answer(502).body) == (502, b"502 Bad Gateway")
    fake = FakeUmami(faults=Faults(rate=1.0, statuses=(503, 503, 503, 429)))
    transport = FakeTransport(fake)
    for _ in range(400):
        transport.send(HEARTBEAT)
    assert 250 <= fake.fault_counts.statuses[503] <= 350  # three in four


@pytest.mark.parametrize(
    "options",
    [{"rate": 1.5}, {"reset_rate": -0.1}, {"rate": 0.6, "delay_rate": 0.6}, {"statuses": (200,)}, {"rate": 0.1, "statuses": ()},
     {"delay": -1}, {"routes": ("api/send",)}, {"retry_after": -1}, {"retry_after": "1\r\nX-Evil: 1"}, {"max_faults": -1}],
)  # fmt: skip
def test_faults_refuse_what_makes_no_sense(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="Faults"):
        Faults(**options)


def test_routes_given_loosely_become_a_tuple() -> None:
    assert Faults(routes="/api/batch").routes == ("/api/batch",)  # type: ignore[arg-type]
    faults = Faults(routes=["/api/batch", "/api/send"], statuses=[503])  # type: ignore[arg-type]
    assert (faults.routes, faults.statuses) == (("/api/batch", "/api/send"), (503,)) and hash(faults)


# -- resets and delays in process ----------------------------------------------------------------


def test_a_reset_raises_transport_error_sync_and_async() -> None:
    transport = FakeTransport(FakeUmami(faults=Faults(reset_rate=1.0)))
    with pytest.raises(umami_core.TransportError, match="reset") as raised:
        transport.send(HEARTBEAT)
    assert isinstance(raised.value, ConnectionResetError)
    with pytest.raises(umami_core.TransportError, match="reset"):
        asyncio.run(transport.send_async(HEARTBEAT))


def test_a_delay_sleeps_and_an_async_one_awaits() -> None:
    transport = FakeTransport(FakeUmami(faults=Faults(delay_rate=1.0, delay=0.3, after_store=True)))
    started = time.monotonic()
    assert transport.send(HEARTBEAT).status_code == 200
    assert 0.3 <= time.monotonic() - started < 1.0

    async def two_at_once() -> list[int]:
        answers = await asyncio.gather(transport.send_async(HEARTBEAT), transport.send_async(HEARTBEAT))
        return [answer.status_code for answer in answers]

    started = time.monotonic()
    assert asyncio.run(two_at_once()) == [200, 200]
    assert 0.3 <= time.monotonic() - started < 0.55  # awaited side by side, not one sleep after the other


def test_a_delay_past_the_time_left_times_out() -> None:
    fake = FakeUmami(faults=Faults(delay_rate=1.0, delay=30.0))
    transport = FakeTransport(fake)
    started = time.monotonic()
    with pytest.raises(umami_core.TransportTimeoutError, match=r"within 0\.3 s"):
        transport.send(send_request(fake, timeout=0.3))
    with pytest.raises(umami_core.TransportTimeoutError):
        asyncio.run(transport.send_async(send_request(fake, timeout=0.3)))
    assert 0.6 <= time.monotonic() - started < 2.0 and fake.events() == []


def test_through_the_library_a_deadline_ends_a_delayed_send(umami_fake: FakeUmami) -> None:
    umami_fake.faults = Faults(delay_rate=1.0, delay=30.0, after_store=True, routes=("/api/send",))
    umami.set_limits(deadline=0.3)
    started = time.monotonic()
    with pytest.raises(umami.errors.TransportError):
        umami.new_event("signup")
    with pytest.raises(umami.errors.TransportError):
        asyncio.run(umami.new_event_async("signup"))
    assert time.monotonic() - started < 2.0
    assert len(umami_fake.custom_events(name="signup")) == 2  # stored, answer lost: what a retry would send twice


# -- the pytest marker ---------------------------------------------------------------------------


@pytest.mark.umami_fake(faults=Faults(rate=1.0, statuses=(503,), routes=("/api/send",), max_faults=1), batch_limit=2)
def test_the_marker_sets_faults_and_the_batch_limit(umami_fake: FakeUmami) -> None:
    with pytest.raises(umami.errors.APIError) as raised:
        umami.new_event("signup")
    assert raised.value.status_code == 503 and umami_fake.custom_events() == []
    assert "sessionId" in umami.new_event("signup") and len(umami_fake.custom_events()) == 1
    assert umami.heartbeat() and umami_fake.fault_counts == FaultCounts({503: 1})
    assert umami_fake.context.batch_limit == 2


# -- the batch cap -------------------------------------------------------------------------------


def batch(fake: FakeUmami, count: int) -> list[dict[str, Any]]:
    return [{"type": "event", "payload": {"website": fake.website_id, "url": f"/{number}"}} for number in range(count)]


def too_big(limit: int) -> dict[str, Any]:
    return {"error": {"message": "Bad request", "code": "bad-request", "status": 400,
                      "errors": [f"Too big: expected array to have <={limit} items"]}}  # fmt: skip


def test_the_batch_cap_refuses_a_longer_batch_and_stores_nothing_of_it() -> None:
    fake = FakeUmami(batch_limit=500)
    raw = Raw(fake)
    headers = {"User-Agent": BROWSER_USER_AGENT}
    assert raw.request("POST", "/api/batch", batch(fake, 501), headers) == (400, too_big(500))
    assert fake.events() == []
    status, body = raw.request("POST", "/api/batch", batch(fake, 500), headers)
    assert (status, body["processed"], len(fake.page_views())) == (200, 500, 500)


def test_the_batch_cap_reports_bad_items_too_and_is_off_by_default() -> None:
    fake = FakeUmami(batch_limit=2)
    raw = Raw(fake)
    status, body = raw.request("POST", "/api/batch", [1, {}, {}])
    assert status == 400 and body["error"]["errors"] == ["Too big: expected array to have <=2 items"]
    assert body["error"]["items"][0] == {"errors": ["Invalid input: expected record, received number"]}
    uncapped = FakeUmami()
    status, body = Raw(uncapped).request("POST", "/api/batch", batch(uncapped, 501), {"User-Agent": BROWSER_USER_AGENT})
    assert (status, body["processed"]) == (200, 501)  # 3.1 has no cap
