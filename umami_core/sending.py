"""Flows that send page views, custom events and revenue to ``/api/send``.

https://umami.is/docs/api/sending-stats
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from umami_core.config import BROWSER_USER_AGENT, Config
from umami_core.errors import UnexpectedResponseError, ValidationError
from umami_core.exchange import Flow, exchange_json
from umami_core.http import Request
from umami_core.validation import (
    MAX_LANGUAGE,
    MAX_SCREEN,
    check_currency,
    check_custom_data,
    check_decoded_text,
    check_event_name,
    check_field,
    check_hostname,
    check_ip_address,
    check_optional_string,
    check_page_url,
    check_revenue,
    check_revenue_data,
    check_title,
    check_url,
    check_user_agent,
    normalize_distinct_id,
    require_website_id,
)

__all__ = [
    "Event",
    "custom_event",
    "identification",
    "new_event",
    "new_page_view",
    "new_revenue_event",
    "page_view",
    "revenue_event",
    "send_event",
]

logger = logging.getLogger("umami")


@dataclass(frozen=True)
class Event:
    """A page view, custom event or identification, validated and ready to go: alone to
    ``/api/send``, or in a batch.

    Attributes:
        payload: The ``payload`` of Umami's send body (website, hostname, url, title...; ``name``
            and ``data`` for a custom event; ``id`` and ``data`` for an identification).
        user_agent: The visitor's User-Agent: the request's header when sent alone, the payload's
            ``userAgent`` in a batch.
        kind: The send body's ``type``: ``"event"`` (page views and custom events) or ``"identify"``.
    """

    payload: dict[str, Any]
    user_agent: str
    kind: str = "event"

    @property
    def description(self) -> str:
        """'page view', "event 'signup'" or 'identification', for messages."""
        if self.kind == "identify":
            return "identification"
        return "page view" if "name" not in self.payload else f"event {self.payload['name']!r}"


def identification(
    config: Config,
    distinct_id: str | int,
    data: dict[str, Any] | None = None,
    hostname: str | None = None,
    url: str = "/",
    website_id: str | None = None,
    ip_address: str | None = None,
    *,
    ua: str = BROWSER_USER_AGENT,
) -> Event:
    """The identification identify() sends: ``distinct_id`` names the visitor, ``data`` is stored on their session.

    Umami stores ``data`` as session data of the session that ``distinct_id`` (with the website)
    makes; events sent later with the same ``distinct_id`` belong to that session.
    """
    if normalize_distinct_id(distinct_id) is None:
        raise ValidationError("identify() needs a distinct_id (a non-blank string or an integer): the id of the user.")
    payload = _payload(config, hostname, url, website_id, "", "", "en-US", "1920x1080", ip_address, distinct_id)
    payload["data"] = check_custom_data(data)
    return Event(payload, check_user_agent(ua), "identify")


def custom_event(
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
    *,
    ua: str = BROWSER_USER_AGENT,
) -> Event:
    """The custom event new_event() sends, checked: ValidationError for any argument Umami would refuse.

    ``custom_data`` is converted as :func:`umami_core.validation.check_custom_data` says; when it
    has both 'revenue' and 'currency', Umami records revenue, so they are checked as for
    revenue_event(). ``ua`` is the visitor's User-Agent.
    """
    event_name = check_event_name(event_name)
    # As the incumbent: a blank title is the name (which Umami then percent-decodes, as every title).
    title = check_title("title", title) if title else check_decoded_text("event_name", event_name)
    payload = _payload(config, hostname, url, website_id, title, referrer, language, screen, ip_address, distinct_id)
    payload["name"] = event_name
    payload["data"] = check_revenue_data(check_custom_data(custom_data))
    return Event(payload, check_user_agent(ua))


def revenue_event(
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
    *,
    ua: str = BROWSER_USER_AGENT,
) -> Event:
    """The custom event new_revenue_event() sends: ``revenue`` and ``currency`` in its data.

    A Decimal revenue is sent as a number; the currency is sent in upper case.
    """
    amount, code = check_revenue(revenue), check_currency(currency)
    data = {**check_custom_data(custom_data), "revenue": amount, "currency": code}
    return custom_event(
        config, event_name, hostname, url, website_id, title, data, referrer, language, screen, ip_address, distinct_id, ua=ua
    )


def page_view(
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
) -> Event:
    """The page view new_page_view() sends, checked."""
    page_title = check_title("page_title", page_title)
    user_agent = check_user_agent(ua)
    payload = _payload(config, hostname, url, website_id, page_title, referrer, language, screen, ip_address, distinct_id)
    return Event(payload, user_agent)


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
    *,
    ua: str = BROWSER_USER_AGENT,
) -> Flow[dict[str, Any]]:
    """Send a custom event (see custom_event()); returns the server's JSON answer, or ``{}`` while tracking is disabled."""
    event = custom_event(config, event_name, hostname, url, website_id, title, custom_data, referrer, language, screen, ip_address,
                         distinct_id, ua=ua)  # fmt: skip
    return (yield from send_event(config, event))


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
    *,
    ua: str = BROWSER_USER_AGENT,
) -> Flow[dict[str, Any]]:
    """Send a custom event carrying ``revenue`` and ``currency`` in its data (Umami's revenue report; see revenue_event())."""
    event = revenue_event(config, revenue, currency, event_name, hostname, url, website_id, title, custom_data, referrer, language, screen,
                          ip_address, distinct_id, ua=ua)  # fmt: skip
    return (yield from send_event(config, event))


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
    event = page_view(config, page_title, url, hostname, website_id, referrer, language, screen, ua, ip_address, distinct_id)
    return (yield from send_event(config, event))


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
        "hostname": check_hostname(chosen_host),
        "language": check_field("language", language, MAX_LANGUAGE),
        "referrer": check_url("referrer", referrer),
        "screen": check_field("screen", screen, MAX_SCREEN),
        "title": title,
        "url": check_page_url(url),
        "website": require_website_id(website_id, config.website_id),
    }
    ip = check_ip_address(ip_address)
    if ip:
        payload["ip"] = ip
    normalized_id = normalize_distinct_id(distinct_id)
    if normalized_id:
        payload["id"] = normalized_id
    return payload


def send_event(config: Config, event: Event) -> Flow[dict[str, Any]]:
    """Send ``event`` alone to ``/api/send``; returns the server's JSON answer, or ``{}`` while tracking is disabled."""
    body = {"payload": event.payload, "type": event.kind}
    try:
        request = Request.post(config.send_url(), config.send_headers(event.user_agent), body)
    except (TypeError, ValueError) as exc:  # not expected: the checks above leave only plain JSON
        raise ValidationError(f"The event cannot be sent as JSON ({type(exc).__name__}): check custom_data.") from None
    if not config.tracking_enabled:
        return {}
    answer = yield from exchange_json(request)
    if not isinstance(answer, dict):
        raise UnexpectedResponseError(f"Umami answered POST {request.url} with {type(answer).__name__}, expected a JSON object.")
    if answer.get("beep") == "boop":
        logger.warning(
            "Umami dropped this %s as coming from a bot (User-Agent %r): nothing was stored. Send a browser "
            "User-Agent, or set DISABLE_BOT_CHECK on the server.",
            event.description,
            event.user_agent,
        )
    return answer
