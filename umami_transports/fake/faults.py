"""Faults on purpose: the fake Umami fails some requests (an error status, a reset connection, an
answer that comes too late), reproducibly, so that a client's retries and timeouts can be tested.

:class:`Faults` says which requests fail and how; ``FakeUmami(faults=Faults(...))`` or
``fake.faults = Faults(...)`` sets it, and ``fake.fault_counts`` (a :class:`FaultCounts`) says how
many failed. :meth:`FakeUmami.answer` decides, and the transports carry the decision out:
:class:`~umami_transports.fake.FakeServer` on a real socket, :class:`~umami_transports.fake.FakeTransport`
in process.
"""

from __future__ import annotations

import email.utils
import fnmatch
import math
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from http import HTTPStatus
from typing import Literal

from umami_core import Response
from umami_transports.fake.app import json_reply, to_response

__all__ = ["Answer", "FaultCounts", "Faults"]

FaultKind = Literal["status", "reset", "delay"]

#: Umami's answer when a route's try/catch caught an exception (without the exception's details).
SERVER_ERROR = {"error": {"message": "Server error", "code": "server-error", "status": 500}}
#: The statuses that carry ``Retry-After`` (RFC 9110 defines it for 503, RFC 6585 for 429).
RETRY_AFTER_STATUSES = (429, 503)


