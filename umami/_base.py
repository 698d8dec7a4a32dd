"""What every part of the client shares: the configuration and the chosen transports."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from typing import Any, TypeVar, Union

import httpx

from umami_core import Config, Flow
from umami_transports import HttpxTransport, Transport, arun, run

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def async_twin(sync: Callable[..., Any]) -> Callable[[F], F]:
    """Give an ``*_async`` method the full docstring of its sync twin, so both document the same contract."""

    def document(function: F) -> F:
        function.__doc__ = f"Async twin of {sync.__name__}(): the same arguments, result and exceptions; await it.\n\n{sync.__doc__}"
        return function

    return document

#: What set_transport() takes: a transport, or a configured httpx client to wrap.
TransportLike = Union[Transport, httpx.Client, httpx.AsyncClient]


def _as_transport(transport: TransportLike) -> Transport:
    if isinstance(transport, httpx.Client):
        return HttpxTransport(client=transport)
    if isinstance(transport, httpx.AsyncClient):
        return HttpxTransport(async_client=transport)
    if isinstance(transport, Transport):
        return transport
    raise TypeError(
        f"set_transport() takes a umami_transports.Transport, an httpx.Client or an httpx.AsyncClient, "
        f"got {type(transport).__name__}."
    )


class ClientBase:
    """The state of one client: an immutable Config, replaced whole on every change, and transports."""

    def __init__(self, transport: TransportLike | None = None, *, config: Config | None = None) -> None:
        self._config = config or Config()
        self._lock = threading.Lock()
        self._default: HttpxTransport | None = None
        self._sync_transport: Transport | None = None
        self._async_transport: Transport | None = None
        if transport is not None:
            self.set_transport(transport)

    @property
    def config(self) -> Config:
        """The current configuration (immutable; credentials hidden from its repr)."""
        return self._config

    def _update(self, **changes: Any) -> None:
        with self._lock:
            self._config = dataclasses.replace(self._config, **changes)

    def set_transport(self, transport: TransportLike | None) -> None:
        """Choose how requests are sent.

        Args:
            transport: A ``umami_transports.Transport`` (``HttpxTransport``, ``MockTransport``, one
                of your own); a configured ``httpx.Client`` (used for the sync functions) or
                ``httpx.AsyncClient`` (used for the ``*_async`` functions); or None to go back to the
                default httpx transport. A transport that serves only sync (or only async) calls
                replaces only that side.

        Example:
            ```python
            umami.set_transport(httpx.Client(proxy='http://proxy:3128', timeout=3.0))
            ```
        """
        if transport is None:
            self._sync_transport = self._async_transport = None
            return
        chosen = _as_transport(transport)
        if not (chosen.supports_sync or chosen.supports_async):
            raise TypeError(f"{type(chosen).__name__} implements neither send() nor send_async().")
        if chosen.supports_sync:
            self._sync_transport = chosen
        if chosen.supports_async:
            self._async_transport = chosen

    def _default_transport(self) -> HttpxTransport:
        if self._default is None:
            with self._lock:
                if self._default is None:
                    self._default = HttpxTransport()
        return self._default

    def _run(self, flow: Flow[T]) -> T:
        return run(flow, self._sync_transport or self._default_transport())

    async def _arun(self, flow: Flow[T]) -> T:
        return await arun(flow, self._async_transport or self._default_transport())

    def close(self) -> None:
        """Close the connections of the default transport (transports you passed in stay yours)."""
        if self._default is not None:
            self._default.close()

    async def aclose(self) -> None:
        """Close the default transport's async connections of the running event loop."""
        if self._default is not None:
            await self._default.aclose()
