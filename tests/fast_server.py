"""A fast HTTP/1.1 keep-alive server in a subprocess (its own GIL), answering every request with
Umami's answer to a send (to a batch, the answer that counts its items): for tests and benchmarks
that put thousands of requests on the wire.

    with fast_server() as url: ...      # url is http://127.0.0.1:<port>
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

ANSWER = b'{"cache":"x","sessionId":"y","visitId":"z"}'
_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)", re.IGNORECASE)
_RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(ANSWER), ANSWER)


class _Http(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            match = _LENGTH.search(self.buffer, 0, end + 2)
            total = end + 4 + (int(match.group(1)) if match else 0)
            if len(self.buffer) < total:
                return
            request, self.buffer = self.buffer[:total], self.buffer[total:]
            if request.startswith(b"POST /api/batch "):
                count = request.count(b'{"type":"event"')  # the items, as umami encodes them
                answer = b'{"size":%d,"processed":%d,"errors":0,"details":[]}' % (count, count)
                head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(answer)
                self.transport.write(head + answer)
            else:
                self.transport.write(_RESPONSE)


async def _serve() -> None:
    """Serve until stdin closes: when the test ends, however it ends, so does the server."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_Http, "127.0.0.1", 0, backlog=4096)
    print(server.sockets[0].getsockname()[1], flush=True)
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


@contextmanager
def fast_server() -> Iterator[str]:
    with subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as server:
        assert server.stdout is not None and server.stdin is not None
        try:
            yield f"http://127.0.0.1:{server.stdout.readline().strip()}"
        finally:
            server.stdin.close()


if __name__ == "__main__":
    asyncio.run(_serve())
