"""FakeTransport: the client talks to a FakeUmami in the same process, without sockets."""

from __future__ import annotations

import time
from dataclasses import replace

from umami_core import Request, Response, TransportError, TransportTimeoutError
from umami_transports.base import Transport, dual_error_class
from umami_transports.fake.faults import Answer
from umami_transports.fake.instance import FakeUmami

__all__ = ["FakeTransport"]


class FakeTransport(Transport):
    """Serves sync and async calls from a :class:`FakeUmami`, in process.

    The host of each URL is ignored (only the path and query count), so Cloud mode works as it is:
    data calls to ``https://api.umami.is/v1/...`` and sends to ``https://cloud.umami.is/api/send``
    both reach the fake. Each request is seen as coming from ``client_ip`` (what a server would
    see as the connecting address), 127.0.0.1 by default; None when no address should be known.

    The fake's :class:`~umami_transports.fake.Faults` happen here as a socket's would: a reset
    raises ``umami_core.TransportError`` (also a ``ConnectionResetError``); a delay sleeps (awaits,
    in async calls), and one longer than the time the call has left (``Request.timeout``, from
    ``umami.set_limits(deadline=...)``) raises ``umami_core.TransportTimeoutError`` when that runs out.

    Example::

        fake = FakeUmami()
        umami.set_url_base("http://umami.test")
        umami.set_transport(FakeTransport(fake))
    """

    def __init__(self, fake: FakeUmami | None = None, *, client_ip: str | None = "127.0.0.1") -> None:
        self.fake = fake if fake is not None else FakeUmami()
        self.client_ip = client_ip

    def send(self, request: Request) -> Response:
        answer = self.fake.answer(request, self.client_ip)
        if answer.delay:
            time.sleep(_waited(answer, request))
        return _delivered(answer, request)

    async def send_async(self, request: Request) -> Response:
        answer = self.fake.answer(request, self.client_ip)
        if answer.delay:
            import anyio  # only for a delay: anyio sleeps under asyncio and trio alike

            await anyio.sleep(_waited(answer, request))
        return _delivered(answer, request)

    def __repr__(self) -> str:
        return f"FakeTransport({self.fake!r})"


def _waited(answer: Answer, request: Request) -> float:
    """How long to wait: the delay, or only the time the request has left."""
    return answer.delay if request.timeout is None else max(0.0, min(answer.delay, request.timeout))


def _delivered(answer: Answer, request: Request) -> Response:
    """The answer's response, or the error a transport raises for a reset or a timeout."""
    if answer.delay and request.timeout is not None and request.timeout < answer.delay:
        raise TransportTimeoutError(
            f"The fake Umami did not answer {request.method} {request.url} within {request.timeout:g} s "
            f"(an injected delay of {answer.delay:g} s)"
        )
    if answer.response is None:
        raise _reset_error(f"The fake Umami reset the connection of {request.method} {request.url} (an injected fault)")
    return replace(answer.response, body=b"") if request.method.upper() == "HEAD" else answer.response


def _reset_error(message: str) -> TransportError:
    # Both ours and the builtin, as the other transports raise theirs: either ``except`` catches it.
    return dual_error_class(__name__, "Fake", ConnectionResetError, timeout=False)(message)
