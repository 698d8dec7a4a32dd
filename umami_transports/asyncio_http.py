"""A small HTTP/1.1 client on asyncio's own transports: the fast path of HttpxTransport's async side.

httpx's AsyncClient spends most of a call in its connection pool and in anyio, and slows down as
more calls are in flight (about 500 requests/s at 50 in flight against a fast server). The core
already encodes every byte of a request, so all this needs to do is keep connections per origin,
write the bytes and parse one answer at a time: a protocol that feeds the body to the core's
BodyReader as it arrives (bounded memory), a read timeout re-armed by each chunk, and a fixed
number of connections per origin for which calls wait their turn (within the call's deadline).

It raises httpx's exceptions (``httpx.ConnectError``, ``httpx.ReadTimeout``...), which the adapter
turns into ours as for httpx itself. Anything it does not do (proxies, HTTP/2, trio) goes through
httpx.AsyncClient instead: the adapter decides.
"""

from __future__ import annotations

import asyncio
import collections
import ssl
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from umami_core import Request, Response
from umami_core.body import BodyReader
from umami_transports.framing import host_header, wire_headers

__all__ = ["AsyncioPool"]

_MAX_HEAD = 64 * 1024
_MAX_CHUNK_LINE = 4096
_NO_BODY_STATUSES = frozenset({204, 304})


