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
import logging
import os
import queue
import threading
import time
import weakref
from collections.abc import Callable

from umami._delivery.options import SendingOptions
from umami._delivery.records import DeliveryStats, Flushed
from umami._delivery.spool import Spool
from umami._delivery.worker import Item, Message, Worker
from umami_core import Config, Limits
from umami_core.batching import BatchOutcome, batch_item, send_batch
from umami_core.sending import Event
from umami_transports import Transport, run

__all__ = ["BackgroundSender", "SendingOptions"]

logger = logging.getLogger("umami")

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
                self._enqueue(Item(-1, None, None, created, item, "", row))
        _senders.add(self)

    def _fresh_state(self) -> None:
        self._lock = threading.Lock()  # issues sequence numbers, in the order the worker receives them
        self._changed = threading.Condition(threading.Lock())  # flush() and blocked producers wait on it
        self._inbox: queue.SimpleQueue[Message] = queue.SimpleQueue()
        self._work: queue.SimpleQueue[list[Item] | None] = queue.SimpleQueue()
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
            self._enqueue(Item(-1, None, None, created, encoded, target, row))
        else:
            self._enqueue(Item(-1, config, event, created))
        return True

    def would_block(self) -> bool:
        """Whether put() would wait for room now (when_full='block' and the queue full)."""
        return self.options.when_full == "block" and self._next_seq - self._settled() >= self.options.max_queue

    def _enqueue(self, item: Item) -> None:
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
        Worker(self).run()

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
