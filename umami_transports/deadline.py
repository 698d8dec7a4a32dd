"""The deadline of the call under way, for the sync adapters that must enforce it themselves.

The async driver cancels a call when its deadline passes; a sync call cannot be cancelled, so the
sync adapters bound every blocking step instead: each socket read, write and connect waits at
most for what is left of the deadline (:func:`clamp`), and the body is read chunk by chunk with
the deadline checked in between. The deadline lives in a context variable set around one
exchange (:func:`deadline_after`), so threads sharing a client each see their own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["DeadlinePassed", "clamp", "deadline_after", "deadline_at", "time_left"]

_deadline: ContextVar[float | None] = ContextVar("umami_deadline", default=None)


class DeadlinePassed(TimeoutError):
    """Raised by :func:`clamp` when nothing is left of the deadline (adapters map it to their timeout)."""


@contextmanager
def deadline_after(seconds: float | None) -> Iterator[None]:
    """The calls made inside end within ``seconds`` from now (None: no deadline)."""
    token = _deadline.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def deadline_at() -> float | None:
    """The ``time.monotonic()`` value at which the call under way must end, or None."""
    return _deadline.get()


def time_left() -> float | None:
    """Seconds left until the deadline (<= 0 once passed), or None without a deadline."""
    at = _deadline.get()
    return None if at is None else at - time.monotonic()


def clamp(timeout: float | None) -> float | None:
    """``timeout`` shortened to the time left; raises DeadlinePassed when none is left."""
    left = time_left()
    if left is None:
        return timeout
    if left <= 0:
        raise DeadlinePassed("the call's deadline passed")
    return left if timeout is None else min(timeout, left)
