"""The worker thread of background sending: it alone owns the queue's state. It encodes events,
forms batches (only events to the same server share one), hands them to the sender threads (at
most ``max_in_flight`` at once), reads each outcome as the core decides (``umami_core.batching``),
schedules retries, and settles every event as delivered, rejected, given up or dropped, waking
flush() and blocked producers as it goes.
"""

from __future__ import annotations

import heapq
import logging
import queue
import random
import time
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from umami._delivery.options import OnError
from umami._delivery.records import Undelivered
from umami_core import Config
from umami_core.batching import BatchOutcome, batch_item, give_up_reason, retry_delay, take_batch
from umami_core.http import decode_json
from umami_core.sending import Event

if TYPE_CHECKING:
    from umami._delivery.sender import BackgroundSender

__all__ = ["Item", "Message", "Worker"]

logger = logging.getLogger("umami")

Message = tuple[Any, ...]


class Item:
    """One queued event, as the worker tracks it."""

    __slots__ = ("attempts", "config", "created", "encoded", "event", "row", "seq", "target")

    def __init__(self, seq: int, config: Config | None, event: Event | None, created: float, encoded: bytes | None = None,
                 target: str = "", row: int | None = None) -> None:  # fmt: skip
        self.seq, self.config, self.event, self.created = seq, config, event, created
        self.encoded, self.target, self.row, self.attempts = encoded, target, row, 0

    def encode(self) -> bytes:
        if self.encoded is None:
            assert self.event is not None and self.config is not None
            self.encoded = batch_item(self.event, self.created)
            self.target = self.config.batch_url()
            self.event = None  # the bytes say it all now
        return self.encoded


