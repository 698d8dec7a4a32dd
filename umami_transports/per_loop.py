"""One resource per running event loop, closed when that loop shuts down.

An async HTTP client's connections belong to the event loop that opened them, so a transport
needs one client per loop. Keeping them in a dictionary keyed by loop would keep every finished
loop alive (the client refers to its loop); instead each entry comes with an async generator,
which the loop finalizes when it shuts down (``asyncio.run()`` calls ``loop.shutdown_asyncgens()``;
trio finalizes async generators at the end of ``trio.run()``). Finalizing forgets the entry and
closes the resource, so its connections are closed and the loop can go.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Generic, TypeVar

__all__ = ["PerLoop", "running_loop_key"]

R = TypeVar("R")


class _NotAsyncio:
    """Stands for 'no asyncio loop running' (trio...): one resource for it at a time."""


_NOT_ASYNCIO = _NotAsyncio()


def running_loop_key() -> object:
    """The running asyncio loop, or a stand-in when another async library runs."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return _NOT_ASYNCIO


class PerLoop(Generic[R]):
    """Makes ``R`` with ``make()`` once per event loop; ``close(r)`` runs when that loop shuts down."""

    def __init__(self, make: Callable[[], R], close: Callable[[R], Awaitable[object]]) -> None:
        self._make = make
        self._close = close
        self._entries: dict[object, tuple[R, AsyncGenerator[None, None]]] = {}
        self._lock = threading.Lock()

    async def get(self) -> R:
        key = running_loop_key()
        found = self._entries.get(key)
        if found is not None:
            return found[0]
        resource = self._make()
        closer = self._closed_at_shutdown(key, resource)
        # No await between the lookup and the insertion: one resource per loop, however many tasks race.
        with self._lock:
            self._entries[key] = (resource, closer)
        await closer.__anext__()  # from here on the loop knows to finalize it
        return resource

    async def _closed_at_shutdown(self, key: object, resource: R) -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            with self._lock:
                self._entries.pop(key, None)
            await self._close(resource)

    async def aclose(self) -> None:
        """Close the running loop's resource now (a later get() makes a new one)."""
        with self._lock:
            found = self._entries.pop(running_loop_key(), None)
        if found is not None:
            await found[1].aclose()

    def __len__(self) -> int:
        return len(self._entries)
