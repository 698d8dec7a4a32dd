"""What the core makes of hostile or broken answers: no bare Python exception ever leaves a flow,
paging always ends, error messages stay short, a Location is followed only when every transport
would read it the same way, a token stays with its server, and bodies are read in bounded memory."""

from __future__ import annotations

import gzip
import json
import logging
import pickle
import tracemalloc
import zlib
from typing import Any

import pytest

import umami_core as core
from tests.core_driving import SITE, finish, first_request, json_response
from umami_core import APIError, Config, Limits, OperationNotAllowedError, Request, Response, UnexpectedResponseError, ValidationError
from umami_core.body import BodyReader
from umami_core.exchange import api_error, exchange

CONFIG = Config(url_base="http://umami.test", website_id=SITE, token="tok-SECRET-7")
NESTED = b"[" * 100_000 + b"]" * 100_000


def site(number: int) -> dict[str, Any]:
    return {"id": f"00000000-0000-4000-8000-{number:012d}", "name": f"Site {number}"}


def page(numbers: range, count: int, page_size: int = 100) -> Response:
    return json_response({"data": [site(n) for n in numbers], "count": count, "page": 1, "pageSize": page_size})


# -- answers that used to escape as bare Python exceptions ---------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        NESTED,  # RecursionError in json
        b'{"visitors": 1e400}',  # OverflowError in int(inf)
        b'{"visitors": -3}',
        b'{"visitors": 2.5}',
        b'{"visitors": "\xd9\xa3"}',  # an Arabic-Indic digit: isdigit() but not a count
        b'{"visitors": ' + b"9" * 5000 + b"}",  # past Python's int digits limit
        b'{"visitors": true}',
    ],
    ids=["deeply-nested", "1e400", "negative", "fraction", "non-ascii-digit", "5000-digits", "bool"],
)
def test_active_users_turns_any_bad_count_into_unexpected_response(body: bytes) -> None:
    flow = core.active_users(CONFIG)
    first_request(flow)
    with pytest.raises(UnexpectedResponseError):
        flow.send(Response(200, body=body))


@pytest.mark.parametrize("count", ["3", 3.0, 3])
def test_active_users_accepts_a_whole_count_in_any_form(count: Any) -> None:
    flow = core.active_users(CONFIG)
    first_request(flow)
    assert finish(flow, json_response({"visitors": count})) == 3


@pytest.mark.parametrize(
    "stats",
    [
        {"pageviews": -1, "visitors": 0, "visits": 0, "bounces": 0, "totaltime": 0},
        {"pageviews": 1e400, "visitors": 0, "visits": 0, "bounces": 0, "totaltime": 0},
        {"pageviews": 1, "visitors": 0, "visits": 0, "bounces": 0, "totaltime": 0,
         "comparison": {"pageviews": 0, "visitors": -5, "visits": 0, "bounces": 0, "totaltime": 0}},
    ],
    ids=["negative", "overflow", "negative-comparison"],
)  # fmt: skip
def test_stats_out_of_range_are_unexpected_responses(stats: dict[str, Any]) -> None:
    import datetime

    now = datetime.datetime.now(datetime.timezone.utc)
    flow = core.website_stats(CONFIG, now - datetime.timedelta(days=1), now)
    first_request(flow)
    with pytest.raises(UnexpectedResponseError):
        flow.send(Response(200, body=json.dumps(stats).encode()))


def test_a_deeply_nested_error_answer_is_an_api_error() -> None:
    error = api_error(Request("GET", "http://umami.test/api/x"), Response(500, body=NESTED))
    assert error.status_code == 500 and len(error.message) < 300


def test_a_deep_zod_tree_gives_a_bounded_list_of_details() -> None:
    tree: dict[str, Any] = {"errors": ["bad"]}
    for level in range(200):
        tree = {"errors": [f"level {level}"] * 50, "properties": {"x": tree}}
    body = json.dumps({"error": {"message": "Bad request", "code": "bad-request", **tree}}).encode()
    error = api_error(Request("POST", "http://umami.test/api/send"), Response(400, body=body))
    assert 0 < len(error.details) <= 20 and len(str(error)) < 6000


