"""FakeTransport: the client talks to a FakeUmami in the same process, without sockets."""

from __future__ import annotations

from dataclasses import replace

from umami_core import Request, Response
from umami_transports.base import Transport
from umami_transports.fake.instance import FakeUmami

__all__ = ["FakeTransport"]


class FakeTransport(Transport):
    """Serves sync and async calls from a :class:`FakeUmami`, in process.

    The host of each URL is ignored (only the path and query count), so Cloud mode works as it is:
    data calls to ``https://api.umami.is/v1/...`` and sends to ``https://cloud.umami.is/api/send``
    both reach the fake. Each request is seen as coming from ``client_ip`` (what a server would
    see as the connecting address), 127.0.0.1 by default; None when no address should be known.

    Example::

        fake = FakeUmami()
        umami.set_url_base("http://umami.test")
        umami.set_transport(FakeTransport(fake))
    """

    def __init__(self, fake: FakeUmami | None = None, *, client_ip: str | None = "127.0.0.1") -> None:
        self.fake = fake if fake is not None else FakeUmami()
        self.client_ip = client_ip

    def send(self, request: Request) -> Response:
        response = self.fake.handle(request, self.client_ip)
        return replace(response, body=b"") if request.method.upper() == "HEAD" else response

    async def send_async(self, request: Request) -> Response:
        return self.send(request)

    def __repr__(self) -> str:
        return f"FakeTransport({self.fake!r})"
