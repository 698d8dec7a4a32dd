"""End-to-end tests of the umami facade in Umami Cloud mode, sync and async, for every region.

The library is not changed: the httpx clients given to ``umami.set_transport()`` re-route requests
for api.umami.is and cloud.umami.is to a local recording server, so what is asserted is the request
as the library addressed it (the Host header and the /v1[/us|/eu] path)."""

from __future__ import annotations

import asyncio
import datetime
from typing import Any

import httpx
import pytest

import umami
import umami.errors
import umami.models
from tests.facade_support import (
    API_KEY,
    BROWSER_UA,
    CLOUD_API_HOST,
    CLOUD_SEND_HOST,
    HOSTNAME,
    OTHER_SITE,
    PASSWORD,
    SITE,
    TOKEN,
    USERNAME,
    AsyncReroute,
    Caller,
    Reroute,
    UmamiServer,
    assert_data_headers,
    assert_send_headers,
    cloud_async_client,
    cloud_client,
    cloud_prefix,
    default_event_payload,
    event_body,
    recorded_body,
    recorded_reply,
    website,
)
from tests.recording_server import Reply, json_reply

UTC = datetime.timezone.utc
START = datetime.datetime(2026, 11, 1, tzinfo=UTC)
END = datetime.datetime(2026, 11, 8, tzinfo=UTC)


def test_cloud_mode_is_logged_in_without_url_base(cloud: UmamiServer, region: str | None) -> None:
    assert umami.is_logged_in() is True
    assert umami.default_client().config.url_base is None
    assert umami.verify_token(check_server=False) is True
    assert cloud.requests == []


def test_heartbeat_gets_me_with_the_key(cloud_call: Caller, cloud: UmamiServer, region: str | None) -> None:
    assert cloud_call("heartbeat") is True
    request = cloud.last
    assert (request.method, request.path, request.query, request.body) == ("GET", f"{cloud_prefix(region)}/me", [], b"")
    assert_data_headers(request, token=None, api_key=API_KEY, host=CLOUD_API_HOST)


def test_heartbeat_false_on_rejected_key(cloud_call: Caller, cloud: UmamiServer) -> None:
    cloud.script.on("GET", "/me", recorded_reply("012"))
    assert cloud_call("heartbeat") is False
    assert len(cloud.requests) == 1


def test_verify_token_gets_me_with_the_key(cloud_call: Caller, cloud: UmamiServer, region: str | None) -> None:
    assert cloud_call("verify_token") is True
    request = cloud.last
    assert (request.method, request.path, request.query) == ("GET", f"{cloud_prefix(region)}/me", [])
    assert_data_headers(request, token=None, api_key=API_KEY, host=CLOUD_API_HOST)


@pytest.mark.parametrize(
    "reply",
    [recorded_reply("012"), json_reply({"authType": "api-key"}), Reply(502), Reply(200, "<html></html>", {"Content-Type": "text/html"})],
    ids=["401", "no-user", "502", "html"],
)
def test_verify_token_false_without_user(cloud_call: Caller, cloud: UmamiServer, reply: Reply) -> None:
    cloud.script.on("GET", "/me", reply)
    assert cloud_call("verify_token") is False
    assert len(cloud.requests) == 1


def test_verify_token_without_server_check_makes_no_request(cloud_call: Caller, cloud: UmamiServer) -> None:
    assert cloud_call("verify_token", check_server=False) is True
    assert cloud.requests == []


def test_login_is_not_allowed_in_cloud_mode(cloud_call: Caller, cloud: UmamiServer) -> None:
    umami.set_url_base(cloud.url)
    with pytest.raises(umami.OperationNotAllowedError):
        cloud_call("login", USERNAME, PASSWORD)
    assert cloud.requests == []


