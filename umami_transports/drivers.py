"""The only code that knows sync from async: run a core flow over a transport.

Exceptions the transport raises are thrown into the flow, so a flow can handle them (heartbeat()
and verify_token() turn them into False). A non-2xx APIError leaving the flow is handed to the
transport to become its library's own status error as well.

The drivers keep the call's :class:`~umami_core.Limits`: each request leaves with what is left of
the deadline (``Request.timeout``) and the body limit (``Request.max_body``); the async driver
also cancels a send that outlives the deadline, and the sync adapters bound every blocking step.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TypeVar

from umami_core import APIError, Flow, Limits, Request, Response, TransportTimeoutError
from umami_transports.base import Transport

__all__ = ["arun", "run"]

T = TypeVar("T")

_DEFAULT_LIMITS = Limits()


class _Budget:
    """The call's limits, and the moment its deadline passes."""

    __slots__ = ("at", "limits")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.at = None if limits.deadline is None else time.monotonic() + limits.deadline

    def bound(self, request: Request, transport: Transport) -> Request:
        """``request`` carrying the time left and the body limit; the deadline error if no time is left."""
        left = None if self.at is None else self.at - time.monotonic()
        if left is not None and left <= 0:
            raise self.passed(request, transport)
        return Request(request.method, request.url, request.headers, request.body, request.sensitive, left, self.limits.max_body)

    def passed(self, request: Request, transport: Transport) -> TransportTimeoutError:
        return transport.deadline_error(
            f"Umami did not answer {request.method} {request.url} within the call's {self.limits.deadline:g} s deadline "
            "(umami.set_limits(deadline=...) changes it)"
        )

    def capped(self, response: Response) -> Response:
        """``response`` cut at the body limit, for transports that do not read with one."""
        limit = self.limits.max_body
        if len(response.body) <= limit:
            return response
        return Response(response.status_code, response.headers, response.body[:limit], truncated=True)


def run(flow: Flow[T], transport: Transport, limits: Limits | None = None) -> T:
    """Run ``flow`` to its end over the sync ``transport`` and return its result."""
    budget = _Budget(limits or _DEFAULT_LIMITS)
    try:
        request = next(flow)
        while True:
            try:
                response = budget.capped(transport.send(budget.bound(request, transport)))
            except Exception as exc:  # noqa: BLE001 - handed to the flow, which re-raises what it does not handle
                request = flow.throw(exc)
            else:
                request = flow.send(response)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    except APIError as error:
        raise transport.api_error(error).with_traceback(error.__traceback__) from None
    finally:
        flow.close()


async def arun(flow: Flow[T], transport: Transport, limits: Limits | None = None) -> T:
    """Run ``flow`` to its end over the async ``transport`` and return its result."""
    budget = _Budget(limits or _DEFAULT_LIMITS)
    try:
        request = next(flow)
        while True:
            try:
                bounded = budget.bound(request, transport)
                response = budget.capped(await _send_within(transport, bounded, budget))
            except Exception as exc:  # noqa: BLE001 - handed to the flow, which re-raises what it does not handle
                request = flow.throw(exc)
            else:
                request = flow.send(response)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    except APIError as error:
        raise transport.api_error(error).with_traceback(error.__traceback__) from None
    finally:
        flow.close()


async def _send_within(transport: Transport, request: Request, budget: _Budget) -> Response:
    """``transport.send_async(request)``, cancelled when the deadline passes (asyncio and trio alike)."""
    if request.timeout is None:
        return await transport.send_async(request)
    asyncio = sys.modules.get("asyncio")  # an asyncio loop running means asyncio is imported
    if asyncio is not None and hasattr(asyncio, "timeout") and _running(asyncio):
        # asyncio's own timeout (3.11+) costs a few microseconds, anyio's scope several times that.
        scope = asyncio.timeout(request.timeout)
        try:
            async with scope:
                return await transport.send_async(request)
        except TimeoutError:
            if scope.expired():
                raise budget.passed(request, transport) from None
            raise  # the transport's own timeout
    import anyio  # here, not at import time: only async calls need it

    with anyio.move_on_after(request.timeout):
        return await transport.send_async(request)
    raise budget.passed(request, transport)  # reached only when the deadline cancelled the send


def _running(asyncio: Any) -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # another async library (trio)
        return False
    return True