# -- error messages quote a short prefix ---------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [b"x" * 1_000_000, json.dumps({"error": {"message": "m" * 1_000_000}}).encode(), json.dumps({"error": "e" * 1_000_000}).encode()],
    ids=["plain-text", "envelope-message", "string-envelope"],
)
def test_an_error_message_quotes_at_most_a_short_prefix(body: bytes) -> None:
    error = api_error(Request("GET", "http://umami.test/api/x"), Response(502, body=body))
    assert len(error.message) <= 210 and len(str(error)) < 400


def test_a_truncated_error_answer_says_so() -> None:
    request = Request("GET", "http://umami.test/api/x", max_body=1024)
    error = api_error(request, Response(500, body=b"<html>" + b"x" * 1018, truncated=True))
    assert "HTML page" in error.message and "over the 1024 bytes size limit" in error.message


def test_a_truncated_success_is_unexpected_and_names_the_limit() -> None:
    flow = core.active_users(CONFIG)
    first_request(flow)
    with pytest.raises(UnexpectedResponseError, match="larger than the 2048 bytes limit"):
        flow.send(Response(200, body=b'{"visitors": ' + b"1" * 2035, truncated=True))


# -- websites() always ends ------------------------------------------------------------------------


def test_websites_stops_on_a_page_that_repeats() -> None:
    flow = core.websites(CONFIG)
    first_request(flow)
    flow.send(page(range(100), count=10**12))
    assert [w.name for w in finish(flow, page(range(100), count=10**12))][-1] == "Site 99"


def test_websites_stops_on_a_short_page() -> None:
    flow = core.websites(CONFIG)
    first_request(flow)
    second = flow.send(page(range(100), count=10**12))
    assert "page=2" in second.url
    assert len(finish(flow, page(range(100, 150), count=10**12))) == 150


def test_websites_stops_at_the_page_cap_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    flow = core.websites(Config(url_base="http://umami.test", token="t", limits=Limits(max_pages=3)))
    first_request(flow)
    flow.send(page(range(0, 100), count=10**12))
    flow.send(page(range(100, 200), count=10**12))
    with caplog.at_level(logging.WARNING, logger="umami"):
        found = finish(flow, page(range(200, 300), count=10**12))
    assert len(found) == 300
    assert "stopped after 3 pages" in caplog.text and "max_pages" in caplog.text


def test_websites_refuses_a_negative_count() -> None:
    flow = core.websites(CONFIG)
    first_request(flow)
    with pytest.raises(UnexpectedResponseError):
        flow.send(page(range(3), count=-1))


# -- redirects: only a Location every transport reads the same way ----------------------------


WITH_TOKEN = Request("GET", "http://127.0.0.1:8000/api/websites", (("Authorization", "Bearer tok-SECRET-7"),))


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.2:8000\\@127.0.0.1:8000/api/websites",  # requests connects to 127.0.0.2; urllib reads 127.0.0.1
        "https://evil.example\\@api.umami.is/v1/websites",
        "http://127.0.0.1:99999/api/websites",  # a port out of range: ValueError in urllib
        "http://127.0.0.1:8o/api/websites",
        "http://user:pw@127.0.0.1:8000/api/websites",
        "http://127.0.0.1:8000/api/web sites",
        "http://127.0.0.1:8000/api/websites\r\nX-Injected: 1",
        "http://127.0.0.1:8000/api/wébsites",
        "ftp://127.0.0.1/api/websites",
        "http:///api/websites",
    ],
    ids=["backslash-userinfo", "backslash-cloud", "port-out-of-range", "port-not-a-number", "user-info", "space", "crlf", "non-ascii",
         "ftp", "no-host"],
)  # fmt: skip
def test_an_ambiguous_or_bad_location_is_refused_never_followed(location: str) -> None:
    flow = exchange(WITH_TOKEN)
    next(flow)
    with pytest.raises(APIError, match="refused to follow a redirect") as caught:
        flow.send(Response(302, (("Location", location),)))
    assert caught.value.status_code == 302 and "SECRET" not in str(caught.value)


