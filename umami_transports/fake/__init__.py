"""An embedded, in-memory Umami (3.1) for demos and tests: same answers, ids and numbers as the real server.

- :class:`FakeUmami`: the server's state and semantics; ``fake.events()``, ``fake.page_views()``,
  ``fake.custom_events()``, ``fake.sessions()``, ``fake.revenue()`` show what was sent.
- :class:`FakeTransport`: use it in process, without sockets (``umami.set_transport(FakeTransport(fake))``).
- :class:`FakeServer`: serve it over HTTP on 127.0.0.1, for any client.
- ``python -m umami_transports.fake [--port N]``: the same from a shell; prints the URL, the admin
  login (admin / umami) and the id of the website it created.
- The pytest fixtures ``umami_fake`` (in process) and ``umami_fake_server`` (over HTTP) configure the
  ``umami`` module for a test; see :mod:`umami_transports.fake.pytest_plugin`.
- :class:`Faults`: fail requests on purpose, reproducibly (error statuses with ``Retry-After``,
  connection resets, late answers; before or after storing), to test a client's retries:
  ``FakeUmami(faults=Faults(rate=0.3, routes=("/api/batch",)))``, ``fake.fault_counts``
  (:class:`FaultCounts`). ``FakeUmami(batch_limit=500)`` caps ``/api/batch`` as newer servers do.

What it implements (umami-server.md is the reference): heartbeat; auth login, verify, logout; me;
websites list (``page``, ``pageSize``, ``search``), create, get, update, delete; send and batch
(validation with the server's 400 envelopes, bot check, session and visit ids, ``x-umami-cache``);
website stats with comparison and filters; active visitors; metrics; pageviews; events; sessions;
realtime; daterange. Umami Cloud: ``/v1[/us|/eu]/...`` with ``x-umami-api-key`` (see
:meth:`FakeUmami.create_api_key`), and ``/api/send`` on any host.
"""

from umami_transports.fake.detect import Location
from umami_transports.fake.faults import FaultCounts, Faults
from umami_transports.fake.instance import DEFAULT_APP_SECRET, FakeUmami, ManualClock
from umami_transports.fake.server import FakeServer
from umami_transports.fake.store import Event, Revenue, Session, User, Website
from umami_transports.fake.transport import FakeTransport

__all__ = [
    "DEFAULT_APP_SECRET",
    "Event",
    "FakeServer",
    "FakeTransport",
    "FakeUmami",
    "FaultCounts",
    "Faults",
    "Location",
    "ManualClock",
    "Revenue",
    "Session",
    "User",
    "Website",
    "serve",
]


def serve(fake: FakeUmami | None = None, host: str = "127.0.0.1", port: int = 0, *, verbose: bool = False) -> FakeServer:
    """Start a :class:`FakeServer` in a background thread and return it (call ``.stop()`` when done)."""
    return FakeServer(fake, host, port, verbose=verbose).start()
