"""website_stats() and active_users() inputs: refused before any request, or sent in a form the server runs."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

import umami
from tests.test_inputs_wire import UmamiWire
from umami.errors import ValidationError
from umami_transports import MockTransport

SITE = "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
UTC = datetime.timezone.utc
START = datetime.datetime(2026, 5, 1, tzinfo=UTC)
END = datetime.datetime(2026, 5, 8, tzinfo=UTC)
EAST = datetime.timezone(datetime.timedelta(hours=14))
WEST = datetime.timezone(datetime.timedelta(hours=-12))


class Setup:
    def __init__(self) -> None:
        self.wire = UmamiWire()
        self.transport = MockTransport(self.wire)
        self.client = umami.Client(transport=self.transport)
        self.client.set_cloud_api_key("key-SECRET-456")
        self.client.set_website_id(SITE)

    def query(self) -> dict[str, list[str]]:
        (request,) = self.transport.requests
        assert self.wire.problems == []
        return parse_qs(urlsplit(request.url).query, keep_blank_values=True)


@pytest.fixture
def setup() -> Iterator[Setup]:
    made = Setup()
    yield made
    made.client.close()


REFUSED: list[tuple[dict[str, Any], str]] = [
    # bare Python errors before: astimezone() past datetime's range
    ({"start_at": datetime.datetime.min.replace(tzinfo=EAST)}, "cannot be expressed in UTC"),
    ({"end_at": datetime.datetime.max.replace(tzinfo=WEST)}, "cannot be expressed in UTC"),
    # ... and unpaired surrogates in filters (UnicodeEncodeError in urlencode)
    ({"url": "/\ud800"}, "url contains an unpaired surrogate"),
    ({"city": "M\udcfcnchen"}, "city contains an unpaired surrogate"),
    # the server fails (500): NUL in a filter, a comparison window before PostgreSQL's earliest timestamp
    ({"referrer": "a\x00b"}, "NUL"),
    ({"start_at": datetime.datetime(2026, 1, 1, tzinfo=UTC), "end_at": datetime.datetime(9999, 12, 31, tzinfo=UTC)}, "comparison"),
    ({"start_at": datetime.datetime(1, 1, 1, 12, tzinfo=UTC), "end_at": datetime.datetime(1, 1, 3, tzinfo=UTC)}, "comparison"),
    # wrong types and order
    ({"start_at": datetime.date(2026, 5, 1)}, "start_at must be a datetime"),
    ({"start_at": END, "end_at": START}, "must not be after"),
    ({"os": 5}, "os must be a string"),
    ({"website_id": 5}, "website_id must be a string"),
    ({"website_id": "3f1c2a4e5b6d4e7f8a9b0c1d2e3f4a5b"}, "UUID"),
    # a URL no server or proxy takes
    ({"title": "t" * 9000}, "request URL would be"),
]


@pytest.mark.parametrize(("arguments", "message"), REFUSED, ids=[str(index) for index in range(len(REFUSED))])
def test_refused_before_any_request(setup: Setup, arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        setup.client.website_stats(**{"start_at": START, "end_at": END, **arguments})
    assert setup.transport.requests == []


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        ("t.co", "eq.t.co"),  # 't.' would be read as Umami's operator t, which makes its SQL fail
        ("s.example.com", "eq.s.example.com"),
        ("gte.5", "eq.gte.5"),
        ("eq.t.co", "eq.t.co"),  # explicit operators Umami runs are left alone
        ("c.news", "c.news"),
        ("neq.t.co", "neq.t.co"),
        ("news.example.com", "news.example.com"),
        ("t.co\nx", "t.co\nx"),  # not an operator for JavaScript's '.': left alone
    ],
)
def test_filter_values_that_read_as_an_operator_umami_cannot_run_are_sent_as_equality(setup: Setup, value: str, sent: str) -> None:
    setup.client.website_stats(START, END, referrer=value)
    assert setup.query()["referrer"] == [sent]


def test_the_widest_range_python_holds_is_sent_when_its_comparison_fits(setup: Setup) -> None:
    setup.client.website_stats(datetime.datetime(5001, 1, 1, tzinfo=UTC), datetime.datetime.max.replace(tzinfo=UTC))
    query = setup.query()
    assert query["endAt"] == ["253402300799999"]


def test_an_upper_case_website_id_is_used_in_lower_case(setup: Setup) -> None:
    setup.client.website_stats(START, END, website_id=SITE.upper())
    setup.client.active_users(website_id=SITE.upper())
    assert [urlsplit(request.url).path for request in setup.transport.requests] == [
        f"/v1/websites/{SITE}/stats", f"/v1/websites/{SITE}/active"
    ]


def test_a_filter_with_emoji_and_commas_is_sent_as_given(setup: Setup) -> None:
    setup.client.website_stats(START, END, title="Home 😀,Pricing")
    assert setup.query()["title"] == ["Home 😀,Pricing"]
