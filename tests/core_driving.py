"""Drive a core flow by hand: take its request, feed it a response, see what it returns or raises."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from umami_core import Flow, Request, Response

T = TypeVar("T")

SITE = "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"


def json_response(body: Any, status: int = 200) -> Response:
    return Response(status, (("content-type", "application/json"),), json.dumps(body).encode())


def first_request(flow: Flow[Any]) -> Request:
    request = next(flow)
    assert isinstance(request, Request)
    return request


def finish(flow: Flow[T], response: Response) -> T:
    """Send ``response`` and expect the flow to end; returns its result."""
    try:
        extra = flow.send(response)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    raise AssertionError(f"the flow made another request: {extra!r}")


def result_without_request(flow: Flow[T]) -> T:
    """The result of a flow that must finish without any request."""
    try:
        request = next(flow)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    raise AssertionError(f"the flow made a request: {request!r}")


def body_of(request: Request) -> Any:
    assert request.body is not None
    return json.loads(request.body)
