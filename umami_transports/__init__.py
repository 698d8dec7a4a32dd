"""Transports for the umami client: the drivers that run core flows, and the adapters that move bytes.

- :func:`run` / :func:`arun`: run a ``umami_core`` flow over a sync / async transport.
- :class:`Transport`: the base class of transports; :class:`MockTransport` answers with a function.
- :class:`HttpxTransport`: the default adapter, over httpx (sync and async).
"""

from umami_transports.base import Handler, MockTransport, Transport
from umami_transports.drivers import arun, run
from umami_transports.httpx_adapter import DEFAULT_TIMEOUT, HttpxAPIError, HttpxTransport

__all__ = ["DEFAULT_TIMEOUT", "Handler", "HttpxAPIError", "HttpxTransport", "MockTransport", "Transport", "arun", "run"]
