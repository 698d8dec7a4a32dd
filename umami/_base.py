"""What every part of the client shares: the configuration and the chosen transports."""

from __future__ import annotations

import dataclasses
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar, Union

import umami_transports
from umami_core import Config, Flow
from umami_transports import Transport, arun, run

if TYPE_CHECKING:
    import aiohttp
    import httpx
    import requests

    from umami._delivery.sender import BackgroundSender
    from umami_transports import HttpxTransport

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def async_twin(sync: Callable[..., Any]) -> Callable[[F], F]:
    """Give an ``*_async`` method the full docstring of its sync twin, so both document the same contract."""

    def document(function: F) -> F:
        function.__doc__ = f"Async twin of {sync.__name__}(): the same arguments, result and exceptions; await it.\n\n{sync.__doc__}"
        return function

    return document

#: What set_transport() takes: a transport; a configured httpx client, requests.Session or
#: aiohttp.ClientSession to wrap; or the name of an adapter ("httpx", "requests", "aiohttp").
TransportLike = Union[
    Transport, "httpx.Client", "httpx.AsyncClient", "requests.Session", "aiohttp.ClientSession", Literal["httpx", "requests", "aiohttp"]
]


def _as_transport(transport: TransportLike) -> Transport:
    if isinstance(transport, Transport):
        return transport
    if transport == "httpx":
        return umami_transports.HttpxTransport()
    # A library's object can only exist if that library was imported: never import one here.
    httpx = sys.modules.get("httpx")
    if httpx is not None and isinstance(transport, httpx.Client):
        return umami_transports.HttpxTransport(client=transport)
    if httpx is not None and isinstance(transport, httpx.AsyncClient):
        return umami_transports.HttpxTransport(async_client=transport)
    if transport == "requests":
        return umami_transports.RequestsTransport()  # ImportError saying how to install requests if it is missing
    if transport == "aiohttp":
        return umami_transports.AiohttpTransport()
    requests = sys.modules.get("requests")
    if requests is not None and isinstance(transport, requests.Session):
        return umami_transports.RequestsTransport(transport)
    aiohttp = sys.modules.get("aiohttp")
    if aiohttp is not None and isinstance(transport, aiohttp.ClientSession):
        return umami_transports.AiohttpTransport(transport)
    raise TypeError(
        "set_transport() takes a umami_transports.Transport; an httpx.Client, httpx.AsyncClient, requests.Session or "
        f"aiohttp.ClientSession; or one of 'httpx', 'requests', 'aiohttp'; got {transport!r:.80}."
    )


class ClientBase:
    """The state of one client: an immutable Config, replaced whole on every change, and transports."""

    def __init__(self, transport: TransportLike | None = None, *, config: Config | None = None) -> None:
        self._config = config or Config()
        self._lock = threading.Lock()
        self._default: HttpxTransport | None = None
        self._owned: list[Transport] = []  # made here (from a name or a client of yours): closed by close()/aclose()
        self._sync_transport: Transport | None = None
        self._async_transport: Transport | None = None
        self._sender: BackgroundSender | None = None  # background sending, when enabled
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
            transport: One of

                - a ``umami_transports.Transport`` (``HttpxTransport``, ``RequestsTransport``,
                  ``AiohttpTransport``, ``MockTransport``, one of your own);
                - your own configured client, which stays yours (this client never closes it): an
                  ``httpx.Client`` or ``requests.Session`` (for the sync functions), an
                  ``httpx.AsyncClient`` or ``aiohttp.ClientSession`` (for the ``*_async`` functions;
                  these are bound to the event loop they were made in);
                - the name of an adapter with its default settings: ``'httpx'`` (sync and async, the
                  default), ``'requests'`` (sync) or ``'aiohttp'`` (async);
                - None, to go back to the default httpx transport.

                A transport that serves only sync (or only async) calls replaces only that side.
                requests and aiohttp are optional: ``pip install 'umami-client[requests]'`` or
                ``'umami-client[aiohttp]'``.

        Raises:
            ImportError: If the chosen adapter's library is not installed (the message says how to install it).
            TypeError: If ``transport`` is none of the above.

        Example:
            ```python
            umami.set_transport(httpx.Client(proxy='http://proxy:3128', timeout=3.0))
            umami.set_transport('requests')                # sync calls over requests
            umami.set_transport(requests_session)          # ... or over your own requests.Session
            ```
        """
        if transport is None:
            self._sync_transport = self._async_transport = None
            return
        chosen = _as_transport(transport)
        if chosen is not transport:
            self._owned.append(chosen)  # its close() leaves a client or session of yours open
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
                    self._default = umami_transports.HttpxTransport()
        return self._default

    def _run(self, flow: Flow[T]) -> T:
        return run(flow, self._sync_transport or self._default_transport(), self._config.limits)

    async def _arun(self, flow: Flow[T]) -> T:
        return await arun(flow, self._async_transport or self._default_transport(), self._config.limits)

    def _made_here(self) -> list[Transport]:
        return [*self._owned, *([self._default] if self._default is not None else [])]

    def close(self) -> None:
        """Close the connections of the transports made here: the default one, and those made from a
        name. Transports, clients and sessions you passed in stay open: they are yours. Background
        sending, if on, is flushed (within its exit_timeout) and stopped first."""
        sender, self._sender = self._sender, None
        if sender is not None:
            sender.shutdown(sender.options.exit_timeout)
        for transport in self._made_here():
            transport.close()

    async def aclose(self) -> None:
        """Async twin of close(), for the async connections of the running event loop."""
        for transport in self._made_here():
            await transport.aclose()
