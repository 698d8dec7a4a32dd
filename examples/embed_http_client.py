"""The umami core driven by the standard library's http.client: no httpx, requests or aiohttp.

``umami_core`` does no I/O. Each operation is a *flow*, a generator that yields the requests it
needs (method, URL, headers and body, all encoded) and is sent the responses. Anything that moves
bytes can run it; here, one keep-alive ``http.client`` connection and a loop of ten lines.

Run it against your Umami::

    python examples/embed_http_client.py https://umami.example.com [WEBSITE_ID]

with UMAMI_USERNAME / UMAMI_PASSWORD in the environment (default admin / umami).
"""

from __future__ import annotations

import dataclasses
import http.client
import os
import sys
from typing import Any, TypeVar
from urllib.parse import urlsplit

import umami_core

T = TypeVar("T")


class StdlibTransport:
    """Moves a core Request over one keep-alive http.client connection per host, returns a core Response."""

    def __init__(self, timeout: float = 10.0) -> None:
        self.timeout = timeout
        self.connections: dict[str, http.client.HTTPConnection] = {}
        self.opened = 0

    def send(self, request: umami_core.Request) -> umami_core.Response:
        parts = urlsplit(request.url)
        connection = self.connections.get(request.host)
        if connection is None:
            make = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            connection = self.connections[request.host] = make(parts.netloc, timeout=self.timeout)
            self.opened += 1
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(request.method, target, body=request.body, headers=dict(request.headers))
            answer = connection.getresponse()
            body = answer.read()  # read it all, so the connection can carry the next request
        except TimeoutError as exc:
            connection.close()
            raise umami_core.TransportTimeoutError(f"{request.method} {request.url}: no answer in {self.timeout} s") from exc
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            raise umami_core.TransportError(f"{request.method} {request.url}: {exc!r}") from exc
        return umami_core.Response(answer.status, tuple(answer.getheaders()), body)


def run(flow: umami_core.Flow[T], transport: StdlibTransport) -> T:
    """Run a core flow to its end: send what it yields, send it back what came, return its result."""
    try:
        request = next(flow)
        while True:
            try:
                response = transport.send(request)
            except umami_core.TransportError as exc:
                request = flow.throw(exc)  # the flow decides: heartbeat() turns it into False
            else:
                request = flow.send(response)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


def main(url: str, website_id: str) -> None:
    transport = StdlibTransport()
    # The configuration is an immutable value: each change makes a new one.
    config = umami_core.Config(website_id=website_id, hostname="example.com").with_url_base(url)

    print("heartbeat:", run(umami_core.heartbeat(config), transport))
    login = run(umami_core.login(config, os.environ.get("UMAMI_USERNAME", "admin"), os.environ.get("UMAMI_PASSWORD", "umami")), transport)
    config = dataclasses.replace(config, token=login.token)
    print("logged in as:", login.user.username)

    sent: dict[str, Any] = run(umami_core.new_event(config, "embedded-signup", custom_data={"via": "http.client"}), transport)
    print("event sent, session:", sent.get("sessionId"))
    print("websites:", ", ".join(site.name or site.id for site in run(umami_core.websites(config), transport)))
    print("active users:", run(umami_core.active_users(config), transport))

    print("connections opened:", transport.opened)
    print("imported:", sorted(name for name in ("httpx", "requests", "aiohttp") if name in sys.modules))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "97205669-ea1f-4363-a133-7fd337cb3dbb")
