"""Flows that read data back: the websites, a website's stats, its active visitors.

https://umami.is/docs/api/websites and https://umami.is/docs/api/website-stats
"""

from __future__ import annotations

import datetime
import itertools
import logging
import math
import reprlib
from typing import TYPE_CHECKING, Any

from umami_core.config import Config
from umami_core.errors import UnexpectedResponseError
from umami_core.exchange import Flow, exchange_json, parse_model
from umami_core.http import Request
from umami_core.paging import Pager
from umami_core.validation import check_date_range, check_filter, check_request_url, require_datetime, require_website_id

if TYPE_CHECKING:
    from umami_core.models import Website, WebsiteStats

__all__ = ["active_users", "website_stats", "websites"]

logger = logging.getLogger("umami")

#: Websites asked for per page; the server reports the page size it used, which is what we follow.
PAGE_SIZE = 100


def websites(config: Config) -> Flow[list[Website]]:
    """Every website of the account, following the pages (the server pages and reports ``count``).

    Stops at the last page: one that is empty, shorter than the page size, repeats the one before,
    or brings the total to ``count``; and after ``config.limits.max_pages`` pages, with a warning,
    so a server that miscounts cannot keep it looping.
    """
    from umami_core.models import WebsitesResponse  # the models load on first use

    config.require_credential()
    found: list[Website] = []
    pager = Pager(PAGE_SIZE, config.limits.max_pages, "websites()")
    for page in itertools.count(1):
        # https://umami.is/docs/api/websites#get-apiwebsites
        request = Request.get(config.data_url("/websites", {"page": page, "pageSize": PAGE_SIZE}), config.data_headers())
        answer = yield from exchange_json(request)
        envelope = parse_model(WebsitesResponse, answer, request)
        items, more = pager.take(answer)
        if items:
            found.extend(envelope.websites)
        if not more:
            break
    return found


def website_stats(
    config: Config,
    start_at: datetime.datetime,
    end_at: datetime.datetime,
    website_id: str | None = None,
    url: str | None = None,
    referrer: str | None = None,
    title: str | None = None,
    query: str | None = None,
    event: str | None = None,
    host: str | None = None,
    os: str | None = None,
    browser: str | None = None,
    device: str | None = None,
    country: str | None = None,
    region: str | None = None,
    city: str | None = None,
) -> Flow[WebsiteStats]:
    """The website's totals over ``[start_at, end_at]``, with the previous period as comparison."""
    config.require_credential()
    site = require_website_id(website_id, config.website_id)
    start_ms, end_ms = require_datetime("start_at", start_at), require_datetime("end_at", end_at)
    check_date_range(start_ms, end_ms)
    # (wire name, argument name, value). Umami v3 calls url 'path' and host 'hostname'; it silently
    # ignores the old names, so sending those would filter nothing.
    filters = (
        ("path", "url", url), ("referrer", "referrer", referrer), ("title", "title", title),
        ("query", "query", query), ("event", "event", event), ("hostname", "host", host), ("os", "os", os),
        ("browser", "browser", browser), ("device", "device", device), ("country", "country", country),
        ("region", "region", region), ("city", "city", city),
    )  # fmt: skip
    query_string: dict[str, str | int] = {"startAt": start_ms, "endAt": end_ms}
    for wire_name, argument, value in filters:
        checked = check_filter(argument, value)
        if checked is not None:
            query_string[wire_name] = checked
    # https://umami.is/docs/api/website-stats#get-apiwebsiteswebsiteidstats
    request = Request.get(check_request_url(config.data_url(f"/websites/{site}/stats", query_string)), config.data_headers())
    from umami_core.models import WebsiteStats  # the models load on first use

    return parse_model(WebsiteStats, (yield from exchange_json(request)), request)


def active_users(config: Config, website_id: str | None = None) -> Flow[int]:
    """How many distinct visitors the website had in the last five minutes."""
    config.require_credential()
    site = require_website_id(website_id, config.website_id)
    # https://umami.is/docs/api/website-stats#get-apiwebsiteswebsiteidactive
    request = Request.get(config.data_url(f"/websites/{site}/active"), config.data_headers())
    body: Any = yield from exchange_json(request)
    # {"visitors": N} since Umami 2.17; {"x": N} before.
    count = _visitor_count(body.get("visitors", body.get("x")) if isinstance(body, dict) else None)
    if count is None:
        raise UnexpectedResponseError(
            f"Umami's answer to GET {request.url} has no visitor count (a whole number >= 0): {reprlib.repr(body)}"
        )
    return count


def _visitor_count(value: Any) -> int | None:
    """A count the server may send as an int, a whole float or a digit string; None if it is none of these."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value.strip()) <= 18:
        return int(value.strip())
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None