class Worker:
    """The worker thread's state: only this thread touches it."""

    def __init__(self, sender: BackgroundSender) -> None:
        self.sender = sender
        self.options = sender.options
        self.ready: deque[Item] = deque()
        self.ready_since = 0.0  # when the oldest ready event became ready (for linger)
        self.waiting: list[tuple[float, int, Item]] = []  # (when, seq, item): retries not yet due
        self.unsettled: list[int] = []  # a heap of sequence numbers
        self.settled_early: set[int] = set()  # settled, but not yet at the top of the heap
        self.received = 0  # every sequence number below has been received
        self.in_flight = 0
        self.urgent_until = 0  # flush: events below this go without lingering
        self.max_items = self.options.batch_size
        self.random = random.Random()
        self.stopping = False

    def run(self) -> None:
        inbox = self.sender._inbox
        while True:
            wait = self._wait()
            try:
                message = inbox.get_nowait() if wait == 0 else inbox.get(timeout=wait)
            except queue.Empty:
                message = None
            while message is not None:
                self._handle(message)
                try:
                    message = inbox.get_nowait()
                except queue.Empty:
                    message = None
            self._promote_due()
            self._dispatch()
            if self.stopping and self.in_flight == 0:
                return self._stop()

    def _wait(self) -> float | None:
        """Seconds to wait for a message before there is something to do anyway; None: until one comes."""
        now = time.monotonic()
        deadlines = []
        if self.ready and self.in_flight < self.options.max_in_flight:
            deadlines.append(0.0 if self._urgent() else self.ready_since + self.options.linger - now)
        if self.waiting:
            deadlines.append(self.waiting[0][0] - now)
        return None if not deadlines else max(0.0, min(deadlines))

    def _urgent(self) -> bool:
        """Send now, without waiting for more events: a full batch, a flush or a stop is waiting."""
        return self.stopping or len(self.ready) >= self.max_items or bool(self.ready and self.ready[0].seq < self.urgent_until)

    def _handle(self, message: Message) -> None:
        kind = message[0]
        if kind == "event":
            item: Item = message[1]
            heapq.heappush(self.unsettled, item.seq)
            self.received = item.seq + 1
            self._make_ready(item)
        elif kind == "result":
            self.in_flight -= 1
            self._settle_batch(message[1], message[2])
        elif kind == "flush":
            self.urgent_until = max(self.urgent_until, message[1])
        elif kind == "stop":
            self.stopping = True

    def _make_ready(self, item: Item) -> None:
        if not self.ready:
            self.ready_since = time.monotonic()
        self.ready.append(item)

    def _promote_due(self) -> None:
        now = time.monotonic()
        while self.waiting and self.waiting[0][0] <= now:
            self._make_ready(heapq.heappop(self.waiting)[2])

    def _dispatch(self) -> None:
        while self.ready and self.in_flight < self.options.max_in_flight and self._due():
            batch = self._next_batch()
            self.in_flight += 1
            self.sender._work.put(batch)
        if not self.ready:
            self.ready_since = 0.0

    def _due(self) -> bool:
        return self._urgent() or time.monotonic() - self.ready_since >= self.options.linger

    def _next_batch(self) -> list[Item]:
        adopted_target = self.sender._config().batch_url  # events adopted from a spool go to today's server

        def target_of(item: Item) -> str:
            item.encode()
            if not item.target:
                item.target = adopted_target()
            return item.target

        target = target_of(self.ready[0])

        def sizes() -> Iterator[int]:  # only events to the same server share a batch; encoded as needed
            for item in self.ready:
                if target_of(item) != target:
                    return
                yield len(item.encoded or b"")

        count = take_batch(sizes(), self.max_items, self.options.max_batch_bytes)
        batch = [self.ready.popleft() for _ in range(max(1, count))]
        self.ready_since = time.monotonic() if self.ready else 0.0
        return batch

    def _settle_batch(self, batch: list[Item], outcome: BatchOutcome) -> None:
        undelivered: list[Undelivered] = []
        settled = [(batch[index], "delivered") for index in outcome.delivered(len(batch))]
        for index, reason in outcome.rejected:
            settled.append((batch[index], "rejected"))
            undelivered.append(Undelivered(_decoded(batch[index]), reason, "rejected"))
            _log_once(f"umami: the server refused an event, not sent again: {reason}")
        if outcome.split:  # not the events' fault: smaller batches from now on, no attempt counted
            self.max_items = max(1, len(batch) // 2)
            for index in outcome.retry:
                heapq.heappush(self.waiting, (0.0, batch[index].seq, batch[index]))
        else:
            settled += self._retry_later([batch[index] for index in outcome.retry], outcome, undelivered)
        if undelivered:  # before settling: once flush() returns, on_error has been told
            _report(self.options.on_error, undelivered)
        self._settle(settled)

    def _retry_later(self, items: list[Item], outcome: BatchOutcome, undelivered: list[Undelivered]) -> list[tuple[Item, str]]:
        """Schedule each of ``items`` again, after its backoff; returns those given up instead."""
        now, given_up = time.time(), []
        # One delay for the batch (by its most tried event), so its events go again together.
        attempts = 1 + max((item.attempts for item in items), default=0)
        due = time.monotonic() + retry_delay(self.options.retry, attempts, self.random.random(), outcome.retry_after, now)
        for item in items:
            item.attempts += 1
            reason = give_up_reason(self.options.retry, item.attempts, item.created, now)
            if reason is not None:
                given_up.append((item, "given_up"))
                undelivered.append(Undelivered(_decoded(item), f"{reason}; the last failure: {outcome.reason}", "given_up"))
                continue
            heapq.heappush(self.waiting, (due, item.seq, item))
        if len(given_up) < len(items):
            with self.sender._lock:
                self.sender._counts["retried"] += len(items) - len(given_up)
            logger.info("umami: %d events will be sent again (%s)", len(items) - len(given_up), outcome.reason)
        if given_up:
            logger.warning("umami: %d events given up (%s)", len(given_up), outcome.reason)
        return given_up

    def _settle(self, settled: list[tuple[Item, str]]) -> None:
        """Count each event as settled (delivered, rejected, given up or dropped), forget it in the spool,
        and wake flush() and blocked producers."""
        sender = self.sender
        if sender._spool is not None:
            sender._spool.remove(item.row for item, _ in settled if item.row is not None)
        with sender._lock:
            for item, kind in settled:
                sender._counts[kind] += 1
                self.settled_early.add(item.seq)
        self._settled_now()

    def _settled_now(self) -> None:
        """Advance the low-water mark past every settled event and wake flush() and blocked producers."""
        heap, early = self.unsettled, self.settled_early
        while heap and heap[0] in early:
            early.discard(heapq.heappop(heap))
        sender = self.sender
        with sender._changed:
            sender._low_water = heap[0] if heap else self.received
            sender._changed.notify_all()

    def _stop(self) -> None:
        """Stopping with events left: dropped (reported), or left in the spool for the next process."""
        left = [*self.ready, *(entry[2] for entry in self.waiting)]
        if left and self.sender._spool is None:
            _report(self.options.on_error, [Undelivered(_decoded(item), "background sending stopped first", "dropped") for item in left])
            self._settle([(item, "dropped") for item in left])
        for _ in range(self.options.max_in_flight):
            self.sender._work.put(None)


def _decoded(item: Item) -> dict[str, Any]:
    decoded = decode_json(item.encode())
    return decoded if isinstance(decoded, dict) else {"item": decoded}


_logged: deque[str] = deque(maxlen=100)


def _log_once(message: str) -> None:
    """Log a reason once (among the last hundred), not once per event."""
    if message not in _logged:
        _logged.append(message)
        logger.warning("%s", message)


def _report(on_error: OnError | None, undelivered: list[Undelivered]) -> None:
    if on_error is None:
        return
    try:
        on_error(undelivered)
    except Exception:
        logger.exception("umami: on_error raised; delivery goes on")
