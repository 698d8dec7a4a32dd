"""Send inputs: each case that escaped as a bare Python error, or reached the wire in a form Umami
refuses or fails on, is now a ValidationError before any request; values with an obvious JSON form
are converted the way Umami stores them. Calls go through ``umami.Client`` over a MockTransport whose
handler checks every request (tests/test_inputs_wire.py)."""

from __future__ import annotations

import asyncio
import datetime
import decimal
import json
import math
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

import umami
from tests.test_inputs_wire import UmamiWire
from umami.errors import ValidationError
from umami_core import BROWSER_USER_AGENT
from umami_transports import MockTransport

SITE = "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


class Setup:
    def __init__(self) -> None:
        self.wire = UmamiWire()
        self.transport = MockTransport(self.wire)
        self.client = umami.Client(transport=self.transport)
        self.client.set_url_base("http://127.0.0.1:3000")
        self.client.set_website_id(SITE)
        self.client.set_hostname("example.com")

    def payload(self) -> dict[str, Any]:
        (request,) = self.transport.requests
        assert self.wire.problems == []
        body = request.body
        assert body is not None
        return json.loads(body)["payload"]  # type: ignore[no-any-return]


@pytest.fixture
def setup() -> Iterator[Setup]:
    made = Setup()
    yield made
    made.client.close()


