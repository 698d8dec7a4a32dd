"""One operation of Umami's API contract, as data (the table is operations_table.py, generated)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Operation"]


@dataclass(frozen=True)
class Operation:
    """An operation of the contract.

    Attributes:
        id: The contract's operationId (``getWebsiteMetrics``).
        method: ``GET``, ``POST`` or ``DELETE``.
        path: The self-hosted path with ``{placeholders}`` (``/api/websites/{websiteId}/metrics``).
        path_params: The placeholders, in order.
        query_params: The query parameters it takes.
        has_body: Whether it takes a JSON body.
        authenticated: Whether it needs a credential (a login token or an API key).
    """

    id: str
    method: str
    path: str
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]
    has_body: bool
    authenticated: bool
