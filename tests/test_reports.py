"""The typed reports (funnel, goal, journey, retention, UTM, revenue, attribution, breakdown): each posts
the body Umami 3.1's report route reads (website, type, filters, parameters with the range in epoch
milliseconds), sync and async, and its answer becomes a model. Wrong steps fail before any request."""

from __future__ import annotations

import asyncio
import datetime
import json
from typing import Any
from urllib.parse import urlsplit

import pytest

import umami
import umami_core
from umami.reports import Attribution, BreakdownRow, FunnelStep, Goal, JourneyPath, RetentionRow, RevenueReport, UtmReport
from umami_transports import MockTransport

SITE = "978435e2-7ba1-4337-9860-ec31ece2db60"
START = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)
END = datetime.datetime(2026, 12, 4, tzinfo=datetime.timezone.utc)
RANGE = {"startDate": int(START.timestamp()) * 1000, "endDate": int(END.timestamp()) * 1000}

FUNNEL = [{"type": "path", "value": "/", "visitors": 4, "previous": 0, "dropped": 0, "dropoff": None, "remaining": 1},
          {"type": "event", "value": "signup", "visitors": 1, "previous": 4, "dropped": 3, "dropoff": 0.75, "remaining": 0.25}]  # fmt: skip
REVENUE = {"chart": [{"x": "purchase", "t": "2026-12-02T00:00:00Z", "y": 49.5, "count": 1}],
           "total": {"sum": 49.5, "count": 1, "unique_count": 1, "total_sessions": "4", "average": 49.5, "arpu": 12.375,
                     "comparison": {"sum": None, "count": 0, "unique_count": 0, "total_sessions": 0, "average": 0, "arpu": 0}},
           "country": [{"name": "FR", "value": 49.5}], "region": [{"country": "FR", "name": "FR-75", "value": 49.5}],
           "referrer": [], "channel": [{"name": "direct", "value": 49.5}]}  # fmt: skip
ATTRIBUTION = {"referrer": [{"name": "google.com", "value": 2}], "paidAds": [], "utm_source": [], "utm_medium": [],
               "utm_campaign": [], "utm_content": [], "utm_term": [], "total": {"pageviews": 5, "visitors": 3, "visits": 3}}  # fmt: skip

# (method, positional arguments, keyword arguments, report type, expected parameters besides the range, filters, answer, model)
CASES: list[tuple[str, tuple[Any, ...], dict[str, Any], str, dict[str, Any], dict[str, Any], Any, type]] = [
    ("funnel", ([("path", "/"), {"type": "event", "value": "signup"}], START, END), {"window": 30, "url": "/"}, "funnel",
     {"steps": [{"type": "path", "value": "/"}, {"type": "event", "value": "signup"}], "window": 30}, {"path": "/"}, FUNNEL, FunnelStep),
    ("goal", ("event", "signup", START, END), {"country": ["FR", "DE"]}, "goal", {"type": "event", "value": "signup"},
     {"country": "FR,DE"}, {"num": "1", "total": 4}, Goal),
    ("journey", (START, END), {"steps": 3, "start_step": "/"}, "journey", {"steps": 3, "startStep": "/"}, {},
     [{"items": ["/", "/pricing", None], "count": 2}], JourneyPath),
    ("retention", (START, END), {"timezone": "Europe/Paris"}, "retention", {"timezone": "Europe/Paris"}, {},
     [{"date": "2026-12-01T00:00:00Z", "day": 0, "visitors": 4, "returnVisitors": 4, "percentage": 100}], RetentionRow),
    ("utm", (START, END), {"utm_source": "news"}, "utm", {}, {"utmSource": "news"},
     {"utm_source": [{"utm": "news", "views": 3}], "utm_medium": [], "utm_campaign": [], "utm_term": [], "utm_content": []}, UtmReport),
    ("revenue", ("EUR", START, END), {}, "revenue", {"currency": "EUR", "unit": "day"}, {}, REVENUE, RevenueReport),
    ("attribution", ("/checkout", START, END), {"model": "last-click"}, "attribution",
     {"step": "/checkout", "model": "last-click", "type": "path"}, {}, ATTRIBUTION, Attribution),
    ("breakdown", (["country", "browser"], START, END), {"distinct_id": "user-42"}, "breakdown", {"fields": ["country", "browser"]},
     {"distinctId": "user-42"},
     [{"views": 5, "visitors": 2, "visits": 2, "bounces": 1, "totaltime": 30, "country": "FR", "browser": "firefox"}], BreakdownRow),
]  # fmt: skip
IDS = [case[0] for case in CASES]


