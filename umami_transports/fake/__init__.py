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

What it implements (umami-server.md and the server's source, v3.1.0, are the reference): heartbeat;
auth login, verify, logout; me; websites list (``page``, ``pageSize``, ``search``, ``includeTeams``),
create, get, update, delete; send and batch (validation with the server's 400 envelopes, bot check,
session and visit ids, ``x-umami-cache``, event data and identify data rows); the read routes of a
3.1 server: website stats with comparison and filters, active visitors, metrics of every type and
``metrics/expanded``, values, pageviews and events series (units clamped as the server does, its
date labels), events and sessions lists, one session with its activity and properties, session
stats and the weekly heatmap, event data and session data, realtime, daterange, export, revenue
sessions; the report runs (``POST /api/reports/<type>``: funnel, goal, journey, retention, utm,
revenue, attribution, breakdown; not performance); users, teams and the caller's lists
(:meth:`FakeUmami.add_team`); boards, links, pixels, shares, segments and replays answer as empty
tables (nothing creates them here). Umami Cloud:
``/v1[/us|/eu]/...`` with ``x-umami-api-key`` (see :meth:`FakeUmami.create_api_key`), and
``/api/send`` on any host. :func:`served_operations` lists the operations of the API contract
(``umami_core.OPERATIONS``) it serves; the others answer 404 as an older server does.
"""

from umami_transports.fake.coverage import served_operations
from umami_transports.fake.detect import Location
from umami_transports.fake.faults import FaultCounts, Faults
from umami_transports.fake.instance import DEFAULT_APP_SECRET, FakeUmami, ManualClock
from umami_transports.fake.server import FakeServer
from umami_transports.fake.store import Event, Revenue, Session, Team, TeamUser, User, Website
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
    "Team",
    "TeamUser",
    "User",
    "Website",
    "serve",
    "served_operations",
]


def serve(fake: FakeUmami | None = None, host: str = "127.0.0.1", port: int = 0, *, verbose: bool = False) -> FakeServer:
    """Start a :class:`FakeServer` in a background thread and return it (call ``.stop()`` when done)."""
    return FakeServer(fake, host, port, verbose=verbose).start()
