"""Which operations of Umami's API contract (``umami_core.OPERATIONS``, API 3.3.1) the fake serves.

Computed from the fake's route table: an operation is served when the fake has a route with its
method and path. The contract is a little newer than the 3.1 server the fake follows, so part of it
does not exist there (2FA, API keys, annotations, funnels, goals, pivots, charts...); the fake answers
those, like a 3.1 server, with the HTML 404 page.
"""

from __future__ import annotations

import re

from umami_core import OPERATIONS
from umami_transports.fake import instance  # noqa: F401 - importing registers every route
from umami_transports.fake.app import route_table

__all__ = ["served_operations", "unserved_operations"]


def _shape(path: str) -> str:
    return re.sub(r"\{\w+\}", "{}", path)


def served_operations() -> tuple[str, ...]:
    """The ids of the contract's operations the fake serves, in the contract's order."""
    table = {(method, _shape(path)) for method, path in route_table()}
    return tuple(operation.id for operation in OPERATIONS if (operation.method, _shape(operation.path)) in table)


def unserved_operations() -> tuple[str, ...]:
    """The ids of the contract's operations the fake answers with a 404 page."""
    served = set(served_operations())
    return tuple(operation.id for operation in OPERATIONS if operation.id not in served)