def test_websites_path_and_key(cloud_call: Caller, cloud: UmamiServer, region: str | None) -> None:
    sites = cloud_call("websites")
    assert [site.id for site in sites] == [record["id"] for record in recorded_body("027")["data"]]
    request = cloud.last
    assert (request.method, request.path, request.query) == (
        "GET",
        f"{cloud_prefix(region)}/websites",
        [("page", "1"), ("pageSize", "100")],
    )
    assert_data_headers(request, token=None, api_key=API_KEY, host=CLOUD_API_HOST)


def test_websites_pages_in_cloud(cloud_call: Caller, cloud: UmamiServer, region: str | None) -> None:
    everything = [website(n) for n in range(25)]

    def paged(request: Any) -> Reply:
        page = int(dict(request.query)["page"])
        return json_reply({"data": everything[(page - 1) * 20 : page * 20], "count": 25, "page": page, "pageSize": 20})

    cloud.script.on("GET", "/websites", paged)
    assert len(cloud_call("websites")) == 25
    assert [(r.path, r.query[0]) for r in cloud.requests] == [
        (f"{cloud_prefix(region)}/websites", ("page", "1")),
        (f"{cloud_prefix(region)}/websites", ("page", "2")),
    ]


def test_website_stats_path_query_and_key(cloud_call: Caller, cloud: UmamiServer, region: str | None) -> None:
    stats = cloud_call("website_stats", START, END, url="/pricing", host="example.com")
    assert isinstance(stats, umami.models.WebsiteStats) and stats.pageviews == 11
    request = cloud.last
    assert (request.method, request.path) == ("GET", f"{cloud_prefix(region)}/websites/{SITE}/stats")
    assert request.query == [("startAt", "1793491200000"), ("endAt", "1794096000000"), ("path", "/pricing"), ("hostname", "example.com")]
    assert_data_headers(request, token=None, api_key=API_KEY, host=CLOUD_API_HOST)


def test_active_users_path_and_key(cloud_call: Caller, cloud: UmamiServer, region: str | None) -> None:
    assert cloud_call("active_users", OTHER_SITE) == 3
    request = cloud.last
    assert (request.method, request.path, request.query) == ("GET", f"{cloud_prefix(region)}/websites/{OTHER_SITE}/active", [])
    assert_data_headers(request, token=None, api_key=API_KEY, host=CLOUD_API_HOST)


def test_new_event_goes_to_cloud_send_without_credentials(cloud_call: Caller, cloud: UmamiServer) -> None:
    assert cloud_call("new_event", "signup", distinct_id=" u-1 ", ip_address="203.0.113.7") == recorded_body("036")
    request = cloud.last
    # The region never changes the ingestion host or path.
    assert (request.method, request.path, request.query) == ("POST", "/api/send", [])
    assert request.json == event_body(default_event_payload("signup", id="u-1", ip="203.0.113.7"))
    assert_send_headers(request, host=CLOUD_SEND_HOST)


def test_new_revenue_event_goes_to_cloud_send(cloud_call: Caller, cloud: UmamiServer) -> None:
    cloud_call("new_revenue_event", 12.5, "EUR", custom_data={"sku": "A-1"})
    request = cloud.last
    assert (request.method, request.path) == ("POST", "/api/send")
    assert request.json == event_body(default_event_payload("revenue", data={"sku": "A-1", "revenue": 12.5, "currency": "EUR"}))
    assert_send_headers(request, host=CLOUD_SEND_HOST)