def answering(answer: Any) -> tuple[umami.Client, MockTransport]:
    transport = MockTransport(lambda request: umami_core.Response(200, body=json.dumps(answer).encode()))
    client = umami.Client(transport=transport)
    client.set_url_base("https://umami.example.com")
    client.set_website_id(SITE)
    client.set_api_key("umami_" + "k" * 32)
    return client, transport


def check_request(transport: MockTransport, kind: str, parameters: dict[str, Any], filters: dict[str, Any]) -> None:
    (request,) = transport.requests
    assert (request.method, urlsplit(request.url).path, urlsplit(request.url).query) == ("POST", f"/api/reports/{kind}", "")
    assert json.loads(request.body) == {"websiteId": SITE, "type": kind, "filters": filters, "parameters": {**RANGE, **parameters}}
    assert dict(request.headers)["Authorization"] == "Bearer umami_" + "k" * 32


@pytest.mark.parametrize(("name", "args", "kwargs", "kind", "parameters", "filters", "answer", "model"), CASES, ids=IDS)
def test_each_report_posts_its_body_and_returns_its_model(
    name: str, args: tuple[Any, ...], kwargs: dict[str, Any], kind: str, parameters: dict[str, Any], filters: dict[str, Any],
    answer: Any, model: type,
) -> None:  # fmt: skip
    client, transport = answering(answer)
    result = getattr(client, name)(*args, **kwargs)
    check_request(transport, kind, parameters, filters)
    assert all(isinstance(item, model) for item in (result if isinstance(result, list) else [result])) and result


@pytest.mark.parametrize(("name", "args", "kwargs", "kind", "parameters", "filters", "answer", "model"), CASES, ids=IDS)
def test_each_async_twin_posts_the_same(
    name: str, args: tuple[Any, ...], kwargs: dict[str, Any], kind: str, parameters: dict[str, Any], filters: dict[str, Any],
    answer: Any, model: type,
) -> None:  # fmt: skip
    client, transport = answering(answer)
    result = asyncio.run(getattr(client, name + "_async")(*args, **kwargs))
    check_request(transport, kind, parameters, filters)
    assert all(isinstance(item, model) for item in (result if isinstance(result, list) else [result])) and result


def test_answers_read_as_numbers_and_keep_what_the_model_does_not_name() -> None:
    client, _ = answering(REVENUE)
    report = client.revenue("EUR", START, END)
    assert report.total.total_sessions == 4 and report.total.comparison is not None and report.total.comparison.sum is None
    assert report.region[0].model_extra == {"country": "FR"}
    client, _ = answering([{"views": "5", "visitors": 2, "visits": 2, "bounces": 1, "totaltime": 30, "country": "FR"}])
    (row,) = client.breakdown(["country"], START, END)
    assert (row.views, row.country) == (5, "FR")


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([("path", "/")], "from 2 to 8 steps, got 1"),
        ([("path", "/")] * 9, "from 2 to 8 steps, got 9"),
        ([("page", "/"), ("path", "/x")], "type is 'path' or 'event'"),
        ([("path", ""), ("path", "/x")], "non-empty string"),
        ("/", "a list of (type, value) pairs"),
        ([("path", "/", "extra"), ("path", "/x")], "a (type, value) pair or a dict"),
    ],
)
def test_wrong_funnel_steps_fail_before_any_request(steps: Any, message: str) -> None:
    client, transport = answering(FUNNEL)
    with pytest.raises(umami.ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        client.funnel(steps, START, END)
    assert transport.requests == []


def test_a_report_checks_the_range_the_filters_and_the_credential_first() -> None:
    client, transport = answering({"num": 0, "total": 0})
    with pytest.raises(umami.ValidationError, match="start_at must not be after end_at"):
        client.goal("path", "/", END, START)
    with pytest.raises(umami.ValidationError, match=r"takes no parameter 'contry'.*'country'"):
        client.goal("path", "/", START, END, contry="FR")  # type: ignore[call-arg]
    anonymous = umami.Client(transport=transport)
    anonymous.set_url_base("https://umami.example.com")
    with pytest.raises(umami.OperationNotAllowedError):
        anonymous.goal("path", "/", START, END, website_id=SITE)
    assert transport.requests == []


def test_call_reaches_a_report_by_its_id() -> None:
    client, transport = answering({"num": 1, "total": 2})
    answer = client.call("runGoalReport", startAt=START, endAt=END, body={"type": "path", "value": "/"})
    assert answer == {"num": 1, "total": 2}
    check_request(transport, "goal", {"type": "path", "value": "/"}, {})