class _Exchange(asyncio.Protocol):
    """One connection: writes a request, parses its answer, and stays open for the next (keep-alive)."""

    def __init__(self, read_timeout: float | None) -> None:
        self._read_timeout = read_timeout
        self._loop = asyncio.get_running_loop()
        self._transport: asyncio.Transport | None = None
        self._closed = False
        self._future: asyncio.Future[Response] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._max_body = 0
        self._reset()

    def _reset(self) -> None:
        self._buffer = bytearray()
        self._status = 0
        self._headers: tuple[tuple[str, str], ...] = ()
        self._reader: BodyReader | None = None
        self._framing = ""  # "", "length", "chunked" or "close" once the head is read
        self._left = 0  # bytes left of the body ("length") or of the current chunk ("chunked")
        self._chunk_state = "size"
        self._keep_alive = True

    # -- asyncio's side --------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if self._future is None or self._future.done():
            self._keep_alive = False  # bytes nobody asked for: this connection cannot be trusted again
            self._close()
            return
        try:
            if not self._framing:
                self._buffer += data
                self._read_head()
            else:
                self._read_body(data)
        except httpx.RemoteProtocolError as exc:
            self._fail(exc)
        if not self._future.done():
            self._arm_timer()  # the read timeout counts from the latest bytes

    def eof_received(self) -> bool:
        if self._framing == "close" and self._reader is not None:
            self._finish()
        else:
            self._fail(httpx.RemoteProtocolError("Server disconnected without sending a complete response."))
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._closed = True
        if exc is not None:
            self._fail(httpx.ReadError(str(exc) or type(exc).__name__))
        elif self._framing == "close" and self._reader is not None:
            self._finish()
        else:
            self._fail(httpx.RemoteProtocolError("Server disconnected without sending a complete response."))

    # -- the pool's side -----------------------------------------------------------------------

    @property
    def reusable(self) -> bool:
        return not self._closed and self._keep_alive and self._transport is not None and not self._transport.is_closing()

    def send(self, wire: bytes, max_body: int) -> asyncio.Future[Response]:
        """Write ``wire``; the future gets the answer, or an httpx exception."""
        self._reset()
        self._max_body = max_body
        self._future = self._loop.create_future()
        assert self._transport is not None
        self._transport.write(wire)
        self._arm_timer()
        return self._future

    def abandon(self) -> None:
        """The caller stopped waiting (cancelled): the answer may still come, so the connection goes."""
        self._keep_alive = False
        self._close()

    def _close(self) -> None:
        self._cancel_timer()
        if self._transport is not None:
            self._transport.abort()

    # -- parsing -------------------------------------------------------------------------------

    def _read_head(self) -> None:
        while True:
            end = self._buffer.find(b"\r\n\r\n", 0, _MAX_HEAD + 4)
            if end < 0:
                if len(self._buffer) > _MAX_HEAD:
                    raise httpx.RemoteProtocolError(f"The response head is larger than {_MAX_HEAD} bytes.")
                return
            head, rest = bytes(self._buffer[:end]), bytes(self._buffer[end + 4 :])
            lines = head.decode("latin-1").split("\r\n")
            version, _, status_and_reason = lines[0].partition(" ")
            status = status_and_reason[:3]
            if not version.startswith("HTTP/1.") or len(status) != 3 or not status.isdigit():
                raise httpx.RemoteProtocolError(f"Not an HTTP/1.1 status line: {lines[0][:80]!r}")
            self._status = int(status)
            if 100 <= self._status < 200:  # an interim answer (100 Continue...): the real one follows
                self._buffer = bytearray(rest)
                continue
            headers = []
            for line in lines[1:]:
                name, colon, value = line.partition(":")
                if not colon or not name or name != name.strip():
                    raise httpx.RemoteProtocolError(f"Not an HTTP header line: {line[:80]!r}")
                headers.append((name, value.strip()))
            self._headers = tuple(headers)
            self._start_body(version)
            self._buffer = bytearray()
            if self._framing == "length" and self._left == 0:
                self._finish()
            elif rest:
                self._read_body(rest)
            return

    def _start_body(self, version: str) -> None:
        fields = {name.lower(): value for name, value in self._headers}
        connection = fields.get("connection", "").lower()
        self._keep_alive = "close" not in connection and (version != "HTTP/1.0" or "keep-alive" in connection)
        self._reader = BodyReader(fields.get("content-encoding"), self._max_body)
        if self._status in _NO_BODY_STATUSES:
            self._framing, self._left = "length", 0
        elif "chunked" in fields.get("transfer-encoding", "").lower():
            self._framing = "chunked"
        elif "content-length" in fields:
            length = fields["content-length"]
            if not length.isdigit() or len(length) > 18:
                raise httpx.RemoteProtocolError(f"Not a Content-Length: {length[:40]!r}")
            self._framing, self._left = "length", int(length)
        else:
            self._framing, self._keep_alive = "close", False

    def _read_body(self, data: bytes) -> None:
        assert self._reader is not None
        if self._framing == "length":
            taken, extra = data[: self._left], data[self._left :]
            self._left -= len(taken)
            if extra:
                self._keep_alive = False  # more bytes than the answer: the connection is out of step
            if not self._reader.feed(taken):
                self._finish(cut=True)
            elif self._left == 0:
                self._finish()
        elif self._framing == "chunked":
            self._buffer += data
            self._read_chunks()
        elif not self._reader.feed(data):
            self._finish(cut=True)

    def _read_chunks(self) -> None:
        assert self._reader is not None
        buffer = self._buffer
        while buffer:
            if self._chunk_state == "data":
                taken = bytes(buffer[: self._left])
                del buffer[: len(taken)]
                self._left -= len(taken)
                if not self._reader.feed(taken):
                    self._finish(cut=True)
                    return
                if self._left == 0:
                    self._chunk_state = "end"
                continue
            end = buffer.find(b"\r\n")
            if end < 0:
                if len(buffer) > _MAX_CHUNK_LINE:
                    raise httpx.RemoteProtocolError("A chunk size line is too long.")
                return
            line = bytes(buffer[:end])
            del buffer[: end + 2]
            if self._chunk_state == "end":  # the CRLF after a chunk's data
                if line:
                    raise httpx.RemoteProtocolError("A chunk is longer than its size.")
                self._chunk_state = "size"
            elif self._chunk_state == "size":
                size = line.split(b";", 1)[0].strip()
                try:
                    self._left = int(size, 16)
                except ValueError:
                    raise httpx.RemoteProtocolError(f"Not a chunk size: {size[:20]!r}") from None
                self._chunk_state = "data" if self._left else "trailer"
            elif not line:  # the empty line that ends the trailer
                self._keep_alive = self._keep_alive and not buffer
                self._finish()
                return

    def _finish(self, *, cut: bool = False) -> None:
        self._cancel_timer()
        if cut:
            self._keep_alive = False  # the rest of the body was not read
        future, reader = self._future, self._reader
        if future is not None and not future.done() and reader is not None:
            future.set_result(Response(self._status, self._headers, reader.body, reader.truncated))
        if not self._keep_alive:
            self._close()

    def _fail(self, error: Exception) -> None:
        self._cancel_timer()
        self._keep_alive = False
        if self._future is not None and not self._future.done():
            self._future.set_exception(error)
        self._close()

    def _arm_timer(self) -> None:
        if self._read_timeout is not None:
            self._cancel_timer()
            self._timer = self._loop.call_later(self._read_timeout, self._fail, httpx.ReadTimeout("No answer within the read timeout."))

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


_Origin = tuple[str, str, int]