def test_more_than_five_redirects_names_the_original_method() -> None:
    flow = exchange(Request("POST", "http://umami.test/api/send", body=b"{}"))
    next(flow)
    with pytest.raises(APIError, match="more than 5 redirects") as caught:
        for _ in range(10):
            flow.send(Response(302, (("Location", "/again"),)))
    assert caught.value.method == "POST" and "to POST http://umami.test/api/send" in str(caught.value)


# -- a token belongs to its server ------------------------------------------------------------------


def test_a_token_is_not_sent_to_another_server() -> None:
    moved = CONFIG.with_url_base("http://other.test")
    assert not moved.has_credential and moved.usable_token is None
    with pytest.raises(OperationNotAllowedError):
        next(core.active_users(moved))
    assert first_request(core.heartbeat(moved)).header("authorization") is None
    back = moved.with_url_base("http://umami.test/")
    assert first_request(core.active_users(back)).header("authorization") == "Bearer tok-SECRET-7"


def test_a_login_token_that_cannot_travel_in_a_header_is_refused_unquoted() -> None:
    flow = core.login(Config(url_base="http://umami.test"), "admin", "pw")
    first_request(flow)
    answer = {"token": "tok-SECRET-\u200b-8", "user": {"id": "u", "username": "admin", "role": "admin"}}
    with pytest.raises(UnexpectedResponseError, match="cannot be sent in a header") as caught:
        flow.send(json_response(answer))
    assert "SECRET" not in str(caught.value)


# -- bounded reading ----------------------------------------------------------------------------------


def test_a_gzip_bomb_is_read_in_bounded_memory() -> None:
    bomb = gzip.compress(b"\0" * 200_000_000, compresslevel=9)  # 200 MB in about 200 KB
    tracemalloc.start()
    try:
        reader = BodyReader("gzip", 1_000_000)
        for start in range(0, len(bomb), 65536):
            if not reader.feed(bomb[start : start + 65536]):
                break
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert reader.truncated and len(reader.body) == 1_000_000
    assert peak < 5_000_000


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send it
        ("identity", lambda data: data),
        ("br", lambda data: data),  # never asked for: kept as received
    ],
    ids=["gzip", "zlib-deflate", "raw-deflate", "identity", "unknown"],
)
def test_bodies_decode_whole_under_the_limit(encoding: str, encode: Any) -> None:
    data = json.dumps({"data": [site(n) for n in range(500)]}).encode()
    reader = BodyReader(encoding, len(data))
    encoded = encode(data)
    for start in range(0, len(encoded), 1000):
        assert reader.feed(encoded[start : start + 1000])
    assert (reader.body, reader.truncated) == (data, False)


def test_two_gzip_members_decode_as_one_body() -> None:
    reader = BodyReader("gzip", 100)
    reader.feed(gzip.compress(b'{"visitors":') + gzip.compress(b" 3}") + b"\0\0")
    assert reader.body == b'{"visitors": 3}'


def test_a_corrupt_gzip_body_is_an_unexpected_response() -> None:
    with pytest.raises(UnexpectedResponseError, match="could not be decompressed"):
        BodyReader("gzip", 100).feed(b"\x1f\x8bnot gzip at all")


# -- limits and errors as values ----------------------------------------------------------------------


@pytest.mark.parametrize("bad", [{"deadline": 0}, {"deadline": float("inf")}, {"deadline": True}, {"max_body": 0}, {"max_pages": -1},
                                 {"max_pages": 1.5}])  # fmt: skip
def test_limits_refuse_values_that_bound_nothing(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Limits(**bad)


def test_api_errors_pickle_with_every_attribute() -> None:
    error = api_error(WITH_TOKEN, json_response({"error": {"message": "Unauthorized", "code": "unauthorized"}}, 401))
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is APIError
    assert (copy.status_code, copy.message, copy.code, str(copy)) == (401, "Unauthorized", "unauthorized", str(error))
    assert copy.umami_request is not None and copy.umami_request.header("authorization") is None
