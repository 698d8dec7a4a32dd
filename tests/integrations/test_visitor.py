"""Who the visitor is and what counts, through the WSGI middleware around a bare WSGI app (no
framework), against the embedded Umami: the client IP with and without trusted proxies, the
headers passed through, and the default exclusions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

import umami
from tests.integrations.support import BROWSER, CHROME, FIREFOX, GOOGLEBOT, PROXY, VISITOR, delivered
from umami.integrations import DEFAULT_EXCLUDED_PATHS, RequestInfo
from umami.integrations.wsgi import UmamiMiddleware
from umami_transports.fake import FakeUmami


def page(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """Every path is an HTML page, except /data.json (JSON), /missing (404) and /moved (302)."""
    path = environ["PATH_INFO"]
    status = {"/missing": "404 Not Found", "/moved": "302 Found", "/broken": "500 Internal Server Error"}.get(path, "200 OK")
    kind = "application/json" if path.endswith(".json") or path == "/api" else "text/html; charset=utf-8"
    start_response(status, [("Content-Type", kind)])
    return [b"<p>page</p>"]


def get(app: Any, path: str, *, peer: str = VISITOR, method: str = "GET", headers: dict[str, str] | None = None) -> str:
    """Serve one request through ``app``; returns the status line."""
    path, _, query = path.partition("?")
    environ: dict[str, Any] = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "REMOTE_ADDR": peer}
    for name, value in {**BROWSER, **(headers or {})}.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    setup_testing_defaults(environ)
    statuses = []
    body = b"".join(app(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    assert body  # the app's answer came through
    return statuses[0]


def ips(fake: FakeUmami) -> dict[str, str | None]:
    delivered(fake)
    return {view.url_path: view.payload.get("ip") for view in fake.page_views()}


IP_CASES = [
    # (name, peer, X-Forwarded-For, trusted proxies, the IP Umami gets)
    ("direct", VISITOR, None, (), VISITOR),
    ("direct-with-forged-header", VISITOR, "198.51.100.66", (), VISITOR),
    ("untrusted-proxy", PROXY, "198.51.100.66", (), PROXY),
    ("proxy-trusted-by-address", PROXY, VISITOR, (PROXY,), VISITOR),
    ("proxy-trusted-by-network", PROXY, VISITOR, ("10.0.0.0/8",), VISITOR),
    ("chain-of-trusted-proxies", PROXY, f"198.51.100.66, {VISITOR}, 10.1.2.3", ("10.0.0.0/8",), VISITOR),
    ("forged-left-of-visitor", PROXY, f"1.2.3.4, {VISITOR}", ("10.0.0.0/8",), VISITOR),
    ("every-hop-trusted", PROXY, "10.9.9.9, 10.1.1.1", ("10.0.0.0/8",), "10.9.9.9"),
    ("unknown-hop", PROXY, f"{VISITOR}, unknown", ("10.0.0.0/8",), PROXY),
    ("port-and-spaces", PROXY, f" {VISITOR}:51234 ", ("10.0.0.0/8",), VISITOR),
    ("ipv6-proxy", "2001:db8::10", "2001:db8:1::7", ("2001:db8::/64",), "2001:db8:1::7"),
    ("ipv4-mapped-peer", f"::ffff:{VISITOR}", None, (), VISITOR),
    ("trusted-proxy-without-header", PROXY, None, ("10.0.0.0/8",), PROXY),
]


@pytest.mark.parametrize(("name", "peer", "forwarded", "trusted", "expected"), IP_CASES, ids=[case[0] for case in IP_CASES])
def test_the_client_ip(fake: FakeUmami, name: str, peer: str, forwarded: str | None, trusted: tuple[str, ...], expected: str) -> None:
    app = UmamiMiddleware(page, trusted_proxies=trusted)
    get(app, f"/{name}", peer=peer, headers={"x-forwarded-for": forwarded} if forwarded else {})
    assert ips(fake) == {f"/{name}": expected}


def test_the_forwarded_header_when_chosen(fake: FakeUmami) -> None:
    app = UmamiMiddleware(page, trusted_proxies=["10.0.0.0/8"], proxy_header="Forwarded")
    forwarded = 'for="[2001:db8:cafe::17]:4711";proto=https, for=10.1.1.1;by=10.0.0.5'
    get(app, "/rfc7239", peer=PROXY, headers={"forwarded": forwarded, "x-forwarded-for": "198.51.100.66"})
    get(app, "/xff-ignored", peer=PROXY, headers={"x-forwarded-for": "198.51.100.66"})  # not the header the proxy sets
    assert ips(fake) == {"/rfc7239": "2001:db8:cafe::17", "/xff-ignored": PROXY}


def test_the_visitors_headers_reach_umami(fake: FakeUmami) -> None:
    app = UmamiMiddleware(page)
    get(app, "/pricing?plan=pro&utm_source=newsletter", headers={"user-agent": FIREFOX, "host": "shop.example:8443"})

    delivered(fake)
    (view,) = fake.page_views()
    assert (view.url_path, view.url_query, view.hostname) == ("/pricing", "plan=pro&utm_source=newsletter", "shop.example")
    assert view.utm["utm_source"] == "newsletter"
    assert (view.referrer_domain, view.referrer_path) == ("search.example", "/")
    session = fake.session_of(view)
    assert session is not None
    assert (session.browser, session.os, session.language) == ("firefox", "Linux", "fr-CH")


def test_a_crawler_is_dropped_by_umami_not_by_the_middleware(fake: FakeUmami) -> None:
    app = UmamiMiddleware(page)
    get(app, "/crawled", headers={"user-agent": GOOGLEBOT})
    get(app, "/browsed", headers={"user-agent": CHROME})

    assert delivered(fake) == ["/browsed"]
    batches = [request for request in fake.requests if request.url.endswith("/api/batch")]
    assert any(GOOGLEBOT in (request.body or b"").decode() for request in batches)  # sent with its own User-Agent...
    assert umami.delivery_stats().delivered == 2  # ...and taken by the server, which stored nothing of it


def test_what_counts_by_default(fake: FakeUmami) -> None:
    app = UmamiMiddleware(page)
    counted = ["/", "/about", "/blog/2026/hello"]
    ignored = ["/data.json", "/missing", "/moved", "/broken", "/static/app.css", "/static/page.html", "/assets/logo.png",
               "/favicon.ico", "/health", "/healthz", "/ready", "/livez", "/robots.txt", "/theme.css", "/app.js"]  # fmt: skip
    for path in [*counted, *ignored]:
        get(app, path)
    get(app, "/posted", method="POST")
    get(app, "/head", method="HEAD")
    get(app, "/prefetched", headers={"sec-purpose": "prefetch"})
    get(app, "/no-user-agent", headers={"user-agent": ""})

    assert sorted(delivered(fake)) == sorted(counted)


def test_path_patterns_methods_statuses_and_types_are_options(fake: FakeUmami) -> None:
    app = UmamiMiddleware(
        page,
        include_paths=["/docs/*", re.compile(r"^/api$")],
        exclude_paths=[*DEFAULT_EXCLUDED_PATHS, "/docs/private/*"],
        methods=["GET", "POST"],
        statuses=[200, 404],
        content_types=None,
    )
    for path in ["/docs/intro", "/docs/private/keys", "/api", "/missing", "/elsewhere", "/docs/style.css"]:
        get(app, path)
    get(app, "/docs/form", method="POST")

    assert sorted(delivered(fake)) == ["/api", "/docs/form", "/docs/intro"]  # /missing is a 404 outside /docs


def test_should_track_sees_the_request_status_and_type(fake: FakeUmami) -> None:
    seen: list[tuple[str, int, str]] = []

    def should_track(info: RequestInfo, status: int, content_type: str) -> bool:
        seen.append((info.path, status, content_type))
        return info.headers.get("x-preview") is None

    app = UmamiMiddleware(page, should_track=should_track)
    get(app, "/shown")
    get(app, "/preview", headers={"x-preview": "1"})

    assert delivered(fake) == ["/shown"]
    assert seen == [("/shown", 200, "text/html"), ("/preview", 200, "text/html")]


def test_hooks_give_the_title_the_user_and_data(fake: FakeUmami) -> None:
    app = UmamiMiddleware(
        page,
        title=lambda info: info.path.strip("/").title(),
        distinct_id=lambda info: info.cookies.get("uid"),
        custom_data=lambda info: {"plan": "pro"} if info.cookies.get("uid") else None,
        exclude_query=True,
    )
    get(app, "/pricing?token=secret", headers={"cookie": "theme=dark; uid=user-42"})
    get(app, "/about")

    assert sorted(delivered(fake)) == ["/about", "/pricing"]  # no query sent
    by_path = {view.url_path: view for view in fake.page_views()}
    pricing, about = by_path["/pricing"], by_path["/about"]
    assert (pricing.page_title, pricing.data) == ("Pricing", {"plan": "pro"})
    assert fake.session_of(pricing).distinct_id == "user-42"  # type: ignore[union-attr]
    assert (about.page_title, about.data) == ("About", None)
    assert fake.session_of(about).distinct_id is None  # type: ignore[union-attr]


def test_the_hostname_option_and_a_bad_host_header(fake: FakeUmami) -> None:
    get(UmamiMiddleware(page, hostname="www.example.org"), "/configured", headers={"host": "internal:8000"})
    get(UmamiMiddleware(page), "/bad-host", headers={"host": "not a host"})  # falls back to set_hostname()

    delivered(fake)
    assert {view.url_path: view.hostname for view in fake.page_views()} == {"/configured": "www.example.org", "/bad-host": "example.com"}


def test_bad_options_are_refused_at_once() -> None:
    with pytest.raises(ValueError, match="not appear to be an IPv4 or IPv6 network"):
        UmamiMiddleware(page, trusted_proxies=["proxy.internal"])
    with pytest.raises(ValueError, match="proxy_header"):
        UmamiMiddleware(page, proxy_header="X-Real-IP")
    with pytest.raises(umami.ValidationError, match="hostname"):
        UmamiMiddleware(page, hostname="https://example.com/")
    with pytest.raises(TypeError, match="Path patterns"):
        UmamiMiddleware(page, exclude_paths=[42])
