"""The pure decisions of background sending: batch items, how many go in a batch, what Umami's answer
means for each item (recorded answers of a real 3.1 server), when to try again. No thread, clock
or socket: the clock and the random numbers are arguments."""

from __future__ import annotations

import datetime
import email.utils
import json
from typing import Any

import pytest

import umami_core as core
from tests.core_driving import SITE, finish, first_request, json_response
from tests.recorded import response
from umami_core import Config, Response, TransportError, TransportTimeoutError, ValidationError
from umami_core.batching import (
    BatchOutcome,
    RetryPolicy,
    batch_item,
    give_up_reason,
    parse_retry_after,
    read_batch_answer,
    retry_delay,
    send_batch,
    take_batch,
)
from umami_core.sending import custom_event, page_view

CONFIG = Config(url_base="http://umami.test", website_id=SITE, hostname="example.com")
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"


def test_an_item_carries_its_visitor_and_the_moment_of_the_call() -> None:
    event = custom_event(CONFIG, "signup", ip_address="203.0.113.7", distinct_id="user-42", ua=CHROME, custom_data={"plan": "pro"})
    item = json.loads(batch_item(event, created=1_795_790_000.75))
    assert item["type"] == "event"
    payload = item["payload"]
    assert (payload["ip"], payload["id"], payload["userAgent"], payload["timestamp"]) == ("203.0.113.7", "user-42", CHROME, 1_795_790_000)
    assert (payload["name"], payload["data"], payload["website"]) == ("signup", {"plan": "pro"}, SITE)


def test_the_same_checks_as_a_send() -> None:
    with pytest.raises(ValidationError):
        page_view(CONFIG, "Home", "/", ua="bad\nagent")
    assert page_view(CONFIG, "Home", "/").payload == first_payload(core.new_page_view(CONFIG, "Home", "/"))


def first_payload(flow: Any) -> Any:
    return json.loads(first_request(flow).body or b"")["payload"]


@pytest.mark.parametrize(
    ("sizes", "max_items", "max_bytes", "taken"),
    [
        ([10] * 10, 4, 10_000, 4),
        ([10] * 10, 100, 10_000, 10),
        ([10] * 10, 100, 2 + 10 + 1 + 10, 2),  # "[a,b]" fits exactly, a third does not
        ([5000, 10], 100, 1000, 1),  # one item larger than the cap still goes, alone
        ([], 100, 1000, 0),
    ],
)
def test_take_batch_respects_items_and_bytes(sizes: list[int], max_items: int, max_bytes: int, taken: int) -> None:
    assert take_batch(sizes, max_items, max_bytes) == taken


def test_send_batch_posts_a_json_array_without_credentials_or_cache() -> None:
    config = Config(url_base="http://umami.test", token="tok-SECRET")
    items = [batch_item(page_view(CONFIG, "A", "/a"), 1.0), batch_item(page_view(CONFIG, "B", "/b"), 2.0)]
    flow = send_batch(config, items)
    request = first_request(flow)
    assert (request.method, request.url) == ("POST", "http://umami.test/api/batch")
    assert [item["payload"]["url"] for item in json.loads(request.body or b"")] == ["/a", "/b"]
    assert request.header("authorization") is None and request.header("x-umami-cache") is None
    assert request.header("content-type") == "application/json"
    assert finish(flow, response("065_batch_ok")) == BatchOutcome()


def test_cloud_batches_go_beside_cloud_sends() -> None:
    flow = send_batch(Config(api_key="k", website_id=SITE), [b"{}"])
    assert first_request(flow).url == "https://cloud.umami.is/api/batch"


def test_a_recorded_mixed_answer_rejects_the_invalid_items_with_the_servers_reason() -> None:
    outcome = read_batch_answer(response("066_batch_mixed_errors"), 4)
    assert [index for index, _ in outcome.rejected] == [1, 2, 3]
    reasons = dict(outcome.rejected)
    assert "payload.website: Invalid UUID" in reasons[1]
    assert "payload.name: Too big" in reasons[2]
    assert reasons[3].startswith("400: Website not found.")
    assert outcome.retry == () and outcome.delivered(4) == [0]


def test_an_item_that_failed_with_a_server_error_is_retried_alone() -> None:
    failure = {"error": {"message": "Server error", "code": "server-error", "status": 500}}
    answer = {"size": 3, "processed": 2, "errors": 1, "details": [{"index": 2, "response": failure}]}
    outcome = read_batch_answer(json_response(answer), 3)
    assert (outcome.retry, outcome.rejected, outcome.delivered(3)) == ((2,), (), [0, 1])
    assert outcome.reason == "500: Server error (server-error)"


