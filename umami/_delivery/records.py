"""What background sending reports: its counters, a flush's result, an event it could not deliver."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["DeliveryStats", "Flushed", "Undelivered"]


@dataclass(frozen=True)
class DeliveryStats:
    """The counters of background sending, since it was enabled (in this process).

    Attributes:
        queued: Events accepted into the queue.
        delivered: Events the server took.
        retried: Retries made (an event retried twice counts 2).
        rejected: Events the server refused for good (invalid): reported to ``on_error``, not retried.
        given_up: Events given up after the retry policy's attempts or age: reported to ``on_error``.
        dropped: Events not queued because the queue was full, or left when sending stopped.
        pending: Events queued and not yet delivered, rejected or given up.
    """

    queued: int = 0
    delivered: int = 0
    retried: int = 0
    rejected: int = 0
    given_up: int = 0
    dropped: int = 0
    pending: int = 0


@dataclass(frozen=True)
class Flushed:
    """What flush() saw: whether every event queued before it was delivered or given up in time.

    True in a boolean context when complete. ``pending`` counts events still waiting (queued
    before the flush or after).
    """

    complete: bool
    pending: int

    def __bool__(self) -> bool:
        return self.complete


@dataclass(frozen=True)
class Undelivered:
    """An event background sending could not deliver, given to ``on_error``.

    Attributes:
        item: The event as it would have been sent: ``{"type": "event", "payload": {...}}``.
        reason: Why: the server's reason for refusing it, or why it was given up or dropped.
        kind: ``"rejected"`` (by the server), ``"given_up"`` (retries exhausted) or ``"dropped"``
            (the queue was full, or sending stopped before it went).
    """

    item: dict[str, Any]
    reason: str
    kind: str
