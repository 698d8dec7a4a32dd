"""Sending page views, custom events and revenue (no login needed)."""

from __future__ import annotations

from typing import Any

import umami_core as core
from umami._base import ClientBase, async_twin
from umami_core import BROWSER_USER_AGENT


class Sending(ClientBase):
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
    ) -> dict[str, Any]:
        """Create a new custom event in Umami.

        The event appears in the events section of your Umami website page (custom events do not
        change the page view, visitor or visit counts of website_stats()). Login is not required.
        If tracking was turned off with disable(), the inputs are still validated but nothing is
        sent and ``{}`` is returned. If Umami judges the request to come from a bot it stores
        nothing and answers ``{"beep": "boop"}``; a warning is logged.

        Args:
            event_name: The name of your custom event (e.g. 'Purchase-Course'), at most 50 characters.
            hostname: Hostname identifying the client (e.g. 'example.com'); overrides set_hostname().
            url: The URL associated with the event (e.g. '/account/new'). Defaults to '/'.
            website_id: Umami website ID; overrides set_website_id().
            title: The display title of the event. Defaults to event_name.
            custom_data: Additional key/value data sent with the event. Defaults to an empty dict.
            referrer: The referrer of the client, if any. Defaults to ''.
            language: The language of the event/client. Defaults to 'en-US'.
            screen: The screen resolution of the client. Defaults to '1920x1080'.
            ip_address: The true IP address of the user, when sending from a server-side handler.
            distinct_id: Umami distinct ID for the user (str or int), sent as the payload field
                'id'. Blank values are ignored.

        Returns:
            The JSON response from the Umami API as a dict, or an empty dict if tracking is disabled.
        Raises:
            OperationNotAllowedError: If neither set_url_base() nor set_cloud_api_key() has been called.
            ValidationError: If hostname or website_id is not set (here or via set_hostname() /
                set_website_id()), if website_id is not a UUID, if distinct_id is a bool or any type
                other than str or int, or if a value is over the server's limit (event name 50
                characters, hostname 100, screen 11, language 35, distinct_id 50).
            httpx.HTTPStatusError: If Umami returns a non-2xx response (also an ``umami.errors.APIError``).
            umami.errors.TransportError: If Umami could not be reached or did not answer in time.
        """
        return self._run(core.new_event(self._config, event_name, hostname, url, website_id, title, custom_data, referrer, language, screen, ip_address, distinct_id))  # noqa: E501

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
    ) -> dict[str, Any]:
        return await self._arun(core.new_event(self._config, event_name, hostname, url, website_id, title, custom_data, referrer, language, screen, ip_address, distinct_id))  # noqa: E501

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
    ) -> dict[str, Any]:
        """Create a new revenue event: a custom event whose data carries 'revenue' and 'currency'.

        Umami records revenue only when revenue > 0. Arguments after ``event_name`` are those of
        new_event(); the 'revenue' and 'currency' keys of custom_data are overwritten.

        Args:
            revenue: The monetary amount of the transaction: an int or float >= 0.
            currency: ISO 4217 currency code (e.g. 'USD', 'EUR'). Must be non-empty. Defaults to 'USD'.
            event_name: The name of your custom event. Defaults to 'revenue'.

        Returns:
            The JSON response from the Umami API as a dict, or an empty dict if tracking is disabled.

        Raises:
            ValidationError: If revenue is not a finite number or is negative, or currency is
                empty; and everything new_event() raises.

        Example:
            ```python
            umami.new_revenue_event(revenue=19.99, currency='USD', event_name='checkout-cart', url='/checkout')
            ```
        """
        return self._run(core.new_revenue_event(self._config, revenue, currency, event_name, hostname, url, website_id, title, custom_data, referrer, language, screen, ip_address, distinct_id))  # noqa: E501

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
    ) -> dict[str, Any]:
        return await self._arun(core.new_revenue_event(self._config, revenue, currency, event_name, hostname, url, website_id, title, custom_data, referrer, language, screen, ip_address, distinct_id))  # noqa: E501

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

        Only page views feed website_stats(). Without ip_address or distinct_id, every page view
        sent from one server looks like one visitor to Umami (it hashes IP and User-Agent).

        Args:
            page_title: The title of the page view to record (required).
            url: The URL of the page view to record (e.g. '/account/new').
            hostname: Hostname identifying the client; overrides set_hostname().
            website_id: Umami website ID; overrides set_website_id().
            referrer: The referrer of the client, if any. Defaults to ''.
            language: Language of the client. Defaults to 'en-US'.
            screen: Screen resolution of the client. Defaults to '1920x1080'.
            ua: User-Agent of the client. Defaults to a browser User-Agent because Umami drops
                page views from non-browser agents.
            ip_address: The true IP address of the user, when sending from a server-side handler.
            distinct_id: Umami distinct ID for the user (str or int), sent as the payload field 'id'.

        Returns:
            The JSON response from the Umami API as a dict, or an empty dict if tracking is disabled.
        Raises:
            OperationNotAllowedError: If neither set_url_base() nor set_cloud_api_key() has been called.
            ValidationError: If hostname or website_id is not set (here or via set_hostname() /
                set_website_id()), if website_id is not a UUID, if distinct_id is a bool or any type
                other than str or int, or if a value is over the server's limit (event name 50
                characters, hostname 100, screen 11, language 35, distinct_id 50).
            httpx.HTTPStatusError: If Umami returns a non-2xx response (also an ``umami.errors.APIError``).
            umami.errors.TransportError: If Umami could not be reached or did not answer in time.

        Example:
            ```python
            umami.new_page_view(page_title='Home', url='/')
            ```
        """
        return self._run(core.new_page_view(self._config, page_title, url, hostname, website_id, referrer, language, screen, ua, ip_address, distinct_id))  # noqa: E501

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
        return await self._arun(core.new_page_view(self._config, page_title, url, hostname, website_id, referrer, language, screen, ua, ip_address, distinct_id))  # noqa: E501

