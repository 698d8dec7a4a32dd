"""Every operation of Umami's API contract through call(): the table is what the contract gives, each of
the 166 operations builds the method, path and query the contract says, with the credential only
where it belongs (self-hosted and Cloud); parameters are checked and encoded; paged lists iterate."""

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
from umami import ValidationError
from umami_core import OPERATIONS, Operation
from umami_transports import MockTransport
from umami_transports.fake import FakeTransport, FakeUmami

ROOT = Path(__file__).resolve().parents[1]
SITE = "978435e2-7ba1-4337-9860-ec31ece2db60"
TOKEN = "tok-SECRET-9"
API_KEY = "key-SECRET-9"
CONTRACT = json.loads((ROOT / "scripts" / "contract" / "operations.json").read_text())["operations"]


def test_the_table_is_what_the_contract_gives() -> None:
    done = subprocess.run([sys.executable, "scripts/generate_operations.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert len(OPERATIONS) == len(CONTRACT) == 166
    assert {operation.id for operation in OPERATIONS} == {entry["operationId"] for entry in CONTRACT}


def echo(request: umami_core.Request) -> umami_core.Response:
    return umami_core.Response(200, body=b'{"ok": true}')


def selfhosted(transport: Any) -> umami.Client:
    client = umami.Client(transport=transport)
    client.set_url_base("https://umami.example.com")
    client.set_website_id(SITE)
    client.set_hostname("example.com")
    return client


def logged_in(transport: MockTransport) -> umami.Client:
    def answer(request: umami_core.Request) -> umami_core.Response:
        if request.url.endswith("/api/auth/login"):
            user = {"id": "u", "username": "a", "role": "admin"}
            return umami_core.Response(200, body=json.dumps({"token": TOKEN, "user": user}).encode())
        return echo(request)

    transport.handler = answer
    client = selfhosted(transport)
    client.login("admin", "pw")
    transport.requests.clear()
    return client


def sample_params(operation: Operation) -> dict[str, Any]:
    """A value for each path parameter, and a few query parameters of each kind."""
    params: dict[str, Any] = {name: f"{name}-1" for name in operation.path_params if name != "websiteId"}
    if "startAt" in operation.query_params:
        params["startAt"] = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    if "os" in operation.query_params:
        params["os"] = ["Windows", "Mac OS"]
    if "excludeBounce" in operation.query_params:
        params["excludeBounce"] = True
    return params


def filled(operation: Operation) -> str:
    """The operation's path with the sample values of sample_params()."""
    path = operation.path
    for name in operation.path_params:
        path = path.replace("{" + name + "}", SITE if name == "websiteId" else f"{name}-1")
    return path


@pytest.mark.parametrize("operation", OPERATIONS, ids=[operation.id for operation in OPERATIONS])
def test_every_operation_builds_what_the_contract_says_with_credentials_only_where_they_belong(operation: Operation) -> None:
    transport = MockTransport(echo)
    client = logged_in(transport)
    client.call(operation.id, body={"name": "x"} if operation.has_body else None, **sample_params(operation))

    (request,) = transport.requests
    url = urlsplit(request.url)
    assert (request.method, url.path) == (operation.method, filled(operation))
    query = dict(parse_qsl(url.query))
    if "startAt" in operation.query_params:
        assert query["startAt"] == "1767225600000"
    if "os" in operation.query_params:
        assert query["os"] == "Windows,Mac OS" and query["excludeBounce"] == "true"
    assert (request.header("authorization") == f"Bearer {TOKEN}") is operation.authenticated
    assert (request.body is not None and json.loads(request.body) == {"name": "x"}) is operation.has_body
    if operation.id == "login":
        assert request.sensitive


@pytest.mark.parametrize("operation", OPERATIONS, ids=[operation.id for operation in OPERATIONS])
def test_every_operation_in_cloud_mode(operation: Operation) -> None:
    transport = MockTransport(echo)
    client = umami.Client(transport=transport)
    client.set_cloud_api_key(API_KEY, region="eu")
    client.set_website_id(SITE)
    client.call(operation.id, body={} if operation.has_body else None, **sample_params(operation))

    (request,) = transport.requests
    url = urlsplit(request.url)
    if operation.id in ("send", "batch", "record"):
        assert (url.netloc, url.path) == ("cloud.umami.is", operation.path)
    else:
        assert (url.netloc, url.path) == ("api.umami.is", "/v1/eu" + filled(operation).removeprefix("/api"))
    assert (request.header("x-umami-api-key") == API_KEY) is operation.authenticated
    assert request.header("authorization") is None


def test_a_read_needs_a_credential_before_any_request() -> None:
    transport = MockTransport(echo)
    with pytest.raises(umami.OperationNotAllowedError):
        selfhosted(transport).call("getWebsiteStats", startAt=datetime.datetime.now(), endAt=datetime.datetime.now())
    assert transport.requests == []


@pytest.mark.parametrize(
    ("operation_id", "params", "message"),
    [
        ("getWebsiteMetric", {}, "Did you mean 'getWebsiteMetrics'"),
        ("getWebsiteMetrics", {"typ": "path"}, "Did you mean 'type'"),
        ("getWebsiteMetrics", {"startAt": 5.5, "endAt": float("inf")}, "finite"),
        ("getWebsiteMetrics", {"os": {"a": 1}}, "must be a string, number"),
        ("getWebsiteMetrics", {"path": "/a", "url": "/b"}, "given twice"),
        ("getWebsiteMetrics", {"title": "a\x00b"}, "NUL"),
        ("getUser", {}, "userId is required"),
        ("getUser", {"userId": "../admin"}, "single path segment"),
        ("getWebsite", {"websiteId": "not-a-uuid"}, "UUID"),
        ("getMe", {"include": 1}, "takes no parameter 'include'. It takes: none"),
    ],
)
def test_bad_operations_and_parameters_are_refused_before_any_request(operation_id: str, params: dict[str, Any], message: str) -> None:
    transport = MockTransport(echo)
    client = logged_in(transport)
    with pytest.raises(ValidationError, match=message):
        client.call(operation_id, **params)
    assert transport.requests == []


def test_a_body_where_none_belongs_is_refused() -> None:
    client = logged_in(MockTransport(echo))
    with pytest.raises(ValidationError, match="takes no body"):
        client.call("getMe", body={"x": 1})


def test_the_specs_filter_names_are_accepted() -> None:
    transport = MockTransport(echo)
    client = logged_in(transport)
    client.call("getWebsiteStats", url="/pricing", host="example.com", startAt=0, endAt=1)
    query = dict(parse_qsl(urlsplit(transport.requests[0].url).query))
    assert (query["path"], query["hostname"]) == ("/pricing", "example.com")


def pages_of_events(total: int) -> MockTransport:
    def answer(request: umami_core.Request) -> umami_core.Response:
        query = dict(parse_qsl(urlsplit(request.url).query))
        page, size = int(query["page"]), int(query["pageSize"])
        data = [{"id": f"event-{number}"} for number in range((page - 1) * size, min(page * size, total))]
        return umami_core.Response(200, body=json.dumps({"data": data, "count": total, "page": page, "pageSize": size}).encode())

    return MockTransport(answer, keep=None)


def test_iterating_1050_events_in_pages_of_100_makes_11_requests_and_yields_each_once() -> None:
    transport = pages_of_events(1050)
    client = logged_in(transport)
    transport.handler = pages_of_events(1050).handler
    events = list(client.iterate("getWebsiteEvents", startAt=0, endAt=1, page_size=100))
    assert [event["id"] for event in events] == [f"event-{number}" for number in range(1050)]
    assert len(transport.requests) == 11


def test_iterating_async_fetches_pages_on_demand() -> None:
    transport = pages_of_events(250)
    client = logged_in(transport)
    transport.handler = pages_of_events(250).handler

    async def first_120() -> list[Any]:
        found = []
        async for event in client.iterate_async("getWebsiteSessions", startAt=0, endAt=1, page_size=50):
            found.append(event)
            if len(found) == 120:
                break
        return found

    assert len(asyncio.run(first_120())) == 120
    assert len(transport.requests) == 3  # the pages needed, not all five


def test_iterating_an_operation_that_is_not_paged_is_refused() -> None:
    with pytest.raises(ValidationError, match="not a paged list"):
        next(logged_in(MockTransport(echo)).iterate("getMe"))


def test_operations_end_to_end_against_the_embedded_umami() -> None:
    fake = FakeUmami()
    client = umami.Client(transport=FakeTransport(fake))
    client.set_url_base("https://umami.example.com")
    client.set_website_id(fake.website_id)
    client.set_hostname("example.com")
    for path in ("/", "/pricing", "/pricing"):
        client.new_page_view("Page", path, ip_address="203.0.113.7")
    client.login(fake.username, fake.password)
    now = datetime.datetime.now(datetime.timezone.utc)
    window = {"startAt": now - datetime.timedelta(hours=1), "endAt": now + datetime.timedelta(minutes=1)}

    stats = client.call("getWebsiteStats", **window)
    assert stats["pageviews"] == client.website_stats(window["startAt"], window["endAt"]).pageviews == 3
    metrics = client.call("getWebsiteMetrics", type="path", **window)
    assert {row["x"] for row in metrics} == {"/pricing", "/"}
    assert [site["id"] for site in client.iterate("listWebsites")] == [fake.website_id]
    assert client.call("getMe")["user"]["username"] == fake.username
