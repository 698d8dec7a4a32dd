"""The read flows: websites (all pages), website stats, active users."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

import umami_core as core
from tests.core_driving import SITE, finish, first_request, json_response
from tests.recorded import exchange, response
from umami_core import APIError, Config, OperationNotAllowedError, UnexpectedResponseError, ValidationError

CONFIG = Config(url_base="http://umami.test", website_id=SITE, token="tok-SECRET-3")
CLOUD = Config(api_key="key-SECRET-3", website_id=SITE)
UTC = datetime.timezone.utc
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)
# The window of the recorded stats call (071): epoch milliseconds 1795704529359 to 1795790989359.
START = EPOCH + datetime.timedelta(milliseconds=1795704529359)
END = EPOCH + datetime.timedelta(milliseconds=1795790989359)


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


def site(number: int) -> dict[str, Any]:
    return {"id": f"00000000-0000-4000-8000-{number:012d}", "name": f"Site {number}", "domain": f"s{number}.example"}


def test_websites_reads_one_page_when_all_fit() -> None:
    flow = core.websites(CONFIG)
    request = first_request(flow)
    assert request.url == "http://umami.test/api/websites?page=1&pageSize=100"
    assert request.header("authorization") == "Bearer tok-SECRET-3"
    found = finish(flow, response("027_websites_list_after_create"))
    assert [website.name for website in found] == [w["name"] for w in exchange("027")["response"]["body"]["data"]]


def test_websites_follows_every_page_at_the_size_the_server_uses() -> None:
    flow = core.websites(CONFIG)
    pages = []
    request = first_request(flow)
    for page in (1, 2, 3):
        pages.append(dict(query_of(request.url))["page"])
        rows = [site(n) for n in range((page - 1) * 20, min(page * 20, 45))]
        answer = json_response({"data": rows, "count": 45, "page": page, "pageSize": 20})
        if page < 3:
            request = flow.send(answer)
        else:
            found = finish(flow, answer)
    assert pages == ["1", "2", "3"]
    assert len(found) == 45 and len({website.id for website in found}) == 45


def test_websites_stops_on_an_empty_page_even_if_count_says_more() -> None:
    flow = core.websites(CONFIG)
    first_request(flow)
    flow.send(json_response({"data": [site(1)], "count": 500, "page": 1, "pageSize": 1}))
    assert [w.id for w in finish(flow, json_response({"data": [], "count": 500, "page": 2, "pageSize": 1}))] == [site(1)["id"]]


def test_websites_cloud_path_and_errors() -> None:
    flow = core.websites(Config(api_key="key-SECRET-3", region="us"))
    request = first_request(flow)
    assert request.url == "https://api.umami.is/v1/us/websites?page=1&pageSize=100"
    assert request.header("x-umami-api-key") == "key-SECRET-3"
    with pytest.raises(APIError) as caught:
        flow.send(response("014_websites_list_no_token"))
    assert caught.value.status_code == 401


def test_reading_without_login_is_not_allowed() -> None:
    for flow in (core.websites(Config(url_base="http://u.test")), core.active_users(Config(url_base="http://u.test"), SITE)):
        with pytest.raises(OperationNotAllowedError, match="login"):
            next(flow)
    with pytest.raises(OperationNotAllowedError, match="set_url_base"):
        next(core.websites(Config()))


def test_website_stats_request_matches_the_recorded_one() -> None:
    flow = core.website_stats(
        Config(url_base="http://127.0.0.1:3000", token="t"), START, END, website_id="97205669-ea1f-4363-a133-7fd337cb3dbb"
    )
    request = first_request(flow)
    assert request.url == exchange("071")["request"]["url"]
    stats = finish(flow, response("071_stats"))
    assert (stats.pageviews, stats.visitors, stats.visits, stats.bounces, stats.totaltime) == (11, 3, 4, 3, 0)
    assert stats.comparison is not None and stats.comparison.pageviews == 0


def test_website_stats_sends_v3_filter_names_and_skips_none() -> None:
    flow = core.website_stats(CONFIG, START, END, url="/pricing", host="example.com", os="Mac OS,Windows", device="mobile", event=None)
    query = query_of(first_request(flow).url)
    assert query == [
        ("startAt", "1795704529359"), ("endAt", "1795790989359"), ("path", "/pricing"), ("hostname", "example.com"),
        ("os", "Mac OS,Windows"), ("device", "mobile"),
    ]  # fmt: skip


def test_website_stats_cloud_url() -> None:
    request = first_request(core.website_stats(CLOUD, START, END))
    assert request.url.startswith(f"https://api.umami.is/v1/websites/{SITE}/stats?startAt=")


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"website_id": "None"}, "UUID"),
        ({"start_at": END, "end_at": START}, "must not be after"),
        ({"start_at": datetime.date(2026, 1, 1)}, "datetime"),
        ({"city": 7}, "city must be a string"),
    ],
)
def test_website_stats_refuses_bad_input(kwargs: dict[str, Any], problem: str) -> None:
    arguments: dict[str, Any] = {"start_at": START, "end_at": END, **kwargs}
    with pytest.raises(ValidationError, match=problem):
        next(core.website_stats(CONFIG, **arguments))


def test_naive_datetimes_are_local_time_as_timestamp_reads_them() -> None:
    naive = datetime.datetime(2026, 5, 14, 10, 37, 12, 1000)
    query = dict(query_of(first_request(core.website_stats(CONFIG, naive, naive)).url))
    assert query["startAt"] == str(round(naive.timestamp() * 1000))


def test_website_stats_without_any_website_id() -> None:
    with pytest.raises(ValidationError, match="website_id must be set"):
        next(core.website_stats(Config(url_base="http://u.test", token="t"), START, END))


@pytest.mark.parametrize(("case", "status"), [("073_stats_missing_range", 400), ("074_stats_no_token", 401)])
def test_website_stats_errors(case: str, status: int) -> None:
    flow = core.website_stats(CONFIG, START, END)
    first_request(flow)
    with pytest.raises(APIError) as caught:
        flow.send(response(case))
    assert caught.value.status_code == status


def test_active_users_reads_visitors_and_the_legacy_x() -> None:
    flow = core.active_users(CONFIG)
    assert first_request(flow).url == f"http://umami.test/api/websites/{SITE}/active"
    assert finish(flow, response("076_active")) == 3
    flow = core.active_users(CONFIG, "00000000-0000-4000-8000-000000000001")
    assert first_request(flow).url.endswith("/websites/00000000-0000-4000-8000-000000000001/active")
    assert finish(flow, json_response({"x": 7})) == 7


@pytest.mark.parametrize("body", [{"visitors": None}, {"y": 1}, [1], {"visitors": "many"}, {"visitors": True}])
def test_active_users_refuses_an_answer_without_a_count(body: Any) -> None:
    flow = core.active_users(CONFIG)
    first_request(flow)
    with pytest.raises(UnexpectedResponseError):
        flow.send(json_response(body))


def test_stats_of_the_wrong_shape_raise_unexpected_response() -> None:
    flow = core.website_stats(CONFIG, START, END)
    first_request(flow)
    with pytest.raises(UnexpectedResponseError, match="WebsiteStats"):
        flow.send(json_response({"pageviews": {"value": 1, "prev": 0}}))
