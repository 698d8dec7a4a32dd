"""Flows that send page views, custom events and revenue to ``/api/send``.

https://umami.is/docs/api/sending-stats
"""

from __future__ import annotations

import logging
from typing import Any

from umami_core.config import BROWSER_USER_AGENT, Config
from umami_core.errors import UnexpectedResponseError, ValidationError
from umami_core.exchange import Flow, exchange_json
from umami_core.http import Request
from umami_core.validation import (
    MAX_EVENT_NAME,
    MAX_HOSTNAME,
    MAX_LANGUAGE,
    MAX_SCREEN,
    check_custom_data,
    check_length,
    check_optional_string,
    check_revenue,
    check_string,
    normalize_distinct_id,
    require_website_id,
)

__all__ = ["new_event", "new_page_view", "new_revenue_event"]

logger = logging.getLogger("umami")


def new_event(
    config: Config,
    event_name: str,
    hostname: str | None = None,
    url: str = "/",
    website_id: str | None = None,
    title: str | None = None,
    custom_data: dict[str, Any] | None = None,
    referrer: str = "",
    language: str = "en-US",
    screen: str = "1920x1080",
    ip_address: str | None = None,
    distinct_id: str | int | None = None,
) -> Flow[dict[str, Any]]:
    """Send a custom event; returns the server's JSON answer, or ``{}`` while tracking is disabled."""
    check_length("event_name", check_string("event_name", event_name, required=True), MAX_EVENT_NAME)
    title = check_string("title", title) if title else event_name  # as the incumbent: a blank title is the name
    payload = _payload(config, hostname, url, website_id, title, referrer, language, screen, ip_address, distinct_id)
    payload["name"] = event_name
    payload["data"] = check_custom_data(custom_data)
    return (yield from _send(config, payload, BROWSER_USER_AGENT))


def new_revenue_event(
    config: Config,
    revenue: float,
    currency: str = "USD",
    event_name: str = "revenue",
    hostname: str | None = None,
    url: str = "/",
    website_id: str | None = None,
    title: str | None = None,
    custom_data: dict[str, Any] | None = None,
    referrer: str = "",
    language: str = "en-US",
    screen: str = "1920x1080",
    ip_address: str | None = None,
    distinct_id: str | int | None = None,
) -> Flow[dict[str, Any]]:
    """Send a custom event carrying ``revenue`` and ``currency`` in its data (Umami's revenue report)."""
    check_revenue(revenue, currency)
    data = {**check_custom_data(custom_data), "revenue": revenue, "currency": currency}
    return (
        yield from new_event(
            config, event_name, hostname, url, website_id, title, data, referrer, language, screen, ip_address, distinct_id
        )
    )


def new_page_view(
    config: Config,
    page_title: str,
    url: str,
    hostname: str | None = None,
    website_id: str | None = None,
    referrer: str = "",
    language: str = "en-US",
    screen: str = "1920x1080",
    ua: str = BROWSER_USER_AGENT,
    ip_address: str | None = None,
    distinct_id: str | int | None = None,
) -> Flow[dict[str, Any]]:
    """Send a page view; returns the server's JSON answer, or ``{}`` while tracking is disabled."""
    check_string("page_title", page_title)
    check_string("ua", ua)
    payload = _payload(config, hostname, url, website_id, page_title, referrer, language, screen, ip_address, distinct_id)
    return (yield from _send(config, payload, ua))


def _payload(
    config: Config,
    hostname: str | None,
    url: str,
    website_id: str | None,
    title: str,
    referrer: str,
    language: str,
    screen: str,
    ip_address: str | None,
    distinct_id: str | int | None,
) -> dict[str, Any]:
    """The common payload fields, validated against the server's limits."""
    config.require_server()
    chosen_host = check_optional_string("hostname", hostname)
    if not chosen_host or not chosen_host.strip():
        chosen_host = config.hostname
    if not chosen_host or not chosen_host.strip():
        raise ValidationError("The hostname must be set, either as a parameter here or via set_hostname().")
    payload: dict[str, Any] = {
        "hostname": check_length("hostname", chosen_host, MAX_HOSTNAME),
        "language": check_length("language", check_string("language", language), MAX_LANGUAGE),
        "referrer": check_string("referrer", referrer),
        "screen": check_length("screen", check_string("screen", screen), MAX_SCREEN),
        "title": title,
        "url": check_string("url", url),
        "website": require_website_id(website_id, config.website_id),
    }
    ip = check_optional_string("ip_address", ip_address)
    if ip and ip.strip():
        payload["ip"] = ip.strip()
    normalized_id = normalize_distinct_id(distinct_id)
    if normalized_id:
        payload["id"] = normalized_id
    return payload


def _send(config: Config, payload: dict[str, Any], user_agent: str) -> Flow[dict[str, Any]]:
    body = {"payload": payload, "type": "event"}
    try:
        request = Request.post(config.send_url(), config.send_headers(user_agent), body)
    except (TypeError, ValueError) as exc:  # NaN, infinity, or an object json cannot encode
        raise ValidationError(f"custom_data cannot be sent as JSON: {exc}") from None
    if not config.tracking_enabled:
        return {}
    answer = yield from exchange_json(request)
    if not isinstance(answer, dict):
        raise UnexpectedResponseError(f"Umami answered POST {request.url} with {type(answer).__name__}, expected a JSON object.")
    if answer.get("beep") == "boop":
        logger.warning(
            "Umami dropped this %s as coming from a bot (User-Agent %r): nothing was stored. Send a browser "
            "User-Agent, or set DISABLE_BOT_CHECK on the server.",
            "page view" if "name" not in payload else f"event {payload['name']!r}",
            user_agent,
        )
    return answer