class _Slots:
    """The connections of one origin: those idle, how many are open, and the calls waiting for one."""

    __slots__ = ("idle", "open", "waiting")

    def __init__(self) -> None:
        self.idle: collections.deque[tuple[_Exchange, float]] = collections.deque()
        self.open = 0
        self.waiting: collections.deque[asyncio.Future[_Exchange | None]] = collections.deque()


class AsyncioPool:
    """Keep-alive connections per origin, for one event loop; at most ``max_connections`` to each.

    Args:
        connect_timeout: Seconds to open a connection (TLS handshake included); None waits forever.
        read_timeout: Seconds without a byte of the answer before ``httpx.ReadTimeout``; None waits forever.
        ssl_context: Makes the TLS context, on the first https connection.
        max_connections: Connections open at once to one origin; further calls wait their turn.
        keepalive_expiry: An idle connection older than this is closed, not reused (servers close
            theirs: Node's default is after 5 s).
    """

    def __init__(
        self,
        *,
        connect_timeout: float | None,
        read_timeout: float | None,
        ssl_context: Callable[[], ssl.SSLContext],
        max_connections: int = 10,
        keepalive_expiry: float = 4.0,
    ) -> None:
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._ssl_context = ssl_context
        self._ssl: ssl.SSLContext | None = None
        self._max = max_connections
        self._expiry = keepalive_expiry
        self._origins: dict[_Origin, _Slots] = {}

    async def send(self, request: Request) -> Response:
        parts = urlsplit(request.url)
        origin = (parts.scheme, parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        lines = [f"{request.method} {target} HTTP/1.1", f"Host: {host_header(parts)}"]
        lines += [f"{name}: {value}" for name, value in wire_headers(request)]
        wire = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (request.body or b"")
        slots = self._origins.get(origin)
        if slots is None:
            slots = self._origins[origin] = _Slots()
        connection = await self._acquire(origin, slots)
        try:
            response = await connection.send(wire, request.max_body)
        except BaseException:
            connection.abandon()
            self._release(slots, connection)
            raise
        self._release(slots, connection)
        return response

    async def aclose(self) -> None:
        for slots in self._origins.values():
            while slots.idle:
                slots.idle.pop()[0].abandon()
        self._origins.clear()

    async def _acquire(self, origin: _Origin, slots: _Slots) -> _Exchange:
        now = time.monotonic()
        while slots.idle:
            connection, since = slots.idle.pop()  # the most recently used: the least likely closed by the server
            if connection.reusable and now - since < self._expiry:
                return connection
            connection.abandon()
            slots.open -= 1
        if slots.open >= self._max:
            waiter: asyncio.Future[_Exchange | None] = asyncio.get_running_loop().create_future()
            slots.waiting.append(waiter)
            try:
                handed = await waiter
            except BaseException:
                if waiter.done() and not waiter.cancelled():  # a connection or a slot came just too late: pass it on
                    self._pass_on(slots, waiter.result())
                else:
                    slots.waiting.remove(waiter)
                raise
            if handed is not None:
                return handed
        else:
            slots.open += 1  # a slot of its own, before any await: no other call can take it
        try:
            return await self._connect(origin)
        except BaseException:
            self._pass_on(slots, None)
            raise

    def _release(self, slots: _Slots, connection: _Exchange) -> None:
        self._pass_on(slots, connection if connection.reusable else None)

    def _pass_on(self, slots: _Slots, connection: _Exchange | None) -> None:
        """Hand ``connection`` (or, if None, the right to open one) to the next waiting call, or keep it."""
        while slots.waiting:
            waiter = slots.waiting.popleft()
            if not waiter.done():
                waiter.set_result(connection)
                return
        if connection is None:
            slots.open -= 1
        else:
            slots.idle.append((connection, time.monotonic()))

    async def _connect(self, origin: _Origin) -> _Exchange:
        scheme, host, port = origin
        context = None
        if scheme == "https":
            if self._ssl is None:
                self._ssl = self._ssl_context()
            context = self._ssl
        loop = asyncio.get_running_loop()
        try:
            opening = loop.create_connection(
                lambda: _Exchange(self._read_timeout), host, port, ssl=context, server_hostname=host if context else None
            )
            _, connection = await asyncio.wait_for(opening, self._connect_timeout)
        except asyncio.TimeoutError:
            raise httpx.ConnectTimeout(f"No connection to {host}:{port} within the connect timeout.") from None
        except (OSError, ssl.SSLError) as exc:
            raise httpx.ConnectError(str(exc) or type(exc).__name__) from exc
        return connection
