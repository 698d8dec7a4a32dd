"""Connections for requests' sessions that never wait past the call's deadline.

requests' timeouts bound each socket read, not the whole answer: a server that trickles its
headers one byte at a time never trips them. The sessions the transport makes mount
:class:`DeadlineAdapter`, whose connections read answers through a socket reader that shortens
every wait to what is left of the deadline (see ``deadline``). urllib3 turns the timeout into its
ReadTimeoutError, and requests into its ReadTimeout, as for any read timeout.
"""

from __future__ import annotations

import http.client
import io
import socket
import time
from typing import Any

import requests.adapters
import urllib3
import urllib3.connection

from umami_transports.deadline import deadline_at

__all__ = ["DeadlineAdapter"]


class _DeadlineReader(io.RawIOBase):
    """Reads from ``sock``, each wait at most until ``at`` (a ``time.monotonic()`` value)."""

    def __init__(self, sock: socket.socket, at: float) -> None:
        self._sock = sock
        self._at = at
        self._timeout = sock.gettimeout()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self._at - time.monotonic()
        if left <= 0:
            raise TimeoutError("the call's deadline passed")
        self._sock.settimeout(left if self._timeout is None else min(self._timeout, left))
        return self._sock.recv_into(buffer)


class _DeadlineResponse(http.client.HTTPResponse):
    def __init__(self, sock: socket.socket, *args: Any, **kwargs: Any) -> None:
        super().__init__(sock, *args, **kwargs)
        at = deadline_at()
        if at is not None:
            self.fp.close()  # the plain reader made by http.client, unused
            self.fp = io.BufferedReader(_DeadlineReader(sock, at))


class _HTTPConnection(urllib3.connection.HTTPConnection):
    response_class = _DeadlineResponse


class _HTTPSConnection(urllib3.connection.HTTPSConnection):
    response_class = _DeadlineResponse


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


_POOLS: dict[str, type[urllib3.HTTPConnectionPool]] = {"http": _HTTPPool, "https": _HTTPSPool}


class DeadlineAdapter(requests.adapters.HTTPAdapter):
    """requests' HTTPAdapter whose connections read within the call's deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):  # SOCKS pools have connection classes of their own
            manager.pool_classes_by_scheme = _POOLS
        return manager
