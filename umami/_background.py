"""Background sending: the switch, flush(), shutdown() and the counters."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any

from umami._base import ClientBase
from umami._delivery.records import DeliveryStats, Flushed, Undelivered
from umami_core import Config
from umami_core.batching import RetryPolicy
from umami_core.sending import Event, send_event

if TYPE_CHECKING:
    from collections.abc import Callable


#: What a send function returns in background mode.
QUEUED: dict[str, Any] = {"queued": True}
DROPPED: dict[str, Any] = {"queued": False, "dropped": "the background queue is full"}


class Background(ClientBase):
    def enable_background_sending(
        self,
        *,
        batch_size: int = 100,
        max_batch_bytes: int = 1_000_000,
        max_in_flight: int = 4,
        linger: float = 0.5,
        max_queue: int = 100_000,
        when_full: str = "drop",
        block_timeout: float = 1.0,
        retry: RetryPolicy | None = None,
        spool: str | os.PathLike[str] | None = None,
        on_error: Callable[[list[Undelivered]], object] | None = None,
        exit_timeout: float = 5.0,
    ) -> None:
        """Send page views, events and revenue from a background worker, in batches, retrying failures.

        From this call on, new_page_view(), new_event(), new_revenue_event() and their ``_async``
        twins still check their arguments at once (a ``ValidationError`` is raised at the call, as
        always) but do not wait for the server: they put the event in a queue and return
        ``{"queued": True}`` (``{"queued": False, "dropped": "..."}`` if the queue was full and the
        event dropped; ``{}`` while tracking is disabled). A worker thread sends the queue over
        ``POST /api/batch`` (Umami 2.17 or later), each event carrying its visitor (``ip``, the
        User-Agent, ``id``) and the moment of the call, so queueing never changes who or when.

        Failures of a whole batch (refused or reset connection, timeout, 408, 429, 5xx) are tried
        again with exponential backoff and jitter, honouring ``Retry-After``; events the server
        refuses as invalid are not sent again. Either way an event that is finally not delivered
        is counted, logged and given to ``on_error``, never lost silently. An ``atexit`` hook
        flushes at exit (within ``exit_timeout``); a child after ``os.fork()`` starts with an empty
        queue of its own. Calling this again replaces the settings (after flushing the old queue).

        Args:
            batch_size: Events per batch at most (1 to 500; newer servers take 500 at most).
            max_batch_bytes: Bytes of JSON per batch at most.
            max_in_flight: Batches sent at once (a real Umami ingests best with 2 to 4).
            linger: Seconds an event may wait for others to fill its batch.
            max_queue: Events queued at most; beyond, ``when_full`` applies.
            when_full: ``"drop"`` (the default: the new event is dropped, counted, and a warning
                logged at most every 10 s) or ``"block"`` (the caller waits up to
                ``block_timeout`` seconds for room, then drops; an async caller waits in a thread,
                never blocking its event loop).
            block_timeout: See ``when_full``.
            retry: When to try again and when to give up (``umami.RetryPolicy``; by default 10
                attempts or 24 hours, backoff from 0.5 s up to 60 s).
            spool: A file path for a durable spool (SQLite): each event is on disk before the call
                returns and removed once the server took it, so a crash or ``kill -9`` loses
                nothing; the next process with the same spool sends what is left. At least once: a
                batch the server stored but whose answer was lost is sent again.
            on_error: Called (from the worker thread) with a list of ``umami.Undelivered``: the
                events finally not delivered, and why.
            exit_timeout: Seconds the atexit flush may take.

        Raises:
            ValidationError: If a setting is out of range.

        Example:
            ```python
            umami.enable_background_sending(on_error=lambda lost: print(len(lost), 'events lost'))
            umami.new_event(event_name='signup')      # returns {'queued': True} at once
            umami.flush(timeout=5.0)                   # e.g. at the end of a serverless handler
            ```
        """
        from umami._delivery.sender import BackgroundSender, SendingOptions  # threads and queues only when asked for

        options = SendingOptions(
            batch_size, max_batch_bytes, max_in_flight, linger, max_queue, when_full, block_timeout, retry or RetryPolicy(), spool,
            on_error, exit_timeout,
        )  # fmt: skip
        previous = self._sender
        self._sender = BackgroundSender(options, self._background_transport, lambda: self._config)
        if previous is not None:
            previous.shutdown(options.exit_timeout)

    def disable_background_sending(self, timeout: float = 10.0) -> Flushed:
        """Flush (up to ``timeout`` seconds), stop the worker, and send synchronously again.

        Returns:
            A ``umami.Flushed``: whether everything queued was delivered (or given up) in time.
        """
        sender, self._sender = self._sender, None
        return sender.shutdown(timeout) if sender is not None else Flushed(True, 0)

    def flush(self, timeout: float = 10.0) -> Flushed:
        """Wait until every event queued so far is delivered or given up, at most ``timeout`` seconds.

        Never hangs past ``timeout``. In a serverless function, call it at the end of each
        invocation: the platform may freeze the process as soon as the handler returns.

        Returns:
            A ``umami.Flushed``, true if everything was settled in time; ``.pending`` says how
            many events are still waiting. Without background sending, at once ``Flushed(True, 0)``.
        """
        sender = self._sender
        return sender.flush(timeout) if sender is not None else Flushed(True, 0)

    async def flush_async(self, timeout: float = 10.0) -> Flushed:
        """Async twin of flush(): waits in a worker thread, never blocking the event loop."""
        import anyio.to_thread

        return await anyio.to_thread.run_sync(self.flush, timeout, abandon_on_cancel=True)

    def shutdown(self, timeout: float = 10.0) -> Flushed:
        """Flush within ``timeout`` seconds and stop background sending (as disable_background_sending())."""
        return self.disable_background_sending(timeout)

    def delivery_stats(self) -> DeliveryStats:
        """The counters of background sending (queued, delivered, retried, rejected, given up, dropped, pending)."""
        sender = self._sender
        return sender.stats() if sender is not None else DeliveryStats()

    # -- what the send functions call ----------------------------------------------------------

    def _deliver(self, config: Config, event: Event) -> dict[str, Any]:
        """Send ``event`` now, or queue it in background mode."""
        if self._sender is not None:
            return self._queue(config, event)
        return self._run(send_event(config, event))

    async def _deliver_async(self, config: Config, event: Event) -> dict[str, Any]:
        if self._sender is not None:
            return await self._queue_async(config, event)
        return await self._arun(send_event(config, event))

    def _background_transport(self) -> Any:
        return self._sync_transport or self._default_transport()

    def _queue(self, config: Config, event: Event) -> dict[str, Any]:
        """Queue ``event`` for the worker; what the send function returns in background mode."""
        sender = self._sender
        if sender is None:  # switched off meanwhile: send it now, as without the switch
            return self._run(send_event(config, event))
        if not config.tracking_enabled:
            return {}
        return dict(QUEUED) if sender.put(config, event, time.time()) else dict(DROPPED)

    async def _queue_async(self, config: Config, event: Event) -> dict[str, Any]:
        sender = self._sender
        if sender is not None and sender.would_block():
            import anyio.to_thread

            return await anyio.to_thread.run_sync(self._queue, config, event)
        if sender is None:
            return await self._arun(send_event(config, event))
        return self._queue(config, event)
