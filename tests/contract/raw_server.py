"""A raw HTTP/1.1 server on 127.0.0.1 (port 0), over plain sockets: it keeps the exact bytes of each
request (request line, headers in their order and case, body), counts connections, and can accept a
connection and never answer. Also: an address where nothing listens (connection refused).
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterable

#: Request bytes in, response bytes out; None: accept the request and never answer. An iterable
#: of chunks is sent chunk by chunk (it may sleep in between), and an empty chunk means silence.
Answer = Callable[[bytes], "bytes | Iterable[bytes] | None"]

_CONTENT_LENGTH = re.compile(rb"^content-length:[ \t]*(\d+)[ \t]*$", re.IGNORECASE | re.MULTILINE)


def http_response(status: int, body: bytes, content_type: str = "application/json") -> bytes:
    """A complete keep-alive HTTP/1.1 response."""
    head = f"HTTP/1.1 {status} Status\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


def request_target(raw: bytes) -> tuple[str, str]:
    """(method, target) of a raw request."""
    method, target, _ = raw.split(b"\r\n", 1)[0].decode().split(" ", 2)
    return method, target


class RawServer:
    """``with RawServer(answer) as server:``; ``server.requests`` holds each request's exact bytes."""

    def __init__(self, answer: Answer | None = None, host: str = "127.0.0.1", *, hang_up_after: float | None = None) -> None:
        self.answer: Answer = answer or (lambda raw: None)
        self.hang_up_after = hang_up_after  # close each connection this long after answering, as servers drop idle ones
        self.requests: list[bytes] = []
        self.connections = 0
        self.closed_by_client = 0  # connections the client closed (the server saw end of file)
        self._closed = threading.Condition()
        self._listener = socket.create_server((host, 0))
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> RawServer:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        # shutdown() wakes the threads blocked in accept() and recv(); close() alone would not.
        with self._lock:
            for sock in (self._listener, *self._open):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:  # closed by __exit__
                return
            with self._lock:
                self.connections += 1
                self._open.append(connection)
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def wait_closed_by_client(self, count: int, timeout: float = 2.0) -> bool:
        """Wait until the client has closed ``count`` connections; False if it did not within ``timeout``."""
        with self._closed:
            return self._closed.wait_for(lambda: self.closed_by_client >= count, timeout)

    def _serve(self, connection: socket.socket) -> None:
        buffer = b""
        try:
            while True:
                while b"\r\n\r\n" not in buffer:
                    chunk = connection.recv(65536)
                    if not chunk:
                        if not buffer:
                            with self._closed:
                                self.closed_by_client += 1
                                self._closed.notify_all()
                        return
                    buffer += chunk
                head, _, rest = buffer.partition(b"\r\n\r\n")
                match = _CONTENT_LENGTH.search(head)
                length = int(match.group(1)) if match else 0
                while len(rest) < length:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    rest += chunk
                raw, buffer = head + b"\r\n\r\n" + rest[:length], rest[length:]
                with self._lock:
                    self.requests.append(raw)
                reply = self.answer(raw)
                if reply is None:
                    connection.recv(1)  # hold the connection open, silent, until either side closes it
                    return
                if isinstance(reply, bytes):
                    connection.sendall(reply)
                    if self.hang_up_after is not None:
                        time.sleep(self.hang_up_after)
                        return
                    continue
                for chunk in reply:
                    if not chunk:
                        connection.recv(1)  # silence until either side closes the connection
                        return
                    connection.sendall(chunk)
        except OSError:
            return
        finally:
            connection.close()


def refused_url() -> str:
    """The URL of a port on 127.0.0.1 where nothing listens: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        host, port = probe.getsockname()[:2]
    return f"http://{host}:{port}"
