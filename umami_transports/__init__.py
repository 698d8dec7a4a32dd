"""Transports for the umami client: the drivers that run core flows, and the adapters that move bytes.

- :func:`run` / :func:`arun`: run a ``umami_core`` flow over a sync / async transport.
- :class:`Transport`: the base class of transports; :class:`MockTransport` answers with a function.
- :class:`HttpxTransport`: the default adapter, over httpx (sync and async).
- :class:`RequestsTransport` (sync) and :class:`AiohttpTransport` (async): optional adapters, imported
  on first use; they need ``pip install requests`` / ``pip install aiohttp`` (the extras of the same names).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from umami_transports.base import Handler, MockTransport, Transport
from umami_transports.drivers import arun, run

if TYPE_CHECKING:
    from umami_transports.aiohttp_adapter import AiohttpAPIError as AiohttpAPIError
    from umami_transports.aiohttp_adapter import AiohttpTransport as AiohttpTransport
    from umami_transports.httpx_adapter import DEFAULT_TIMEOUT as DEFAULT_TIMEOUT
    from umami_transports.httpx_adapter import HttpxTransport as HttpxTransport
    from umami_transports.requests_adapter import RequestsAPIError as RequestsAPIError
    from umami_transports.requests_adapter import RequestsTransport as RequestsTransport
    from umami_transports.status_errors import HttpxAPIError as HttpxAPIError

__all__ = ["DEFAULT_TIMEOUT", "Handler", "HttpxAPIError", "HttpxTransport", "MockTransport", "Transport", "arun", "run"]

#: Names imported on first use: (their module, the package they need). httpx is always installed
#: but costs time to import; requests and aiohttp are optional (and not in __all__, so a star
#: import does not need them).
_LAZY = {
    "DEFAULT_TIMEOUT": ("umami_transports.httpx_adapter", "httpx"),
    "HttpxTransport": ("umami_transports.httpx_adapter", "httpx"),
    "HttpxAPIError": ("umami_transports.status_errors", "httpx"),
    "RequestsTransport": ("umami_transports.requests_adapter", "requests"),
    "RequestsAPIError": ("umami_transports.requests_adapter", "requests"),
    "AiohttpTransport": ("umami_transports.aiohttp_adapter", "aiohttp"),
    "AiohttpAPIError": ("umami_transports.aiohttp_adapter", "aiohttp"),
}


def __getattr__(name: str) -> Any:
    """Import an optional adapter on first use, saying how to install its package if it is missing."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module_name, package = _LAZY[name]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        if exc.name != package:
            raise
        raise ImportError(f"{name} needs the {package} package: pip install {package} (or the [{package}] extra)", name=package) from exc
    return getattr(module, name)
