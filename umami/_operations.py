"""Every operation of Umami's API by its id, and paged lists as iterators (login or an API key needed,
except for the few public ones: sends, batches, login, a public share page)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from umami._base import ClientBase
from umami_core import ValidationError
from umami_core.paging import Pager


class Operations(ClientBase):
    def call(self, operation_id: str, /, *, body: Any = None, **params: Any) -> Any:
        """Run any operation of Umami's API contract by its operationId.

        The 166 operations of the contract (API 3.3.1) are listed in ``umami_core.OPERATIONS``.
        Path and query parameters go by name. ``websiteId`` defaults to set_website_id(); dates
        may be datetimes (``startAt``/``endAt`` become epoch milliseconds); a list gives several
        values of a filter (any matches); ``url`` and ``host`` are accepted for ``path`` and
        ``hostname``. The credential (login token or API key) is sent only to operations that need one.

        Args:
            operation_id: The contract's operationId, e.g. ``'getWebsiteMetrics'``.
            body: The JSON body, for the operations that take one (create, update...).
            **params: The operation's path and query parameters.

        Returns:
            The decoded JSON answer (None for an empty one).

        Raises:
            ValidationError: For an unknown operation or parameter (the message suggests the right
                name), a missing path parameter, or a value that cannot be sent.
            OperationNotAllowedError: If the operation needs a credential and none is set.
            httpx.HTTPStatusError: If Umami answers non-2xx (also an ``umami.errors.APIError``).

        Example:
            ```python
            top = umami.call('getWebsiteMetrics', type='path', startAt=start, endAt=end, limit=10)
            ```
        """
        from umami_core.operations import call  # the table of 166 operations loads on first use

        return self._run(call(self._config, operation_id, params, body))

    async def call_async(self, operation_id: str, /, *, body: Any = None, **params: Any) -> Any:
        """Async twin of call(): the same arguments, result and exceptions; await it."""
        from umami_core.operations import call

        return await self._arun(call(self._config, operation_id, params, body))

    def iterate(self, operation_id: str, /, *, page_size: int = 100, **params: Any) -> Iterator[Any]:
        """Every item of a paged list (an operation with ``page`` and ``pageSize``), fetching pages as you go.

        Exporting a year of events is a ``for`` loop that never holds them all in memory. The
        listing stops at its last page, and after ``Limits.max_pages`` pages with a warning.

        Args:
            operation_id: A paged operation, e.g. ``'getWebsiteEvents'``, ``'getWebsiteSessions'``.
            page_size: Items asked for per page.
            **params: The operation's other parameters, as for call().

        Example:
            ```python
            for event in umami.iterate('getWebsiteEvents', startAt=start, endAt=end):
                print(event['createdAt'], event['urlPath'])
            ```
        """
        page, pager = self._pager(operation_id, page_size, params)
        while True:
            items, more = pager.take(self.call(operation_id, page=page, pageSize=page_size, **params))
            yield from items
            if not more:
                return
            page += 1

    async def iterate_async(self, operation_id: str, /, *, page_size: int = 100, **params: Any) -> AsyncIterator[Any]:
        """Async twin of iterate(): ``async for item in client.iterate_async(...)``."""
        page, pager = self._pager(operation_id, page_size, params)
        while True:
            items, more = pager.take(await self.call_async(operation_id, page=page, pageSize=page_size, **params))
            for item in items:
                yield item
            if not more:
                return
            page += 1

    def _pager(self, operation_id: str, page_size: int, params: dict[str, Any]) -> tuple[int, Pager]:
        from umami_core.operations import find_operation

        operation = find_operation(operation_id)
        if "page" not in operation.query_params or "pageSize" not in operation.query_params:
            raise ValidationError(f"{operation_id} is not a paged list (it takes no page and pageSize): use call().")
        if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= 1000:
            raise ValidationError(f"page_size must be an integer from 1 to 1000, got {page_size!r:.40}.")
        if "pageSize" in params:
            raise ValidationError("Give the page size as page_size=..., not pageSize.")
        page = params.pop("page", 1)
        if isinstance(page, bool) or not isinstance(page, int) or page < 1:
            raise ValidationError(f"page must be a positive integer, got {page!r:.40}.")
        return page, Pager(page_size, self._config.limits.max_pages, f"iterate({operation_id!r})")
