"""Events in batches over ``POST /api/batch``: how queued events become requests, what an answer
means for each event, and when a failed one is tried again.

Pure, as the rest of the core: the caller brings the clock (``created``, ``now``) and the random
numbers. The background worker (``umami._delivery``) owns the queue, the threads and the timers,
and runs these decisions over the existing transports and drivers.

``/api/batch`` (Umami 2.17+, see the server notes section b) takes a JSON array of send bodies and
answers 200 with ``{"size", "processed", "errors", "details": [{"index", "response"}]}`` even when
items failed; a batch shares one set of headers, so each item carries its visitor in its payload
(``ip``, ``userAgent``, ``id``) and the moment it happened (``timestamp``, in seconds).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from umami_core.config import Config
from umami_core.errors import UmamiError, ValidationError
from umami_core.exchange import Flow, exchange, read_envelope
from umami_core.http import Request, Response, decode_json, encode_json
from umami_core.sending import Event

__all__ = [
    "MAX_BATCH_ITEMS",
    "BatchOutcome",
    "RetryPolicy",
    "batch_item",
    "give_up_reason",
    "parse_retry_after",
    "read_batch_answer",
    "retry_delay",
    "send_batch",
    "take_batch",
]

#: The most items newer servers take in one batch (3.1 has no cap).
MAX_BATCH_ITEMS = 500

#: Whole-batch answers worth another try: the server (or a proxy before it) could not take it now.
_RETRY_STATUSES = frozenset({408, 425, 429})


def batch_item(event: Event, created: float) -> bytes:
    """The encoded batch item of ``event``, which happened at ``created`` (epoch seconds)."""
    payload = {**event.payload, "userAgent": event.user_agent, "timestamp": int(created)}
    return encode_json({"type": event.kind, "payload": payload})


def take_batch(sizes: Iterable[int], max_items: int, max_bytes: int) -> int:
    """How many of the leading items (of these encoded sizes) make the next batch: at most
    ``max_items``, and a JSON array of at most ``max_bytes`` (but at least one item)."""
    total, count = 2, 0  # "[" and "]"
    for size in sizes:
        if count == max_items or (count and total + 1 + size > max_bytes):
            break
        total += size + (1 if count else 0)
        count += 1
    return count


@dataclass(frozen=True)
class BatchOutcome:
    """What a batch's answer means for each of its items (by index); the others were delivered.

    Attributes:
        rejected: (index, the server's reason) of items refused for good: not tried again.
        retry: Indexes of items to try again later.
        reason: Why they are tried again (a status, a transport error...).
        retry_after: The server's ``Retry-After`` header, as sent, if any.
        split: The batch was too large for the server (413): try its items again in smaller batches.
    """

    rejected: tuple[tuple[int, str], ...] = ()
    retry: tuple[int, ...] = ()
    reason: str = ""
    retry_after: str | None = None
    split: bool = False

    def delivered(self, count: int) -> list[int]:
        """Indexes of the batch's ``count`` items that the server took."""
        settled = {index for index, _ in self.rejected} | set(self.retry)
        return [index for index in range(count) if index not in settled]


def send_batch(config: Config, items: Sequence[bytes], url: str | None = None) -> Flow[BatchOutcome]:
    """POST ``items`` (from batch_item()) to ``url`` (by default ``config.batch_url()``); never raises
    for what the server or the network does: a failure is an outcome (retry, or rejected with the reason)."""
    body = b"[" + b",".join(items) + b"]"
    headers = {**config.send_headers(config.user_agent), "Content-Type": "application/json"}
    request = Request("POST", url or config.batch_url(), tuple(headers.items()), body)
    try:
        response = yield from exchange(request)
    except UmamiError as exc:  # refused, reset, timed out, a redirect not followed, a body that would not decode
        return BatchOutcome(retry=tuple(range(len(items))), reason=f"{type(exc).__name__}: {exc}")
    return read_batch_answer(response, len(items))


def read_batch_answer(response: Response, count: int) -> BatchOutcome:
    """The outcome for each of ``count`` items from Umami's answer to their batch."""
    everything = tuple(range(count))
    status = response.status_code
    if status == 413:
        if count > 1:
            return BatchOutcome(split=True, retry=everything, reason="413: the batch is too large for the server")
        return BatchOutcome(rejected=((0, "413: the event alone is too large for the server"),))
    if status in _RETRY_STATUSES or status >= 500:
        return BatchOutcome(retry=everything, reason=f"{status}: {_message(response)}", retry_after=response.header("retry-after"))
    if status == 404:
        reason = "404: this server has no /api/batch (Umami before 2.17?); background sending needs Umami 2.17 or later"
        return BatchOutcome(rejected=tuple((index, reason) for index in everything))
    if not response.is_success:
        reason = f"{status}: {_message(response)}"
        return BatchOutcome(rejected=tuple((index, reason) for index in everything))
    return _per_item(response, count)


def _per_item(response: Response, count: int) -> BatchOutcome:
    """A 2xx answer: the items in ``details`` failed (4xx: refused for good; 5xx: retried), the others were taken."""
    try:
        answer: Any = decode_json(response.body)
    except ValueError:
        answer = None
    details = answer.get("details") if isinstance(answer, dict) else None
    if not isinstance(details, list):
        return BatchOutcome()  # a 2xx without details: the server took the batch (nothing names a failed item)
    rejected: dict[int, str] = {}
    retry: list[int] = []
    reasons: list[str] = []
    for detail in details:
        index = detail.get("index") if isinstance(detail, dict) else None
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < count or index in rejected or index in retry:
            continue
        item_status, reason = _item_failure(detail.get("response"))
        if 400 <= item_status < 500:
            rejected[index] = reason
        else:
            retry.append(index)
            reasons.append(reason)
    return BatchOutcome(rejected=tuple(rejected.items()), retry=tuple(retry), reason=reasons[0] if reasons else "")


def _item_failure(answer: Any) -> tuple[int, str]:
    """(status, reason) of one item's failed answer: Umami's error envelope, as the send route gave it."""
    if not isinstance(answer, dict):
        return 500, "no answer for this item"
    message, code, details = read_envelope(answer, "no error message")
    envelope = answer.get("error")
    status = envelope.get("status") if isinstance(envelope, dict) else None
    if isinstance(status, bool) or not isinstance(status, int):
        status = 400 if code == "bad-request" else 500
    reason = f"{status}: {message}" + (f" ({code})" if code else "") + (f": {'; '.join(details)}" if details else "")
    return status, reason


def _message(response: Response) -> str:
    try:
        body = decode_json(response.body)
    except ValueError:
        text = response.body[:200].decode("utf-8", "replace").strip()
        return text or "no message"
    if isinstance(body, dict):
        return read_envelope(body, "no message")[0]
    return "no message"


# -- when to try again ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """When a failed event is tried again, and when it is given up.

    Attributes:
        max_attempts: Attempts in all (the first one included) before an event is given up.
        max_age: Seconds after the call that made it after which an event is given up.
        base_delay: The backoff before the first retry, doubled each attempt (with full jitter).
        max_delay: The most the backoff grows to.
        max_retry_after: The most a server's ``Retry-After`` is waited for.
    """

    max_attempts: int = 10
    max_age: float = 24 * 3600.0
    base_delay: float = 0.5
    max_delay: float = 60.0
    max_retry_after: float = 600.0

    def __post_init__(self) -> None:
        if isinstance(self.max_attempts, bool) or not isinstance(self.max_attempts, int) or self.max_attempts < 1:
            raise ValidationError(f"max_attempts must be a positive integer, got {self.max_attempts!r:.40}.")
        for name in ("max_age", "base_delay", "max_delay", "max_retry_after"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise ValidationError(f"{name} must be a number of seconds >= 0, got {value!r:.40}.")


def retry_delay(policy: RetryPolicy, attempt: int, random: float, retry_after: str | None, now: float) -> float:
    """Seconds to wait before attempt ``attempt + 1`` (``attempt`` >= 1 attempts have failed).

    Exponential backoff with full jitter (``random`` in [0, 1) picks the point), capped; a server's
    ``Retry-After`` (seconds or an HTTP date) is a minimum, itself capped.
    """
    backoff = random * min(policy.max_delay, policy.base_delay * 2.0 ** min(attempt - 1, 60))
    asked = parse_retry_after(retry_after, now)
    if asked is None:
        return backoff
    return min(max(backoff, asked), policy.max_retry_after)


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (from ``now``, epoch seconds), or None if it says nothing usable."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value) if len(value) < 10 else None
    import email.utils  # only for a date, which is rare

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        return None  # an HTTP date is always GMT; without a zone it is not one
    return max(0.0, when.timestamp() - now)


def give_up_reason(policy: RetryPolicy, attempts: int, created: float, now: float) -> str | None:
    """Why an event that failed ``attempts`` times, made at ``created``, is given up now; None to try again."""
    if attempts >= policy.max_attempts:
        return f"gave up after {attempts} attempts"
    if now - created >= policy.max_age:
        return f"gave up after {now - created:.0f} s (max_age {policy.max_age:g} s)"
    return None
