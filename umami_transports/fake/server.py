"""FakeServer: a FakeUmami behind a real HTTP/1.1 server on 127.0.0.1 (keep-alive, one thread per connection).

Any HTTP client can use it: this library with any transport, curl, the incumbent ``umami-analytics``
package, a browser. The raw request becomes a ``umami_core.Request``, the fake answers, and the
``umami_core.Response`` goes back on the wire; the HTTP semantics are the fake's, not this module's.
Injected faults (:class:`~umami_transports.fake.Faults`) happen on the wire: a reset is a TCP reset
once the request is read, a delay holds the answer back (until the server stops).
"""

from __future__ import annotations

import socket
import struct
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from umami_core import Request
from umami_transports.fake.instance import FakeUmami

__all__ = ["FakeServer"]

#: SO_LINGER on, with a timeout of 0: close() then drops the connection with a RST instead of a FIN.
_ABORT = struct.pack("HH" if sys.platform == "win32" else "ii", 1, 0)


class _Reset(Exception):
    """Raised in a handler to reset its connection without answering."""


class _Hangup(Exception):
    """Raised in a handler to close its connection without answering (the server stops)."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    #: Buffer each answer and send it in one write (flushed after each request): with headers and
    #: body in separate small writes, Nagle's algorithm and delayed ACKs add ~40 ms per request.
    wbufsize = -1
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def _body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def handle(self) -> None:
        try:
            super().handle()
        except _Reset:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _ABORT)
            # The socket closes only when its files do too; finish() and the server's shutdown_request()
            # then find them closed, which they allow.
            self.wfile.close()
            self.rfile.close()
            self.connection.close()
        except _Hangup:
            pass  # finish() and shutdown_request() close the connection

    def _serve(self) -> None:
        body = self._body()
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        request = Request(self.command, f"http://{host}{self.path}", tuple(self.headers.items()), body)
        answer = self.server.fake.answer(request, client_ip=self.client_address[0])
        if answer.delay and self.server.stopping.wait(answer.delay):
            raise _Hangup
        response = answer.response
        if response is None:
            self.log_message('"%s" reset (an injected fault)', self.requestline)
            raise _Reset
        self.send_response(response.status_code)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _serve


class _Server(ThreadingHTTPServer):
    #: One daemon thread per connection: an idle keep-alive client never holds up stop() or the exit.
    daemon_threads = True
    #: The listen backlog (socketserver's default is 5): connections that arrive together wait here
    #: for accept() instead of being reset. The kernel caps it at net.core.somaxconn.
    request_queue_size = 1024

    def __init__(self, address: tuple[str, int], fake: FakeUmami, verbose: bool) -> None:
        self.fake, self.verbose = fake, verbose
        #: Set when the server stops: wakes the handlers holding back a delayed answer.
        self.stopping = threading.Event()
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client went away (it gave up on a delayed answer): nothing went wrong here
        super().handle_error(request, client_address)


class FakeServer:
    """A :class:`FakeUmami` served over HTTP on ``host:port`` (port 0: the system picks one).

    Use it as a context manager, or call :meth:`start` and :meth:`stop`::

        with FakeServer() as server:
            umami.set_url_base(server.url)
            umami.login("admin", "umami")
            umami.set_website_id(server.fake.website_id)

    Args:
        fake: The FakeUmami to serve (a new one by default).
        host: Address to listen on; 127.0.0.1 keeps it private to this machine.
        port: Port to listen on, 0 for any free port (then read :attr:`port` or :attr:`url`).
        verbose: Log each request to stderr.
    """

    def __init__(self, fake: FakeUmami | None = None, host: str = "127.0.0.1", port: int = 0, *, verbose: bool = False) -> None:
        self.fake = fake if fake is not None else FakeUmami()
        self._server = _Server((host, port), self.fake, verbose)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The base URL to give ``umami.set_url_base()``, e.g. ``http://127.0.0.1:54321``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> FakeServer:
        """Serve in a background (daemon) thread; returns self."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-umami", daemon=True)
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until :meth:`stop` is called from another one (or KeyboardInterrupt)."""
        self._server.serve_forever(0.05)

    def stop(self) -> None:
        """Stop serving and close the listening socket (connections waiting on a delayed answer are closed)."""
        self._server.stopping.set()
        thread, self._thread = self._thread, None  # taken once, should two threads stop it at once
        if thread is not None:
            self._server.shutdown()
            thread.join()
        self._server.server_close()

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"FakeServer({self.url})"
