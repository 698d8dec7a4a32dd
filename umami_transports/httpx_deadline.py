"""A network layer for httpx's sync clients that never waits past the call's deadline.

httpx's timeouts bound each read, not the whole exchange: a server that trickles one byte at a
time never trips them. Wrapped around the connection pool's network backend, these streams
shorten every connect, read and write to what is left of the deadline (see ``deadline``), so a
sync call ends on time whatever the server does. Only the clients the transport makes get it.
"""

from __future__ import annotations

import logging
import typing

import httpcore
import httpx

from umami_transports.deadline import DeadlinePassed, clamp

__all__ = ["with_deadlines"]

logger = logging.getLogger("umami")


def _bounded(timeout: float | None, error: type[httpcore.TimeoutException]) -> float | None:
    try:
        return clamp(timeout)
    except DeadlinePassed as exc:
        raise error(str(exc)) from None


class _Stream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: typing.Any, server_hostname: str | None = None, timeout: float | None = None) -> _Stream:
        return _Stream(self._stream.start_tls(ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> _Stream:
        timeout = _bounded(timeout, httpcore.ConnectTimeout)
        return _Stream(self._backend.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: typing.Iterable[typing.Any] | None = None
    ) -> _Stream:
        return _Stream(self._backend.connect_unix_socket(path, _bounded(timeout, httpcore.ConnectTimeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def with_deadlines(client: httpx.Client) -> httpx.Client:
    """``client``, its connection pools reading and writing within the call's deadline.

    httpx has no public way to choose the network backend of the pools it makes, so this reaches
    the pool's backend by its attribute name; if a future httpx renames it, calls still end within
    the per-read timeouts and the deadline is checked between body chunks (logged once at DEBUG).
    """
    for transport in [client._transport, *client._mounts.values()]:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if isinstance(backend, httpcore.NetworkBackend) and not isinstance(backend, _Backend):
            pool._network_backend = _Backend(backend)  # type: ignore[union-attr]
        elif transport is not None:
            logger.debug("umami: httpx transport %r has no network backend to bound; deadline checked between reads", transport)
    return client
