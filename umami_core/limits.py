"""The bounds every call keeps: how long it may take, how much of an answer is read, how many pages.

A server that trickles, sends an endless or highly compressed body, or claims a billion pages
must end a call with a clear error (or a documented result) in bounded time and memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from umami_core.errors import ValidationError
from umami_core.http import DEFAULT_MAX_BODY

__all__ = ["DEFAULT_DEADLINE", "DEFAULT_MAX_BODY", "DEFAULT_MAX_PAGES", "Limits"]

#: Seconds a whole call may take: connecting, every redirect and page, and reading each answer.
DEFAULT_DEADLINE = 30.0
#: Pages a listing follows at most (websites() asks 100 websites a page).
DEFAULT_MAX_PAGES = 1000


@dataclass(frozen=True)
class Limits:
    """Bounds on every call of a client.

    Attributes:
        deadline: Seconds a call may take in all (connecting, sending, redirects, every page and
            the whole of each answer); past it the call raises ``TransportTimeoutError``
            (``heartbeat()`` and ``verify_token()`` return False). None: no overall deadline (the
            transport's per-read timeouts still apply). Default 30.
        max_body: Bytes of an answer's body read at most, counted after decompression. A longer
            2xx answer raises ``UnexpectedResponseError``; an error answer keeps its start.
            Default 10 MiB.
        max_pages: Pages a listing such as ``websites()`` follows at most; it stops there with a
            warning on the ``umami`` logger. Default 1000.
    """

    deadline: float | None = DEFAULT_DEADLINE
    max_body: int = DEFAULT_MAX_BODY
    max_pages: int = DEFAULT_MAX_PAGES

    def __post_init__(self) -> None:
        if self.deadline is not None and (
            isinstance(self.deadline, bool) or not isinstance(self.deadline, (int, float)) or not math.isfinite(self.deadline)
            or self.deadline <= 0
        ):  # fmt: skip
            raise ValidationError(f"deadline must be a positive number of seconds, or None for no deadline; got {self.deadline!r:.40}.")
        for name in ("max_body", "max_pages"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValidationError(f"{name} must be a positive integer, got {value!r:.40}.")