def deep(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(levels):
        value = {"k": value}
    return value


REFUSED: list[tuple[str, dict[str, Any], str]] = [
    # bare Python errors before
    ("new_revenue_event", {"revenue": 10**400}, "below 10\\*\\*15"),  # OverflowError in math.isfinite
    ("new_event", {"event_name": "e", "distinct_id": 10**5000}, "at most 50"),  # ValueError of int -> str
    ("new_page_view", {"page_title": "T", "url": "/", "distinct_id": -(10**5000)}, "at most 50"),
    ("new_event", {"event_name": "e", "custom_data": deep(2000)}, "nests deeper than 32"),  # RecursionError in json
    ("new_event", {"event_name": "e", "url": "http://[::1"}, "url is not a valid URL"),  # ValueError of urlsplit
    ("new_page_view", {"page_title": "T", "url": "/", "referrer": "//[::1"}, "referrer is not a valid URL"),
    # Umami refuses (400): counted in UTF-16 code units as zod counts them
    ("new_event", {"event_name": "😀" * 26}, "at most 50 characters.*got 52"),
    ("new_event", {"event_name": "e", "language": "😀" * 18}, "language must be at most 35"),
    ("new_event", {"event_name": "e", "screen": "😀" * 6}, "screen must be at most 11"),
    ("new_event", {"event_name": "e", "hostname": "h" * 101}, "hostname must be at most 100"),
    ("new_event", {"event_name": "e", "url": "http://"}, "host of url"),
    ("new_event", {"event_name": "e", "referrer": "https://exa mple.com/"}, "host of referrer"),
    # the hostname is the base of new URL(url, 'https://' + hostname): anything else fails (500)
    ("new_event", {"event_name": "e", "hostname": "https://example.com"}, "drop the scheme"),
    ("new_event", {"event_name": "e", "hostname": "example.com/shop"}, "without a path"),
    ("new_event", {"event_name": "e", "hostname": "exa mple.com"}, "spaces"),
    ("new_event", {"event_name": "e", "hostname": "example.com\r\n"}, "line breaks"),
    ("new_event", {"event_name": "e", "hostname": "example.com:65536"}, "port"),
    ("new_event", {"event_name": "e", "hostname": "example.com:0"}, "port"),
    ("new_event", {"event_name": "e", "hostname": "example.1"}, "IPv4"),
    ("new_event", {"event_name": "e", "hostname": "2001:db8::1"}, "brackets"),
    ("new_event", {"event_name": "e", "hostname": "bücher.de"}, "punycode"),
    # PostgreSQL cannot store NUL, also not the one Umami decodes from '%00' in titles and URLs (500)
    ("new_event", {"event_name": "e\x00"}, "NUL"),
    ("new_event", {"event_name": "a%00b"}, "%00"),  # the name is the title, which Umami decodes
    ("new_event", {"event_name": "e", "title": "a%00b"}, "%00"),
    ("new_page_view", {"page_title": "T", "url": "/a%00"}, "%00"),
    ("new_page_view", {"page_title": "T", "url": "/", "language": "en\x00"}, "NUL"),
    ("new_page_view", {"page_title": "T", "url": "/", "distinct_id": "u\x00"}, "NUL"),
    # utm/click ids go to VARCHAR(255) columns untruncated (500)
    ("new_page_view", {"page_title": "T", "url": "/?utm_source=" + "s" * 256}, "utm_source"),
    ("new_page_view", {"page_title": "T", "url": "/?gclid=" + "g" * 256}, "gclid"),
    # unpaired surrogates cannot be encoded (UnicodeEncodeError, reported as a custom_data problem before)
    ("new_event", {"event_name": "e", "title": "\ud800"}, "title contains an unpaired surrogate"),
    ("new_event", {"event_name": "e", "hostname": "ex\udfffample.com"}, "hostname contains an unpaired surrogate"),
    ("new_event", {"event_name": "e", "custom_data": {"k": "\ud800"}}, "unpaired surrogate"),
    ("new_event", {"event_name": "e", "custom_data": {"\ud800": 1}}, "unpaired surrogate"),
    # the visitor's User-Agent becomes a header value
    ("new_page_view", {"page_title": "T", "url": "/", "ua": "Mozilla/5.0\r\nX-Evil: 1"}, "printable ASCII"),
    ("new_page_view", {"page_title": "T", "url": "/", "ua": "Mozilla/5.0 (Linux; Android 14; Pixel\u2009 8)"}, "U\\+2009"),
    ("new_page_view", {"page_title": "T", "url": "/", "ua": "x" * 1025}, "at most 1024"),
    ("new_page_view", {"page_title": "T", "url": "/", "ua": None}, "ua must be a string"),
    # ip_address is an address
    ("new_page_view", {"page_title": "T", "url": "/", "ip_address": "not-an-ip"}, "IPv4 or IPv6"),
    ("new_page_view", {"page_title": "T", "url": "/", "ip_address": "203.0.113.7:443"}, "IPv4 or IPv6"),
    ("new_page_view", {"page_title": "T", "url": "/", "ip_address": "fe80::1%eth0"}, "zone"),
    ("new_page_view", {"page_title": "T", "url": "/", "ip_address": 2130706433}, "must be a string"),
    # distinct ids go to VARCHAR(50), counted in characters
    ("new_event", {"event_name": "e", "distinct_id": "😀" * 51}, "at most 50"),
    ("new_event", {"event_name": "e", "distinct_id": 10**50}, "at most 50"),
    # custom_data as Umami stores it: VARCHAR(500) texts and dotted keys, NUMERIC(19, 4), valid dates (500 after saving)
    ("new_event", {"event_name": "e", "custom_data": {"s": "x" * 501}}, "501 characters"),
    ("new_event", {"event_name": "e", "custom_data": {"a": {"b": {"c": "x" * 501}}}}, "501 characters"),
    ("new_event", {"event_name": "e", "custom_data": {"a" * 300: {"b" * 200: 1}}}, "joined with dots"),
    ("new_event", {"event_name": "e", "custom_data": {"tags": ["tag"] * 100}}, "as JSON"),
    ("new_event", {"event_name": "e", "custom_data": {"big": [1e16] * 28}}, "as JSON"),  # 17 characters each in JavaScript
    ("new_event", {"event_name": "e", "custom_data": {"n": 10**15}}, "NUMERIC"),
    ("new_event", {"event_name": "e", "custom_data": {"n": -1.5e15}}, "NUMERIC"),
    ("new_event", {"event_name": "e", "custom_data": {"n": [2**53 + 1]}}, "2\\*\\*53"),
    ("new_event", {"event_name": "e", "custom_data": {"when": "2026-13-01T00:00:00"}}, "not a\\s+valid"),
    ("new_event", {"event_name": "e", "custom_data": {"when": "2026-02-30T10:00:00.000Z"}}, "not a\\s+valid"),
    ("new_event", {"event_name": "e", "custom_data": {"when": "2026-01-01T10:00:00.000+24:00"}}, "not a\\s+valid"),
    ("new_event", {"event_name": "e", "custom_data": {"x": "\x00"}}, "NUL"),
    # custom_data that is not JSON
    ("new_event", {"event_name": "e", "custom_data": {1: "a", "1": "b"}}, "keys must be strings"),
    ("new_event", {"event_name": "e", "custom_data": {None: "a"}}, "keys must be strings"),
    ("new_event", {"event_name": "e", "custom_data": {"x": math.inf}}, "no NaN or infinity"),
    ("new_event", {"event_name": "e", "custom_data": {"x": [math.nan]}}, "no NaN or infinity"),
    ("new_event", {"event_name": "e", "custom_data": {"x": decimal.Decimal("NaN")}}, "no NaN or infinity"),
    ("new_event", {"event_name": "e", "custom_data": {"x": decimal.Decimal("sNaN")}}, "no NaN or infinity"),
    ("new_event", {"event_name": "e", "custom_data": {"x": decimal.Decimal("1e400")}}, "too large"),
    ("new_event", {"event_name": "e", "custom_data": {"x": b"bytes"}}, "a bytes, which JSON cannot carry"),
    ("new_event", {"event_name": "e", "custom_data": {"x": datetime.datetime.min.replace(tzinfo=datetime.timezone.max)}}, "UTC"),
    # revenue and currency: Umami's revenue row is NUMERIC(19, 4) and VARCHAR(10)
    ("new_revenue_event", {"revenue": 10**15}, "below 10\\*\\*15"),
    ("new_revenue_event", {"revenue": 1e300}, "below 10\\*\\*15"),
    ("new_revenue_event", {"revenue": decimal.Decimal("Infinity")}, "finite"),
    ("new_revenue_event", {"revenue": decimal.Decimal("-1")}, ">= 0"),
    ("new_revenue_event", {"revenue": 5, "currency": "US Dollar"}, "three-letter"),
    ("new_revenue_event", {"revenue": 5, "currency": "€€€"}, "three-letter"),
    ("new_revenue_event", {"revenue": 5, "currency": 840}, "non-empty string"),
    ("new_event", {"event_name": "e", "custom_data": {"revenue": 5, "currency": "x" * 11}}, "three-letter"),
    ("new_event", {"event_name": "e", "custom_data": {"revenue": 5 * 10**15, "currency": "USD"}}, "below 10\\*\\*15"),
]


@pytest.mark.parametrize(("name", "arguments", "message"), REFUSED, ids=[f"{name}-{index}" for index, (name, _, _) in enumerate(REFUSED)])
def test_refused_before_any_request(setup: Setup, name: str, arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        getattr(setup.client, name)(**arguments)
    assert setup.transport.requests == []


def test_refused_the_same_way_while_tracking_is_disabled(setup: Setup) -> None:
    setup.client.disable()
    with pytest.raises(ValidationError, match="at most 50"):
        setup.client.new_event("😀" * 26)
    assert setup.client.new_event("😀" * 25) == {}
    assert setup.transport.requests == []


@pytest.mark.parametrize(
    ("arguments", "sent"),
    [
        ({"event_name": "😀" * 25}, {"name": "😀" * 25}),  # 50 UTF-16 code units: accepted
        ({"event_name": "e", "distinct_id": "😀" * 50}, {"id": "😀" * 50}),  # 50 characters in PostgreSQL
        ({"event_name": "e", "hostname": "Shop.Example.com:8443"}, {"hostname": "Shop.Example.com:8443"}),
        ({"event_name": "e", "hostname": "[2001:db8::1]:8080"}, {"hostname": "[2001:db8::1]:8080"}),
        ({"event_name": "e", "hostname": "203.0.113.7"}, {"hostname": "203.0.113.7"}),
        ({"event_name": "e", "hostname": "localhost"}, {"hostname": "localhost"}),
        ({"event_name": "e", "website_id": SITE.upper()}, {"website": SITE}),
        ({"event_name": "e", "ip_address": " 2001:db8::1 "}, {"ip": "2001:db8::1"}),
        ({"event_name": "e", "ip_address": "203.0.113.7"}, {"ip": "203.0.113.7"}),
        ({"event_name": "e", "url": "/p?utm_source=" + "s" * 255, "referrer": "https://news.example.org/a?b=c"}, {"referrer": "https://news.example.org/a?b=c"}),
        ({"event_name": "e", "url": "https://shop.example.com/checkout#pay"}, {"url": "https://shop.example.com/checkout#pay"}),
        ({"event_name": "e", "title": "100% off"}, {"title": "100% off"}),
        ({"event_name": "e", "distinct_id": 10**49}, {"id": "1" + "0" * 49}),
    ],
)  # fmt: skip
def test_values_within_the_limits_are_sent(setup: Setup, arguments: dict[str, Any], sent: dict[str, Any]) -> None:
    setup.client.new_event(**arguments)
    payload = setup.payload()
    assert {key: payload.get(key) for key in sent} == sent


def test_custom_data_is_converted_the_way_umami_stores_values(setup: Setup) -> None:
    when = datetime.datetime(2026, 5, 14, 12, 37, 12, 345678, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    order = uuid.UUID("978435E2-7BA1-4337-9860-EC31ECE2DB60")
    setup.client.new_event(
        "checkout",
        custom_data={
            "when": when, "day": datetime.date(2026, 5, 14), "price": decimal.Decimal("19.99"), "order": order,
            "pair": (1, 2), "nested": {"at": when, "amounts": [decimal.Decimal("0.5")]}, "plain": "2026-05-14",
        },
    )  # fmt: skip
    assert setup.payload()["data"] == {
        "when": "2026-05-14T10:37:12.345Z",  # UTC with milliseconds: Umami's DATETIME_REGEX makes it a date
        "day": "2026-05-14T00:00:00.000Z",
        "price": 19.99,
        "order": "978435e2-7ba1-4337-9860-ec31ece2db60",
        "pair": [1, 2],
        "nested": {"at": "2026-05-14T10:37:12.345Z", "amounts": [0.5]},
        "plain": "2026-05-14",
    }


def test_a_naive_datetime_in_custom_data_is_local_time(setup: Setup) -> None:
    naive = datetime.datetime(2026, 5, 14, 10, 37, 12)
    setup.client.new_event("e", custom_data={"when": naive})
    expected = naive.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert setup.payload()["data"] == {"when": expected}


def test_custom_data_at_the_storage_limits_is_sent(setup: Setup) -> None:
    data = {"s": "😀" * 500, "k" * 248: {"j" * 251: 1}, "n": 999_999_999_999_999, "l": ["x" * 496], "d": "2026-05-14T10:37:12.000+02:00"}
    setup.client.new_event("e", custom_data=data)
    assert setup.payload()["data"] == data


def test_revenue_decimal_is_a_number_and_currency_upper_case(setup: Setup) -> None:
    setup.client.new_revenue_event(decimal.Decimal("19.99"), " eur ")
    assert setup.payload()["data"] == {"revenue": 19.99, "currency": "EUR"}


def test_revenue_and_currency_in_new_event_data_are_checked_as_revenue(setup: Setup) -> None:
    setup.client.new_event("purchase", custom_data={"revenue": decimal.Decimal("5"), "currency": "usd", "plan": "pro"})
    assert setup.payload()["data"] == {"revenue": 5.0, "currency": "USD", "plan": "pro"}


def test_a_big_integer_revenue_below_the_limit_is_sent_exactly(setup: Setup) -> None:
    setup.client.new_revenue_event(999_999_999_999_999)
    assert setup.payload()["data"]["revenue"] == 999_999_999_999_999


@pytest.mark.parametrize("name", ["new_event", "new_revenue_event"])
def test_events_and_revenue_carry_the_visitors_user_agent(setup: Setup, name: str) -> None:
    arguments: dict[str, Any] = {"event_name": "e"} if name == "new_event" else {"revenue": 5}
    getattr(setup.client, name)(**arguments, ua=FIREFOX)
    (request,) = setup.transport.requests
    assert request.header("user-agent") == FIREFOX


def test_the_user_agent_of_events_defaults_to_a_browser_and_is_stripped(setup: Setup) -> None:
    setup.client.new_event("e")
    setup.client.new_event("e", ua=f"  {FIREFOX} ")
    assert [request.header("user-agent") for request in setup.transport.requests] == [BROWSER_USER_AGENT, FIREFOX]


@pytest.mark.parametrize("name", ["new_event_async", "new_revenue_event_async"])
def test_the_async_twins_take_the_user_agent_too(setup: Setup, name: str) -> None:
    arguments: dict[str, Any] = {"event_name": "e"} if name == "new_event_async" else {"revenue": 5}

    async def calls() -> None:
        await getattr(setup.client, name)(**arguments, ua=FIREFOX)
        with pytest.raises(ValidationError, match="printable ASCII"):
            await getattr(setup.client, name)(**arguments, ua="Firefox\n")

    asyncio.run(calls())
    assert [request.header("user-agent") for request in setup.transport.requests] == [FIREFOX]


def test_the_user_agent_is_keyword_only_so_the_spec_positions_stay() -> None:
    with pytest.raises(TypeError):
        umami.Client().new_event("e", None, "/", None, None, None, "", "en-US", "1920x1080", None, None, FIREFOX)  # type: ignore[misc]


def test_no_message_calls_repr_on_a_huge_value(setup: Setup) -> None:
    with pytest.raises(ValidationError, match="int of about 5001 digits"):
        setup.client.new_event("e", custom_data={"n": [10**5000]})
    with pytest.raises(ValidationError, match=r"keys must be strings.*int of about 5001 digits"):
        setup.client.new_event("e", custom_data={10**5000: 1})
