"""The typed analytics reads: the generated methods are current, the models accept what a real Umami 3.1
answered, the reads work end to end against the embedded Umami (sync and async), and after a
known set of visits the numbers agree across stats, metrics, the series and the events list."""

from __future__ import annotations

import asyncio
import datetime
import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

import umami
import umami_core
from tests.recorded import exchange
from umami.analytics import DateRange, EventRow, MetricRow, PageviewsSeries, Realtime, SessionRow
from umami.errors import UnexpectedResponseError
from umami_transports import MockTransport
from umami_transports.fake import FakeTransport, FakeUmami

ROOT = Path(__file__).resolve().parents[1]
UTC = datetime.timezone.utc


def test_the_friendly_methods_are_what_the_generator_writes() -> None:
    done = subprocess.run([sys.executable, "scripts/generate_friendly.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("case", "model"),
    [
        *[(f"{number:03d}", list[MetricRow]) for number in range(78, 93) if number != 79],  # 079: 'url' is no v3 type (400)
        ("095", PageviewsSeries), ("096", PageviewsSeries), ("097", PageviewsSeries),
        ("112", Realtime), ("113", DateRange),
    ],
)  # fmt: skip
def test_the_models_accept_every_recorded_answer(case: str, model: Any) -> None:
    import pydantic

    body = exchange(case)["response"]["body"]
    parsed = pydantic.TypeAdapter(model).validate_python(body)
    if isinstance(parsed, PageviewsSeries) and "compare" in body:
        assert parsed.compare is not None and parsed.compare.startDate == body["compare"]["startDate"]
    if isinstance(parsed, Realtime):
        assert parsed.totals.views == body["totals"]["views"] and parsed.events[0].type == "pageview"


@pytest.mark.parametrize(("case", "model"), [("100", EventRow), ("101", SessionRow)])
def test_list_items_accept_every_recorded_row(case: str, model: Any) -> None:
    rows = exchange(case)["response"]["body"]["data"]
    assert [model.model_validate(row).id for row in rows] == [row["id"] for row in rows]


def visited(fake: FakeUmami) -> tuple[umami.Client, datetime.datetime, datetime.datetime]:
    """Seven page views from seven visitors (4 on /pricing, 3 on /), two custom events; logged in."""
    client = umami.Client(transport=FakeTransport(fake))
    client.set_url_base("https://umami.example.com")
    client.set_website_id(fake.website_id)
    client.set_hostname("example.com")
    for number, path in enumerate(["/pricing"] * 4 + ["/"] * 3):
        client.new_page_view("Page", path, ip_address=f"203.0.113.{number + 1}", referrer="https://news.example/")
    client.new_event("signup", ip_address="203.0.113.1")
    client.new_event("signup", ip_address="203.0.113.2")
    client.login(fake.username, fake.password)
    now = datetime.datetime.now(UTC)
    return client, now - datetime.timedelta(hours=1), now + datetime.timedelta(minutes=1)


def test_the_numbers_agree_across_the_reads() -> None:
    client, start, end = visited(FakeUmami())
    stats = client.website_stats(start, end)
    paths = client.metrics("path", start, end)
    series = client.pageview_series(start, end, unit="hour", timezone="UTC")
    events = list(client.events(start, end, page_size=3))

    assert stats.pageviews == 7 and stats.visitors == 7
    assert sum(row.y for row in paths) == 7 and {row.x: row.y for row in paths} == {"/pricing": 4, "/": 3}
    assert sum(point.y for point in series.pageviews) == 7
    assert len([event for event in events if event.eventType == 1]) == 7
    assert [event.eventName for event in events if event.eventType == 2] == ["signup", "signup"]


def test_every_friendly_read_end_to_end_sync_and_async() -> None:
    fake = FakeUmami()
    client, start, end = visited(fake)

    async def async_reads() -> tuple[Any, ...]:
        return (
            await client.metrics_async("referrer", start, end),
            await client.pageview_series_async(start, end, unit="day"),
            [event async for event in client.events_async(start, end)],
            [session async for session in client.sessions_async(start, end)],
            await client.realtime_async(),
            await client.date_range_async(),
        )

    referrers, series, events, sessions, now, span = asyncio.run(async_reads())
    assert [(row.x, row.y) for row in referrers] == [("news.example", 7)]
    assert isinstance(series, PageviewsSeries) and sum(point.y for point in series.sessions) == 7
    assert len(events) == 9 and len(sessions) == 7 and all(isinstance(session, SessionRow) for session in sessions)
    assert now.totals.views >= 7 and isinstance(span, DateRange) and span.startDate is not None
    assert [session.id for session in client.sessions(start, end)] == [session.id for session in sessions]
    assert client.realtime().urls == now.urls and client.date_range() == span


def querying(body: bytes = b"[]") -> tuple[umami.Client, MockTransport]:
    transport = MockTransport(lambda request: umami_core.Response(200, body=body))
    client = umami.Client(transport=transport)
    client.set_cloud_api_key("key")
    client.set_website_id("978435e2-7ba1-4337-9860-ec31ece2db60")
    return client, transport


def test_filters_go_by_their_python_names_and_reach_umami_by_its_own() -> None:
    client, transport = querying()
    start, end = datetime.datetime(2026, 1, 1, tzinfo=UTC), datetime.datetime(2026, 2, 1, tzinfo=UTC)
    client.metrics("country", start, end, limit=5, url="/pricing", distinct_id="user-1", utm_source=["news", "ads"], os="Linux")
    query = dict(parse_qsl(urlsplit(transport.requests[0].url).query))
    assert query == {"type": "country", "limit": "5", "startAt": "1767225600000", "endAt": "1769904000000", "path": "/pricing",
                     "distinctId": "user-1", "utmSource": "news,ads", "os": "Linux"}  # fmt: skip


def test_an_answer_of_another_shape_is_an_unexpected_response() -> None:
    client, _ = querying(json.dumps({"not": "a list"}).encode())
    with pytest.raises(UnexpectedResponseError, match="getWebsiteMetrics is not a list"):
        client.metrics("path", datetime.datetime(2026, 1, 1), datetime.datetime(2026, 1, 2))


def test_a_misspelt_filter_is_refused_with_a_suggestion() -> None:
    client, transport = querying()
    with pytest.raises(umami.ValidationError, match="Did you mean 'browser'"):
        client.metrics("path", datetime.datetime(2026, 1, 1), datetime.datetime(2026, 1, 2), **{"browsr": "firefox"})  # type: ignore[arg-type]
    assert transport.requests == []


def test_the_detailed_reads_end_to_end() -> None:
    fake = FakeUmami()
    client, start, end = visited(fake)
    client.identify("user-42", {"plan": "pro"}, ip_address="203.0.113.9")
    answer = client.new_event("checkout", custom_data={"plan": "pro", "seats": 3}, distinct_id="user-42", ip_address="203.0.113.9")
    session_id = answer["sessionId"]

    expanded = {row.name: row for row in client.expanded_metrics("path", start, end)}
    assert (expanded["/pricing"].pageviews, expanded["/pricing"].visitors) == (4, 4)
    series = client.event_series(start, end, unit="hour")
    assert sum(point.y for point in series if point.x == "signup") == 2
    stats = client.session_stats(start, end)
    assert (stats.pageviews.value, stats.events.value) == (10, 3)  # its "pageviews" counts every row (count(*))
    heatmap = client.weekly_sessions(start, end, timezone="UTC")
    assert len(heatmap) == 7 and all(len(day) == 24 for day in heatmap) and sum(map(sum, heatmap)) >= 7
    one = client.session(session_id)
    assert (one.id, one.distinctId, one.events) == (session_id, "user-42", 1)
    assert [row.eventName for row in client.session_activity(session_id, start, end)] == ["checkout"]
    assert {(prop.dataKey, prop.stringValue) for prop in client.session_properties(session_id)} == {("plan", "pro")}
    assert [(row.propertyName, row.total) for row in client.session_data_properties(start, end)] == [("plan", 1)]
    assert [(row.value, row.total) for row in client.session_data_values("plan", start, end)] == [("pro", 1)]
    properties = {(row.eventName, row.propertyName) for row in client.event_data_properties(start, end)}
    assert properties == {("checkout", "plan"), ("checkout", "seats")}
    assert [(row.value, row.total) for row in client.event_data_values("checkout", "plan", start, end)] == [("pro", 1)]
    data = client.event_data_stats(start, end)
    assert (data.events, data.properties, data.records) == (1, 2, 2)

    async def async_twins() -> tuple[Any, ...]:
        return await client.session_stats_async(start, end), await client.session_async(session_id)

    assert asyncio.run(async_twins()) == (stats, one)