def test_new_page_view_goes_to_cloud_send(cloud_call: Caller, cloud: UmamiServer) -> None:
    cloud_call("new_page_view", "Home", "/", ua="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148")
    request = cloud.last
    assert (request.method, request.path) == ("POST", "/api/send")
    assert request.json == event_body(
        {"hostname": HOSTNAME, "language": "en-US", "referrer": "", "screen": "1920x1080", "title": "Home", "url": "/", "website": SITE}
    )
    assert_send_headers(request, user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148", host=CLOUD_SEND_HOST)


def test_cloud_send_validation_before_any_request(cloud_call: Caller, cloud: UmamiServer) -> None:
    with pytest.raises(umami.ValidationError):
        cloud_call("new_event", "x" * 51)
    with pytest.raises(umami.ValidationError):
        cloud_call("new_page_view", "Home", "/", website_id="not-a-uuid")
    with pytest.raises(umami.ValidationError):
        cloud_call("new_revenue_event", -1)
    assert cloud.requests == []


def test_disabled_cloud_sends_make_no_request(cloud_call: Caller, cloud: UmamiServer) -> None:
    umami.disable()
    assert cloud_call("new_event", "signup") == {}
    assert cloud_call("new_page_view", "Home", "/") == {}
    assert cloud_call("new_revenue_event", 1) == {}
    assert cloud.requests == []
    assert cloud_call("heartbeat") is True
    assert len(cloud.requests) == 1


def test_key_is_stripped(cloud: UmamiServer, region: str | None) -> None:
    umami.set_cloud_api_key(f"  {API_KEY}\n", region=region)
    umami.active_users()
    assert cloud.last.headers["x-umami-api-key"] == API_KEY


def test_key_wins_over_an_earlier_login_token(clean_umami: None, server: UmamiServer) -> None:
    umami.set_url_base(server.url)
    umami.set_website_id(SITE)
    umami.set_hostname(HOSTNAME)
    umami.login(USERNAME, PASSWORD)
    with cloud_client(server) as client:
        umami.set_transport(client)
        umami.set_cloud_api_key(API_KEY, region="eu")
        umami.websites()
        umami.new_event("signup")
        assert umami.verify_token() is True
    login, listing, send, verify = server.requests
    assert (login.path, login.headers["host"]) == ("/api/auth/login", server.url.removeprefix("http://"))
    assert (listing.path, listing.headers["host"]) == ("/v1/eu/websites", CLOUD_API_HOST)
    assert_data_headers(listing, token=None, api_key=API_KEY)
    assert (send.path, send.headers["host"]) == ("/api/send", CLOUD_SEND_HOST)
    assert_send_headers(send)
    assert (verify.method, verify.path) == ("GET", "/v1/eu/me")
    assert_data_headers(verify, token=None, api_key=API_KEY)


def test_clear_cloud_api_key_returns_to_selfhosted_routing(clean_umami: None, server: UmamiServer) -> None:
    with cloud_client(server) as client:
        umami.set_transport(client)
        umami.set_url_base(server.url)
        umami.set_website_id(SITE)
        umami.set_hostname(HOSTNAME)
        umami.set_cloud_api_key(API_KEY, region="us")
        assert umami.heartbeat() is True
        umami.new_page_view("Home", "/")
        umami.clear_cloud_api_key()
        assert umami.is_logged_in() is False
        assert umami.heartbeat() is True
        umami.new_page_view("Home", "/")
        with pytest.raises(umami.OperationNotAllowedError):
            umami.websites()
        umami.login(USERNAME, PASSWORD)
        umami.websites()
    local_host = server.url.removeprefix("http://")
    assert [(r.method, r.path, r.headers["host"]) for r in server.requests] == [
        ("GET", "/v1/us/me", CLOUD_API_HOST),
        ("POST", "/api/send", CLOUD_SEND_HOST),
        ("GET", "/api/heartbeat", local_host),
        ("POST", "/api/send", local_host),
        ("POST", "/api/auth/login", local_host),
        ("GET", "/api/websites", local_host),
    ]
    assert_data_headers(server.requests[2], token=None, api_key=None)
    assert_send_headers(server.requests[3])
    assert_data_headers(server.requests[5], token=TOKEN, api_key=None)


def test_clear_cloud_api_key_without_url_base_needs_configuration_again(clean_umami: None, server: UmamiServer) -> None:
    umami.set_cloud_api_key(API_KEY)
    umami.clear_cloud_api_key()
    assert umami.heartbeat() is False
    with pytest.raises(umami.OperationNotAllowedError):
        umami.new_event("signup", hostname=HOSTNAME, website_id=SITE)
    with pytest.raises(umami.OperationNotAllowedError):
        umami.websites()
    assert server.requests == []


def test_cloud_urls_as_the_library_addressed_them(clean_umami: None, server: UmamiServer) -> None:
    """The full URLs (scheme included) that reached the httpx transport, before re-routing."""
    sync_route = Reroute(server.url)
    async_route = AsyncReroute(server.url)

    async def async_part() -> None:
        async with httpx.AsyncClient(transport=async_route) as client:
            umami.set_transport(client)
            await umami.active_users_async()
            await umami.new_event_async("signup")

    with httpx.Client(transport=sync_route) as client:
        umami.set_transport(client)
        umami.set_cloud_api_key(API_KEY, region="eu")
        umami.set_website_id(SITE)
        umami.set_hostname(HOSTNAME)
        umami.heartbeat()
        umami.new_page_view("Home", "/")
        asyncio.run(async_part())
    assert sync_route.urls == ["https://api.umami.is/v1/eu/me", "https://cloud.umami.is/api/send"]
    assert async_route.urls == [f"https://api.umami.is/v1/eu/websites/{SITE}/active", "https://cloud.umami.is/api/send"]


def test_cloud_client_instance(clean_umami: None, server: UmamiServer) -> None:
    with cloud_client(server) as http, umami.Client(transport=http) as client:
        client.set_cloud_api_key(API_KEY)
        client.set_website_id(OTHER_SITE)
        client.set_hostname("shop.example.org")
        assert client.is_logged_in() and not umami.is_logged_in()
        assert client.active_users() == 3
        client.new_event("signup")

    async def async_part() -> int:
        async with cloud_async_client(server) as http, umami.Client(transport=http) as client:
            client.set_cloud_api_key(API_KEY, region="us")
            return len(await client.websites_async())

    assert asyncio.run(async_part()) == 2
    assert [(r.method, r.path, r.headers["host"]) for r in server.requests] == [
        ("GET", f"/v1/websites/{OTHER_SITE}/active", CLOUD_API_HOST),
        ("POST", "/api/send", CLOUD_SEND_HOST),
        ("GET", "/v1/us/websites", CLOUD_API_HOST),
    ]
    assert server.requests[1].json == event_body(default_event_payload("signup", hostname="shop.example.org", website=OTHER_SITE))
    assert_send_headers(server.requests[1], user_agent=BROWSER_UA)


def test_cloud_errors_are_api_errors(cloud_call: Caller, cloud: UmamiServer, region: str | None) -> None:
    cloud.script.on("GET", "/websites", json_reply({"error": {"message": "Too many requests", "code": "rate-limited", "status": 429}}, 429))
    with pytest.raises(httpx.HTTPStatusError) as caught:
        cloud_call("websites")
    error = caught.value
    assert isinstance(error, umami.errors.APIError)
    assert (error.status_code, error.message, error.code) == (429, "Too many requests", "rate-limited")
    assert f"https://api.umami.is{cloud_prefix(region)}/websites" in str(error)
    assert API_KEY not in str(error) and API_KEY not in repr(error)


def test_cloud_unreachable_is_transport_error(clean_umami: None, closed_port_url: str) -> None:
    with cloud_client(_Closed(closed_port_url)) as client:  # type: ignore[arg-type]
        umami.set_transport(client)
        umami.set_cloud_api_key(API_KEY)
        umami.set_website_id(SITE)
        assert umami.heartbeat() is False
        assert umami.verify_token() is False
        with pytest.raises(umami.errors.TransportError) as caught:
            umami.active_users()
        assert isinstance(caught.value, httpx.ConnectError)
        assert "api.umami.is" in str(caught.value) and API_KEY not in str(caught.value)


class _Closed:
    """Stands for a server: only its url is read by cloud_client()."""

    def __init__(self, url: str) -> None:
        self.url = url
