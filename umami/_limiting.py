"""Bounds on every call: how long it may take, how much of an answer is read, how many pages."""

from __future__ import annotations

from typing import Any

from umami._base import ClientBase
from umami_core import Limits

_UNCHANGED: Any = object()


class Limiting(ClientBase):
    @property
    def limits(self) -> Limits:
        """The bounds every call of this client keeps (see set_limits())."""
        return self._config.limits

    def set_limits(
        self, *, deadline: float | None = _UNCHANGED, max_body: int = _UNCHANGED, max_pages: int = _UNCHANGED
    ) -> None:
        """Change the bounds every call keeps; the ones not given stay as they are.

        Whatever the server does (trickles one byte at a time, sends an endless or highly
        compressed body, claims a billion pages), a call ends within these bounds.

        Args:
            deadline: Seconds a whole call may take: connecting, sending, every redirect and page,
                and reading each answer. Past it the call raises ``TransportTimeoutError`` (also
                the transport library's timeout exception); heartbeat() and verify_token() return
                False. None: no overall deadline (only the transport's per-read timeouts).
                Default 30.
            max_body: Bytes of an answer read at most, counted after decompression. A longer
                successful answer raises ``UnexpectedResponseError``; an error answer keeps its
                start for the message. Default 10 MiB (10485760).
            max_pages: Pages websites() follows at most; it returns what it has then, with a
                warning on the ``umami`` logger. Default 1000 (100,000 websites).

        Raises:
            ValidationError: If a value is not positive (or, for deadline, not a finite number or None).

        Example:
            ```python
            umami.set_limits(deadline=5.0)    # a page view must not hold a request handler longer
            ```
        """
        current = self._config.limits
        limits = Limits(
            current.deadline if deadline is _UNCHANGED else deadline,
            current.max_body if max_body is _UNCHANGED else max_body,
            current.max_pages if max_pages is _UNCHANGED else max_pages,
        )
        self._update(limits=limits)
