"""The only code that knows sync from async: run a core flow over a transport.

Exceptions the transport raises are thrown into the flow, so a flow can handle them (heartbeat()
and verify_token() turn them into False). A non-2xx APIError leaving the flow is handed to the
transport to become its library's own status error as well.
"""

from __future__ import annotations

from typing import TypeVar

from umami_core import APIError, Flow
from umami_transports.base import Transport

__all__ = ["arun", "run"]

T = TypeVar("T")


def run(flow: Flow[T], transport: Transport) -> T:
    """Run ``flow`` to its end over the sync ``transport`` and return its result."""
    try:
        request = next(flow)
        while True:
            try:
                response = transport.send(request)
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


async def arun(flow: Flow[T], transport: Transport) -> T:
    """Run ``flow`` to its end over the async ``transport`` and return its result."""
    try:
        request = next(flow)
        while True:
            try:
                response = await transport.send_async(request)
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
