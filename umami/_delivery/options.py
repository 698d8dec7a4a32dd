"""The settings of background sending, checked (see umami.enable_background_sending())."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from umami._delivery.records import Undelivered
from umami_core import ValidationError
from umami_core.batching import MAX_BATCH_ITEMS, RetryPolicy

__all__ = ["OnError", "SendingOptions"]

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
