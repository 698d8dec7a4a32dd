"""When to stop following pages: Umami's paged lists answer ``{"data": [...], "count", "page", "pageSize"}``.

A listing stops at the last page: one that is empty, shorter than the page size, repeats the page
before, or brings the total to ``count``; and after ``max_pages`` pages, with a warning, so a
server that miscounts cannot keep a client looping. Pure: the caller fetches, :class:`Pager` decides.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from typing import Any

from umami_core.errors import UnexpectedResponseError

__all__ = ["Pager"]

logger = logging.getLogger("umami")


class Pager:
    """Follows one listing: ``take(answer)`` gives a page's items and whether another page should be fetched.

    Args:
        page_size: The page size asked for.
        max_pages: Pages followed at most (``Limits.max_pages``).
        what: What is listed, for the warning at the cap.
    """

    def __init__(self, page_size: int, max_pages: int, what: str) -> None:
        self.page_size = page_size
        self.max_pages = max_pages
        self.what = what
        self.pages = 0
        self.seen = 0
        self._previous: list[Hashable] = []

    def take(self, answer: Any) -> tuple[list[Any], bool]:
        """The items of ``answer`` (a page) not seen on the page before, and whether to fetch the next page."""
        items, count, page_size = _page(answer)
        self.pages += 1
        keys = [_key(item) for item in items]
        if not items or keys == self._previous:
            return [], False
        self._previous = keys
        self.seen += len(items)
        more = self.seen < count if count is not None else True
        if len(items) < min(self.page_size, page_size or self.page_size):
            more = False
        if more and self.pages >= self.max_pages:
            logger.warning(
                "umami %s: stopped after %d pages (%d items) although the server reports more; raise Limits.max_pages "
                "(umami.set_limits(max_pages=...)) to read further.", self.what, self.pages, self.seen,
            )  # fmt: skip
            more = False
        return items, more


def _page(answer: Any) -> tuple[list[Any], int | None, int | None]:
    """(items, count, pageSize) of a paged answer."""
    if not isinstance(answer, dict) or not isinstance(answer.get("data"), list):
        raise UnexpectedResponseError(f"Umami's answer is not a page of a listing ({{'data': [...], 'count': N}}): {str(answer)[:100]}")
    count, page_size = answer.get("count"), answer.get("pageSize")
    count = count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else None
    page_size = page_size if isinstance(page_size, int) and not isinstance(page_size, bool) and page_size > 0 else None
    return answer["data"], count, page_size


def _key(item: Any) -> Hashable:
    """What tells two items apart, to notice a page that repeats: the id if there is one."""
    if isinstance(item, dict) and isinstance(item.get("id"), (str, int)):
        return item["id"]  # type: ignore[no-any-return]
    return repr(item)[:500]
