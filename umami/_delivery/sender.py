"""The background sender: a queue, one worker thread and a few sender threads that deliver events
over ``/api/batch``, retrying what failed, as the core decides (``umami_core.batching``).

The calling thread only validates (before this) and appends to the queue. The worker thread owns
everything else: it encodes events, forms batches, hands them to the sender threads (at most
``max_in_flight`` at once), reads each outcome, schedules retries and settles every event as
delivered, rejected, given up or dropped. flush() waits for the worker to settle every event
queued before it. Threads are daemons: at exit an atexit hook flushes within ``exit_timeout``.
"""

from __future__ import annotations

import atexit
import heapq
import logging
import os
import queue
import random
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from umami._delivery.records import DeliveryStats, Flushed, Undelivered
from umami._delivery.spool import Spool
from umami_core import Config, Limits, ValidationError
from umami_core.batching import MAX_BATCH_ITEMS, BatchOutcome, RetryPolicy, batch_item, give_up_reason, retry_delay, send_batch, take_batch
from umami_core.http import decode_json
from umami_core.sending import Event
from umami_transports import Transport, run

__all__ = ["BackgroundSender", "SendingOptions"]

logger = logging.getLogger("umami")

OnError = Callable[[list[Undelivered]], object]


@dataclass(frozen=True)
class SendingOptions:
    """How background sending batches, retries, bounds its queue and reports (see enable_background_sending())."""

    batch_size: int = 100
    max_batch_bytes: int = 1_000_000
    max_in_flight: int = 4
    linger: float = 0.5
    max_queue: int = 100_000
    when_full: str = "drop"
    block_timeout: float = 1.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    spool: str | os.PathLike[str] | None = None
    on_error: OnError | None = None
    exit_timeout: float = 5.0

    def __post_init__(self) -> None:
        for name, low, high in (("batch_size", 1, MAX_BATCH_ITEMS), ("max_batch_bytes", 1024, 100 * 2**20), ("max_in_flight", 1, 64),
                                ("max_queue", 1, 10**9)):  # fmt: skip
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValidationError(f"{name} must be an integer from {low} to {high}, got {value!r:.40}.")
        for name in ("linger", "block_timeout", "exit_timeout"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 3600:
                raise ValidationError(f"{name} must be a number of seconds from 0 to 3600, got {value!r:.40}.")
        if self.when_full not in ("drop", "block"):
            raise ValidationError(f"when_full must be 'drop' or 'block', got {self.when_full!r:.40}.")
        if self.on_error is not None and not callable(self.on_error):
            raise ValidationError("on_error must be a function that takes a list of umami.Undelivered.")


class _Item:
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


_Message = tuple[Any, ...]
_senders: weakref.WeakSet[BackgroundSender] = weakref.WeakSet()


class BackgroundSender:
    """Delivers the events of one client in the background; see the module docstring."""

    def __init__(self, options: SendingOptions, transport: Callable[[], Transport], config: Callable[[], Config]) -> None:
        self.options = options
        self._transport = transport
        self._config = config
        self._spool = Spool(options.spool) if options.spool is not None else None
        self._fresh_state()
        if self._spool is not None:
            for row, created, _, item in self._spool.adopt():  # what a process before this one left
                self._enqueue(_Item(-1, None, None, created, item, "", row))
        _senders.add(self)

    def _fresh_state(self) -> None:
        self._lock = threading.Lock()  # issues sequence numbers, in the order the worker receives them
        self._changed = threading.Condition(threading.Lock())  # flush() and blocked producers wait on it
        self._inbox: queue.SimpleQueue[_Message] = queue.SimpleQueue()
        self._work: queue.SimpleQueue[list[_Item] | None] = queue.SimpleQueue()
        self._next_seq = 0
        self._low_water = 0  # every event with a smaller sequence number is settled
        self._counts = dict.fromkeys(("queued", "delivered", "retried", "rejected", "given_up", "dropped"), 0)
        self._refused = 0  # of the dropped, those never queued (the queue was full)
        self._worker: threading.Thread | None = None
        self._stopped = False
        self._last_drop_warning = 0.0

    # -- the caller's side -----------------------------------------------------------------------

    def put(self, config: Config, event: Event, created: float) -> bool:
        """Queue ``event`` (made at ``created``, epoch seconds); False if dropped (the queue is full)."""
        if self._stopped:  # a call that raced shutdown(): counted, and reported as dropped
            self._drop_one()
            return False
        if self._next_seq - self._settled() >= self.options.max_queue and not self._wait_for_room():
            self._drop_one()
            return False
        if self._spool is not None:
            encoded = batch_item(event, created)  # on disk before the call returns
            target = config.batch_url()
            row = self._spool.add(created, target, encoded)
            self._enqueue(_Item(-1, None, None, created, encoded, target, row))
        else:
            self._enqueue(_Item(-1, config, event, created))
        return True

    def would_block(self) -> bool:
        """Whether put() would wait for room now (when_full='block' and the queue full)."""
        return self.options.when_full == "block" and self._next_seq - self._settled() >= self.options.max_queue

    def _enqueue(self, item: _Item) -> None:
        with self._lock:
            item.seq = self._issue()
            self._counts["queued"] += 1
            self._inbox.put(("event", item))
        if self._worker is None:
            self._start()

    def _issue(self) -> int:
        seq = self._next_seq
        self._next_seq += 1
        return seq

    def _settled(self) -> int:
        """Events queued and since settled (not those dropped before they were queued)."""
        counts = self._counts
        return counts["delivered"] + counts["rejected"] + counts["given_up"] + counts["dropped"] - self._refused

    def _wait_for_room(self) -> bool:
        if self.options.when_full != "block":
            return False
        with self._changed:
            return self._changed.wait_for(lambda: self._next_seq - self._settled() < self.options.max_queue, self.options.block_timeout)

    def _drop_one(self) -> None:
        with self._lock:
            self._counts["dropped"] += 1
            self._refused += 1
        now = time.monotonic()
        if now - self._last_drop_warning > 10:  # rate-limited: a full queue drops many
            self._last_drop_warning = now
            logger.warning(
                "umami: the background queue is full (%d events): events are being dropped (%d so far). Raise max_queue, "
                "or use when_full='block'; is Umami reachable?", self.options.max_queue, self._counts["dropped"],
            )  # fmt: skip

    def flush(self, timeout: float) -> Flushed:
        """Wait until every event queued so far is settled, or ``timeout`` seconds pass."""
        with self._lock:
            mark = self._next_seq
        if self._worker is not None:
            self._inbox.put(("flush", mark))
        with self._changed:
            complete = self._changed.wait_for(lambda: self._low_water >= mark, timeout)
        return Flushed(complete, self.stats().pending)

    def shutdown(self, timeout: float) -> Flushed:
        """Flush, then stop the threads; what is left is dropped (or stays in the spool for the next process)."""
        flushed = self.flush(timeout)
        self._stopped = True
        if self._worker is not None:
            self._inbox.put(("stop",))
            self._worker.join(max(0.1, timeout))
        if self._spool is not None:
            self._spool.close()
        _senders.discard(self)
        return Flushed(flushed.complete, self.stats().pending)

    def stats(self) -> DeliveryStats:
        counts = dict(self._counts)
        return DeliveryStats(**counts, pending=max(0, counts["queued"] - self._settled()))

    # -- the worker --------------------------------------------------------------------------------

    def _start(self) -> None:
        with self._lock:
            if self._worker is not None:
                return
            self._worker = threading.Thread(target=self._run_worker, name="umami-sender", daemon=True)
            for number in range(self.options.max_in_flight):
                threading.Thread(target=self._run_sender, name=f"umami-batch-{number}", daemon=True).start()
            self._worker.start()

    def _run_worker(self) -> None:
        _Worker(self).run()

    def _run_sender(self) -> None:
        while True:
            batch = self._work.get()
            if batch is None:
                return
            try:
                outcome = run(send_batch(self._config(), [item.encoded or b"" for item in batch], batch[0].target), self._transport(),
                              self._limits())  # fmt: skip
            except Exception as exc:
                logger.exception("umami: sending a batch failed unexpectedly")
                outcome = BatchOutcome(retry=tuple(range(len(batch))), reason=f"{type(exc).__name__}: {exc}")
            self._inbox.put(("result", batch, outcome))

    def _limits(self) -> Limits:
        return self._config().limits

    # -- processes -------------------------------------------------------------------------------

    def _after_fork(self) -> None:
        """In a forked child: an empty queue and threads of its own (the parent delivers its own events)."""
        self._fresh_state()
        if self._spool is not None:
            self._spool.reopen_after_fork()


class _Worker:
    """The worker thread's state: only this thread touches it."""

    def __init__(self, sender: BackgroundSender) -> None:
        self.sender = sender
        self.options = sender.options
        self.ready: deque[_Item] = deque()
        self.ready_since = 0.0  # when the oldest ready event became ready (for linger)
        self.waiting: list[tuple[float, int, _Item]] = []  # (when, seq, item): retries not yet due
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

    def _handle(self, message: _Message) -> None:
        kind = message[0]
        if kind == "event":
            item: _Item = message[1]
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

    def _make_ready(self, item: _Item) -> None:
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

    def _next_batch(self) -> list[_Item]:
        adopted_target = self.sender._config().batch_url  # events adopted from a spool go to today's server

        def target_of(item: _Item) -> str:
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

    def _settle_batch(self, batch: list[_Item], outcome: BatchOutcome) -> None:
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

    def _retry_later(self, items: list[_Item], outcome: BatchOutcome, undelivered: list[Undelivered]) -> list[tuple[_Item, str]]:
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

    def _settle(self, settled: list[tuple[_Item, str]]) -> None:
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


def _decoded(item: _Item) -> dict[str, Any]:
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


def _flush_at_exit() -> None:
    for sender in list(_senders):
        if sender._worker is None:
            continue
        flushed = sender.shutdown(sender.options.exit_timeout)
        if not flushed.complete:
            kept = " (kept in the spool for the next process)" if sender._spool is not None else ""
            logger.error("umami: %d events could not be delivered before exit%s", flushed.pending, kept)


def _after_fork_in_child() -> None:
    for sender in list(_senders):
        sender._after_fork()


atexit.register(_flush_at_exit)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
