"""The umami core driven by a loop of your own over asyncio streams: no httpx, requests or aiohttp.

The core's flows are plain generators; the async loop that runs them is yours. Here it speaks
HTTP/1.1 itself over ``asyncio.open_connection`` (keep-alive, Content-Length and chunked bodies),
which is all an embedded client needs to talk to Umami over plain HTTP.

Run it against your Umami::

    python examples/embed_asyncio_streams.py http://umami.internal:3000 [WEBSITE_ID]

with UMAMI_USERNAME / UMAMI_PASSWORD in the environment (default admin / umami).
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
from typing import Any, TypeVar
from urllib.parse import urlsplit

import umami_core

T = TypeVar("T")


class StreamsTransport:
    """One keep-alive connection per host, over asyncio streams (http:// only: no TLS, for brevity)."""

    def __init__(self) -> None:
        self.streams: dict[str, tuple[asyncio.StreamReader, asyncio.StreamWriter]] = {}
        self.opened = 0

    async def send(self, request: umami_core.Request) -> umami_core.Response:
        parts = urlsplit(request.url)
        try:
            reader, writer = await self._connection(parts.hostname or "", parts.port or 80, request.host)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            body = request.body or b""
            head = [f"{request.method} {target} HTTP/1.1", f"Host: {parts.netloc}", *(f"{k}: {v}" for k, v in request.headers)]
            if request.body is not None or request.method == "POST":
                head.append(f"Content-Length: {len(body)}")
            writer.write("\r\n".join(head).encode() + b"\r\n\r\n" + body)
            await writer.drain()
            status, headers, answer = await asyncio.wait_for(self._read_response(reader), timeout=10.0)
        except asyncio.TimeoutError as exc:
            self._forget(request.host)
            raise umami_core.TransportTimeoutError(f"{request.method} {request.url}: no answer in time") from exc
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            self._forget(request.host)
            raise umami_core.TransportError(f"{request.method} {request.url}: {exc!r}") from exc
        if dict((k.lower(), v.lower()) for k, v in headers).get("connection") == "close":
            self._forget(request.host)
        return umami_core.Response(status, tuple(headers), answer)

    async def _connection(self, host: str, port: int, key: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if key not in self.streams:
            self.streams[key] = await asyncio.wait_for(asyncio.open_connection(host, port), timeout=5.0)
            self.opened += 1
        return self.streams[key]

    @staticmethod
    async def _read_response(reader: asyncio.StreamReader) -> tuple[int, list[tuple[str, str]], bytes]:
        status = int((await reader.readuntil(b"\r\n")).split()[1])
        headers = []
        while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            headers.append((name.strip(), value.strip()))
        fields = {name.lower(): value for name, value in headers}
        if fields.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                body += (await reader.readexactly(size + 2))[:-2]
            while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers
                pass
            return status, headers, body
        return status, headers, await reader.readexactly(int(fields.get("content-length", "0")))

    def _forget(self, key: str) -> None:
        if key in self.streams:
            self.streams.pop(key)[1].close()

    async def aclose(self) -> None:
        for key in list(self.streams):
            self._forget(key)


async def run(flow: umami_core.Flow[T], transport: StreamsTransport) -> T:
    """Run a core flow to its end: the async twin of a ten-line loop."""
    try:
        request = next(flow)
        while True:
            try:
                response = await transport.send(request)
            except umami_core.TransportError as exc:
                request = flow.throw(exc)
            else:
                request = flow.send(response)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


async def main(url: str, website_id: str) -> None:
    transport = StreamsTransport()
    config = umami_core.Config(website_id=website_id, hostname="example.com").with_url_base(url)

    print("heartbeat:", await run(umami_core.heartbeat(config), transport))
    username, password = os.environ.get("UMAMI_USERNAME", "admin"), os.environ.get("UMAMI_PASSWORD", "umami")
    login = await run(umami_core.login(config, username, password), transport)
    config = dataclasses.replace(config, token=login.token)
    print("logged in as:", login.user.username)

    for page in ("/", "/pricing"):
        sent: dict[str, Any] = await run(umami_core.new_page_view(config, page_title=f"Page {page}", url=page), transport)
        print(f"page view {page} sent, visit:", sent.get("visitId"))
    print("active users:", await run(umami_core.active_users(config), transport))

    print("connections opened:", transport.opened)
    print("imported:", sorted(name for name in ("httpx", "requests", "aiohttp") if name in sys.modules))
    await transport.aclose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "97205669-ea1f-4363-a133-7fd337cb3dbb"))