@pytest.mark.parametrize(
    ("details", "expected_retry"),
    [
        ([{"index": 7, "response": {}}, {"index": -1}, {"index": True}, "junk"], ()),  # nothing usable: all delivered
        ([{"index": 0, "response": "not an envelope"}], (0,)),  # a failure without a reason: tried again
    ],
)
def test_odd_details_never_escape(details: list[Any], expected_retry: tuple[int, ...]) -> None:
    outcome = read_batch_answer(json_response({"size": 2, "details": details}), 2)
    assert outcome.retry == expected_retry and outcome.rejected == ()


@pytest.mark.parametrize("status", [408, 425, 429, 500, 502, 503, 504])
def test_a_whole_batch_failure_is_retried_with_the_servers_retry_after(status: int) -> None:
    outcome = read_batch_answer(Response(status, (("Retry-After", "7"),), b"Service Unavailable"), 3)
    assert outcome.retry == (0, 1, 2) and outcome.retry_after == "7" and outcome.rejected == ()
    assert outcome.reason.startswith(f"{status}: ")


def test_a_too_large_batch_is_split_and_a_too_large_event_rejected() -> None:
    assert read_batch_answer(Response(413), 4).split
    assert read_batch_answer(Response(413), 1).rejected[0][0] == 0


@pytest.mark.parametrize(("status", "case"), [(400, "069_batch_not_a_list"), (404, None)])
def test_a_refused_batch_is_rejected_whole_with_the_reason(status: int, case: str | None) -> None:
    answer = response(case) if case else Response(404, body=b"<!DOCTYPE html><html>404</html>")
    outcome = read_batch_answer(answer, 2)
    assert [index for index, _ in outcome.rejected] == [0, 1] and outcome.retry == ()
    assert outcome.rejected[0][1].startswith(f"{status}: ")


def test_a_2xx_without_details_means_taken() -> None:
    assert read_batch_answer(Response(200, body=b"<html>ok</html>"), 3).delivered(3) == [0, 1, 2]


@pytest.mark.parametrize("failure", [TransportError("connection reset"), TransportTimeoutError("no answer")])
def test_a_transport_failure_is_an_outcome_not_an_exception(failure: Exception) -> None:
    flow = send_batch(CONFIG, [b"{}", b"{}"])
    first_request(flow)
    try:
        flow.throw(failure)
    except StopIteration as done:
        outcome = done.value
    assert outcome.retry == (0, 1) and type(failure).__name__ in outcome.reason


def test_a_redirect_refused_is_an_outcome_too() -> None:
    flow = send_batch(CONFIG, [b"{}"])
    first_request(flow)
    assert finish(flow, Response(302, (("Location", "http://x\\@y/"),))).retry == (0,)


# -- retries ---------------------------------------------------------------------------------------

POLICY = RetryPolicy(max_attempts=5, max_age=3600, base_delay=0.5, max_delay=8.0, max_retry_after=120)
NOW = 1_795_790_000.0


@pytest.mark.parametrize(("attempt", "random", "delay"), [(1, 0.5, 0.25), (2, 0.5, 0.5), (3, 0.99, 1.98), (10, 1.0, 8.0), (2, 0.0, 0.0)])
def test_backoff_is_exponential_with_full_jitter_and_a_cap(attempt: int, random: float, delay: float) -> None:
    assert retry_delay(POLICY, attempt, random, None, NOW) == pytest.approx(delay)


def test_retry_after_is_a_minimum_in_seconds_or_as_a_date_and_is_capped() -> None:
    assert retry_delay(POLICY, 1, 0.5, "30", NOW) == 30
    in_a_minute = email.utils.format_datetime(datetime.datetime.fromtimestamp(NOW + 60, datetime.timezone.utc), usegmt=True)
    assert retry_delay(POLICY, 1, 0.5, in_a_minute, NOW) == pytest.approx(60)
    assert retry_delay(POLICY, 1, 0.5, "86400", NOW) == 120
    assert retry_delay(POLICY, 4, 0.9, "1", NOW) == pytest.approx(3.6)  # the backoff is longer: it wins


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1e3", "99999999999", "Wed, 21 Oct 2015 07:28:00", "٣"])
def test_a_retry_after_that_says_nothing_usable_is_ignored(value: str | None) -> None:
    assert parse_retry_after(value, NOW) is None


def test_a_retry_after_date_in_the_past_means_now() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", NOW) == 0.0


def test_give_up_after_the_attempts_or_the_age() -> None:
    assert give_up_reason(POLICY, 4, NOW - 10, NOW) is None
    assert give_up_reason(POLICY, 5, NOW - 10, NOW) == "gave up after 5 attempts"
    assert "max_age" in (give_up_reason(POLICY, 1, NOW - 3600, NOW) or "")


@pytest.mark.parametrize("bad", [{"max_attempts": 0}, {"max_attempts": 1.5}, {"base_delay": -1}, {"max_age": float("nan")}])
def test_a_policy_that_makes_no_sense_is_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        RetryPolicy(**bad)