@dataclass(frozen=True, kw_only=True)
class Faults:
    """Which requests the fake Umami fails on purpose, and how; the same ``seed`` fails the same ones.

    Each request to one of ``routes`` gets a draw: with probability ``reset_rate`` its connection is
    reset, with ``delay_rate`` the answer waits ``delay`` seconds, with ``rate`` it is answered with
    a status from ``statuses`` (chosen at random; repeat one to weight it). Otherwise it is answered
    as usual. The n-th request to those routes fails or not whatever the order of threads or the
    requests to other routes: the sequence depends only on ``seed`` and the rates.

    By default a failed request is not processed: nothing is stored, as when a proxy in front of
    Umami fails. With ``after_store`` it is processed (stored) first and then its answer fails:
    the client sees an error for an event that was stored ("stored, answer lost").

    Args:
        rate: Fraction of requests answered with an error status.
        statuses: The statuses drawn from. 500 is Umami's server-error envelope
            ``{"error":{"message":"Server error","code":"server-error","status":500}}``; any other
            (503, 429, 502...) a short plain-text body, as a proxy gives.
        retry_after: The ``Retry-After`` header of 429 and 503 answers: a number of seconds, a
            ``timedelta`` (sent as the HTTP-date that far from now), a string sent as it is (e.g.
            ``"Wed, 21 Oct 2026 07:28:00 GMT"``), or None for no header.
        reset_rate: Fraction of requests whose connection is reset once the request is read:
            over HTTP a TCP reset (RST), in process ``umami_core.TransportError``.
        delay_rate: Fraction of requests answered ``delay`` seconds late. Without ``after_store``
            the late answer is a 504 (a proxy gave up waiting) and nothing is stored.
        delay: Seconds of such a delay; more than the client's timeout to test its timeout.
        routes: The paths subject to faults (None: every path), as shell patterns
            (``"/api/websites/*"``). A Cloud path matches both as it is (``/v1/eu/websites``) and
            as the route it reaches (``/api/websites``).
        after_store: Process and store a failed request before its answer fails (a delay then
            sends the real answer late).
        max_faults: Stop after this many faults (None: no limit), e.g. ``rate=1, max_faults=2``:
            the first two requests fail, the others do not.
        seed: Seeds the draws.
    """

    rate: float = 0.0
    statuses: tuple[int, ...] = (500, 503, 429)
    retry_after: float | str | timedelta | None = 1
    reset_rate: float = 0.0
    delay_rate: float = 0.0
    delay: float = 30.0
    routes: tuple[str, ...] | None = None
    after_store: bool = False
    max_faults: int | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        # Lists become tuples (a frozen value stays hashable); one route given as a string is one route.
        routes = self.routes
        object.__setattr__(self, "routes", None if routes is None else (routes,) if isinstance(routes, str) else tuple(routes))
        object.__setattr__(self, "statuses", tuple(self.statuses))
        for name in ("rate", "reset_rate", "delay_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"Faults.{name} must be between 0 and 1, not {value!r}.")
        if self.rate + self.reset_rate + self.delay_rate > 1.0 + 1e-9:
            raise ValueError("Faults: rate + reset_rate + delay_rate must be at most 1.")
        if self.rate and not self.statuses:
            raise ValueError("Faults.statuses is empty, so there is no status to answer with at this rate.")
        for status in self.statuses:
            if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
                raise ValueError(f"Faults.statuses must be error statuses (400-599), not {status!r}.")
        if not (math.isfinite(self.delay) and self.delay >= 0):
            raise ValueError(f"Faults.delay must be a number of seconds, not {self.delay!r}.")
        if self.max_faults is not None and self.max_faults < 0:
            raise ValueError(f"Faults.max_faults must be at least 0, not {self.max_faults!r}.")
        for route in self.routes or ():
            if not isinstance(route, str) or not route.startswith("/"):
                raise ValueError(f"Faults.routes are paths starting with '/', not {route!r}.")
        _check_retry_after(self.retry_after)

    def applies_to(self, *paths: str) -> bool:
        """Whether a request to any of ``paths`` is subject to these faults."""
        return self.routes is None or any(fnmatch.fnmatchcase(path, route) for path in paths for route in self.routes)


def _check_retry_after(value: object) -> None:
    if value is None or (isinstance(value, timedelta) and value >= timedelta(0)):
        return
    if isinstance(value, str) and value.strip() and "\r" not in value and "\n" not in value:
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0:
        return
    raise ValueError(f"Faults.retry_after must be seconds (>= 0), a timedelta, a header value or None, not {value!r}.")


@dataclass(frozen=True)
class FaultCounts:
    """How many requests the fake failed on purpose, by kind (``fake.fault_counts``).

    Attributes:
        statuses: Error statuses sent, by status: ``{503: 2, 429: 1}``.
        resets: Connections reset.
        delays: Answers delayed.
    """

    statuses: Mapping[int, int] = field(default_factory=dict)
    resets: int = 0
    delays: int = 0

    @property
    def total(self) -> int:
        """Every injected fault."""
        return sum(self.statuses.values()) + self.resets + self.delays


@dataclass(frozen=True)
class Answer:
    """What a transport does with one request (:meth:`FakeUmami.answer`): wait ``delay`` seconds,
    then send ``response``, or reset the connection when it is None. ``fault`` is the injected one."""

    response: Response | None
    delay: float = 0.0
    fault: FaultKind | None = None


@dataclass(frozen=True)
class Fault:
    """One draw's verdict: the kind of fault, and the status of a ``status`` fault."""

    kind: FaultKind
    status: int = 0


class Injector:
    """Draws the faults of one :class:`Faults`, request by request (the caller holds the lock)."""

    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        self.injected = 0
        self._random = random.Random(faults.seed)

    def draw(self, *paths: str) -> Fault | None:
        """The fault for the next request to ``paths``, or None."""
        faults = self.faults
        if not faults.applies_to(*paths) or (faults.max_faults is not None and self.injected >= faults.max_faults):
            return None
        # Two draws for every request, so the choice of status never shifts which later requests fail.
        kind, which = self._random.random(), self._random.random()
        if kind < faults.reset_rate:
            fault = Fault("reset")
        elif kind < faults.reset_rate + faults.delay_rate:
            fault = Fault("delay")
        elif kind < faults.reset_rate + faults.delay_rate + faults.rate:
            fault = Fault("status", faults.statuses[int(which * len(faults.statuses))])
        else:
            return None
        self.injected += 1
        return fault


def carry_out(fault: Fault | None, response: Response | None, faults: Faults) -> Answer:
    """The Answer for ``fault``; ``response`` is the server's own answer (None when not processed)."""
    if fault is None:
        assert response is not None
        return Answer(response)
    if fault.kind == "reset":
        return Answer(None, fault="reset")
    if fault.kind == "delay":
        late = response if faults.after_store and response is not None else plain(504)
        return Answer(late, faults.delay, "delay")
    return Answer(error_response(fault.status, faults.retry_after), fault="status")


def error_response(status: int, retry_after: float | str | timedelta | None = None) -> Response:
    """An injected error answer: Umami's envelope for 500, a proxy's plain text otherwise."""
    if status == 500:
        return to_response(json_reply(SERVER_ERROR, 500))
    response = plain(status)
    if status in RETRY_AFTER_STATUSES and retry_after is not None:
        return Response(status, (*response.headers, ("Retry-After", retry_after_value(retry_after))), response.body)
    return response


def plain(status: int) -> Response:
    """A proxy's short answer: ``503 Service Unavailable`` as text."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return Response(status, (("Content-Type", "text/plain; charset=utf-8"),), f"{status} {phrase}".encode())


def retry_after_value(retry_after: float | str | timedelta) -> str:
    """The header's value: whole seconds as an integer, a timedelta as an HTTP-date from now."""
    if isinstance(retry_after, str):
        return retry_after
    if isinstance(retry_after, timedelta):
        # Rounded up: the date is never earlier than asked (HTTP-dates have whole seconds).
        return email.utils.formatdate(math.ceil(time.time() + retry_after.total_seconds()), usegmt=True)
    return str(int(retry_after)) if float(retry_after).is_integer() else f"{retry_after:g}"
