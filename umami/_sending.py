"""Sending page views, custom events and revenue (no login needed)."""

from __future__ import annotations

from typing import Any

import umami_core.sending as core
from umami._background import Background
from umami._base import async_twin
from umami_core import BROWSER_USER_AGENT


class Sending(Background):
    def new_event(
        self,
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
    ) -> dict[str, Any]:
        """Create a new custom event in Umami.

        The event appears in the events section of your Umami website page (custom events do not
        change the page view, visitor or visit counts of website_stats()). Login is not required.
        If tracking was turned off with disable(), the inputs are still validated but nothing is
        sent and ``{}`` is returned. If Umami judges the request to come from a bot it stores
        nothing and answers ``{"beep": "boop"}``; a warning is logged.

        Umami tells visitors apart by IP address + User-Agent (or by distinct_id when given): from
        a server, pass the visitor's ip_address and ua (or a distinct_id), or every event looks like
        one visitor.

        Args:
            event_name: The name of your custom event (e.g. 'Purchase-Course'), at most 50 characters.
            hostname: Host of the site (e.g. 'example.com', optionally with ':port'); overrides
                set_hostname(). A host only: no scheme, path or spaces.
            url: The URL associated with the event: a path (e.g. '/account/new') or an absolute URL.
                Defaults to '/'.
            website_id: Umami website ID (a UUID, sent in lower case); overrides set_website_id().
            title: The display title of the event. Defaults to event_name.
            custom_data: Additional key/value data sent with the event (keys are strings). Defaults
                to an empty dict. Converted the way Umami stores values: ``datetime`` -> ISO 8601 in
                UTC with milliseconds ('2026-05-14T10:37:12.000Z'; naive ones are local time), which
                Umami stores as a date; ``date`` -> its midnight UTC, likewise; ``Decimal`` -> a
                number; ``UUID`` -> its string; tuples -> lists. Umami flattens nested dicts into
                dotted keys ('a.b') and stores lists as JSON text. If it holds both 'revenue' and
                'currency', Umami records revenue: they are checked as in new_revenue_event().
            referrer: The referrer of the client, if any: a URL or ''. Defaults to ''.
            language: The language of the event/client. Defaults to 'en-US'.
            screen: The screen resolution of the client. Defaults to '1920x1080'.
            ip_address: The visitor's IPv4 or IPv6 address, when sending from a server-side handler.
            distinct_id: Umami distinct ID for the user (str or int), sent as the payload field
                'id'. Blank values are ignored.
            ua: The visitor's User-Agent, sent as the User-Agent header (printable ASCII). Defaults
                to a browser User-Agent, because Umami drops events from non-browser agents.

        Returns:
            The JSON response from the Umami API as a dict, or an empty dict if tracking is disabled.
        Raises:
            OperationNotAllowedError: If neither set_url_base() nor set_cloud_api_key() has been called.
            ValidationError: Before any request, if an argument would not make a request Umami
                accepts and stores: hostname or website_id not set (here or via set_hostname() /
                set_website_id()); website_id not a UUID; hostname not a host; url or referrer not
                a URL; ip_address not an IP address; ua not printable ASCII; distinct_id a bool or
                neither str nor int; a string with an unpaired surrogate (it cannot be encoded) or a
                NUL character (PostgreSQL cannot store it); a value over the server's limit (event
                name 50 UTF-16 code units, hostname 100, screen 11, language 35; distinct_id 50
                characters); custom_data that is not a dict, has a key that is not a string, a NaN or
                infinite number, an integer beyond 2**53, a value of another type, nesting deeper
                than 32 levels, or something Umami cannot store (a string, list or dotted key over
                500 characters, a number of 10**15 or more, an ISO-date-shaped string that is not a
                valid date).
            httpx.HTTPStatusError: If Umami returns a non-2xx response (also an ``umami.errors.APIError``).
            umami.errors.TransportError: If Umami could not be reached or did not answer in time.
        """
        config = self._config
        return self._deliver(config, core.custom_event(config, event_name, hostname, url, website_id, title, custom_data, referrer, language, screen, ip_address, distinct_id, ua=ua))  # noqa: E501

    @async_twin(new_event)
    async def new_event_async(
        self,
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
    ) -> dict[str, Any]:
        config = self._config
        return await self._deliver_async(config, core.custom_event(config, event_name, hostname, url, website_id, title, custom_data, referrer, language, screen, ip_address, distinct_id, ua=ua))  # noqa: E501

    def new_revenue_event(
        self,
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
    ) -> dict[str, Any]:
        """Create a new revenue event: a custom event whose data carries 'revenue' and 'currency'.

        Umami records revenue only when revenue > 0. Arguments after ``event_name`` are those of
        new_event(), ``ua`` included; the 'revenue' and 'currency' keys of custom_data are overwritten.

        Args:
            revenue: The monetary amount of the transaction: an int, float or Decimal, >= 0 and
                below 10**15 (Umami stores it as NUMERIC(19, 4)). A Decimal is sent as a number.
            currency: ISO 4217 currency code (e.g. 'USD', 'EUR'): three letters, sent in upper case.
                Defaults to 'USD'.
            event_name: The name of your custom event. Defaults to 'revenue'.

        Returns:
            The JSON response from the Umami API as a dict, or an empty dict if tracking is disabled.

        Raises:
            ValidationError: If revenue is not a finite number, is negative or is 10**15 or more, or
                currency is not three letters; and everything new_event() raises.

        Example:
            ```python
            umami.new_revenue_event(revenue=19.99, currency='USD', event_name='checkout-cart', url='/checkout')
            ```
        """
        config = self._config
        return self._deliver(config, core.revenue_event(config, revenue, currency, event_name, hostname, url, website_id, title, custom_data, referrer, language, screen, ip_address, distinct_id, ua=ua))  # noqa: E501

    @async_twin(new_revenue_event)
    async def new_revenue_event_async(
        self,
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
    ) -> dict[str, Any]:
        config = self._config
        return await self._deliver_async(config, core.revenue_event(config, revenue, currency, event_name, hostname, url, website_id, title, custom_data, referrer, language, screen, ip_address, distinct_id, ua=ua))  # noqa: E501

    def new_page_view(
        self,
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
    ) -> dict[str, Any]:
        """Create a new page view in Umami, as the tracker script does when a visitor views a page.

        Only page views feed website_stats(). Umami tells visitors apart by IP address + User-Agent
        (or by distinct_id when given): without ip_address or distinct_id, every page view sent from
        one server looks like one visitor to Umami.

        Args:
            page_title: The title of the page view to record (required).
            url: The URL of the page view to record: a path (e.g. '/account/new') or an absolute URL.
            hostname: Host of the site (e.g. 'example.com', optionally with ':port'); overrides set_hostname().
            website_id: Umami website ID (a UUID, sent in lower case); overrides set_website_id().
            referrer: The referrer of the client, if any: a URL or ''. Defaults to ''.
            language: Language of the client. Defaults to 'en-US'.
            screen: Screen resolution of the client. Defaults to '1920x1080'.
            ua: User-Agent of the client, sent as the User-Agent header (printable ASCII). Defaults
                to a browser User-Agent because Umami drops page views from non-browser agents.
            ip_address: The visitor's IPv4 or IPv6 address, when sending from a server-side handler.
            distinct_id: Umami distinct ID for the user (str or int), sent as the payload field 'id'.

        Returns:
            The JSON response from the Umami API as a dict, or an empty dict if tracking is disabled.
        Raises:
            OperationNotAllowedError: If neither set_url_base() nor set_cloud_api_key() has been called.
            ValidationError: Before any request, for the same inputs as new_event() (there is no
                event name or custom_data here).
            httpx.HTTPStatusError: If Umami returns a non-2xx response (also an ``umami.errors.APIError``).
            umami.errors.TransportError: If Umami could not be reached or did not answer in time.

        Example:
            ```python
            umami.new_page_view(page_title='Home', url='/')
            ```
        """
        config = self._config
        return self._deliver(config, core.page_view(config, page_title, url, hostname, website_id, referrer, language, screen, ua, ip_address, distinct_id))  # noqa: E501

    @async_twin(new_page_view)
    async def new_page_view_async(
        self,
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
    ) -> dict[str, Any]:
        config = self._config
        return await self._deliver_async(config, core.page_view(config, page_title, url, hostname, website_id, referrer, language, screen, ua, ip_address, distinct_id))  # noqa: E501


    def identify(
        self,
        distinct_id: str | int,
        data: dict[str, Any] | None = None,
        hostname: str | None = None,
        url: str = "/",
        website_id: str | None = None,
        ip_address: str | None = None,
        *,
        ua: str = BROWSER_USER_AGENT,
    ) -> dict[str, Any]:
        """Tell Umami who a visitor is, and store ``data`` about them (sent as ``type: "identify"``).

        Umami keys the session of an identified visitor on the website and ``distinct_id``: send the
        same ``distinct_id`` on the user's later page views and events (their ``distinct_id``
        argument) and they belong to that session, whatever the IP address or device. ``data`` is
        stored as the session's data (Umami's session properties), readable back with
        ``call('getSessionDataProperties', ...)``. With background sending on, it is queued like a send.

        Args:
            distinct_id: The user's id in your application (str or int, at most 50 characters).
            data: Properties of the user (plan, signup date...), converted as new_event()'s custom_data.
            hostname: Hostname identifying the client; overrides set_hostname().
            url: The page the identification happened on. Defaults to '/'.
            website_id: Umami website ID; overrides set_website_id().
            ip_address: The user's IP address, when sending from a server-side handler.
            ua: The user's User-Agent.

        Returns:
            The JSON response from the Umami API as a dict (``{"queued": True}`` in background mode,
            ``{}`` while tracking is disabled).

        Raises:
            ValidationError: If distinct_id is missing, blank or longer than 50 characters, or for the
                inputs new_event() refuses.
            httpx.HTTPStatusError: If Umami returns a non-2xx response (also an ``umami.errors.APIError``).
            umami.errors.TransportError: If Umami could not be reached or did not answer in time.

        Example:
            ```python
            umami.identify('user-42', {'plan': 'pro'})
            umami.new_event('upgrade', distinct_id='user-42')
            ```
        """
        config = self._config
        return self._deliver(config, core.identification(config, distinct_id, data, hostname, url, website_id, ip_address, ua=ua))

    @async_twin(identify)
    async def identify_async(
        self,
        distinct_id: str | int,
        data: dict[str, Any] | None = None,
        hostname: str | None = None,
        url: str = "/",
        website_id: str | None = None,
        ip_address: str | None = None,
        *,
        ua: str = BROWSER_USER_AGENT,
    ) -> dict[str, Any]:
        config = self._config
        event = core.identification(config, distinct_id, data, hostname, url, website_id, ip_address, ua=ua)
        return await self._deliver_async(config, event)
