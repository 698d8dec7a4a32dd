"""Reading numbers back: websites, stats, active users (login or a Cloud API key needed)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import umami_core as core
from umami._base import ClientBase, async_twin

if TYPE_CHECKING:
    from umami_core.models import Website, WebsiteStats


class Reading(ClientBase):
    def websites(self) -> list[Website]:
        """All the websites registered in your Umami instance (every page of the listing).

        Requires login() (self-hosted) or set_cloud_api_key() (Umami Cloud).

        Returns:
            A list of models.Website, unwrapped from the paged API responses.

        Raises:
            OperationNotAllowedError: If set_url_base() has not been called (and no Cloud API key
                is set), or if no credential is present.
            httpx.HTTPStatusError: If the Umami API returns a non-2xx response (also an ``umami.errors.APIError``).

        Example:
            ```python
            for site in umami.websites():
                print(site.name, site.domain)
            ```
        """
        return self._run(core.websites(self._config))

    @async_twin(websites)
    async def websites_async(self) -> list[Website]:
        return await self._arun(core.websites(self._config))

    def website_stats(
        self,
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
    ) -> WebsiteStats:
        """Retrieves the statistics for a specific website over a date range.

        Requires login() (self-hosted) or set_cloud_api_key() (Umami Cloud). start_at and end_at
        are sent as epoch milliseconds (naive datetimes are read as local time). Only page views
        count: custom events never change these totals. A filter value may hold several values
        separated by commas (any of them matches).

        Args:
            start_at: Start of the date range.
            end_at: End of the date range.
            website_id: The website's UUID in Umami (overrides set_website_id()).
            url: Filter by URL path (sent to Umami as 'path').
            referrer: Filter by referrer domain.
            title: Filter by page title.
            query: Filter by query string.
            event: Filter by event name.
            host: Filter by hostname (sent to Umami as 'hostname').
            os: Filter by operating system.
            browser: Filter by browser.
            device: Filter by device (e.g. 'mobile').
            country: Filter by country.
            region: Filter by region/state/province.
            city: Filter by city.

        Returns:
            A models.WebsiteStats with pageviews, visitors, visits, bounces and totaltime for the
            range, and the same totals for the previous period of equal length as ``comparison``.

        Raises:
            OperationNotAllowedError: If set_url_base() has not been called (and no Cloud API key
                is set), or if no credential is present.
            ValidationError: If no website id is set or it is not a UUID; if start_at or end_at is
                not a datetime, cannot be expressed in UTC, or start_at is after end_at (or so far
                before it that the comparison period would start before the year 1); if a filter is
                not a string, cannot be encoded (an unpaired surrogate) or holds a NUL character; or
                if the filters make the URL longer than 8000 characters. A filter value that starts
                with an operator Umami cannot run ('t.co' reads as operator 't.') is sent as
                'eq.<value>' so that it matches itself.
            httpx.HTTPStatusError: If the Umami API returns a non-2xx response (also an ``umami.errors.APIError``).

        Example:
            ```python
            stats = umami.website_stats(start_at=datetime.datetime.now() - datetime.timedelta(days=7),
                                        end_at=datetime.datetime.now())
            print(stats.pageviews, stats.visitors)
            ```
        """
        return self._run(core.website_stats(self._config, start_at, end_at, website_id, url, referrer, title, query, event, host, os, browser, device, country, region, city))  # noqa: E501

    @async_twin(website_stats)
    async def website_stats_async(
        self,
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
    ) -> WebsiteStats:
        return await self._arun(core.website_stats(self._config, start_at, end_at, website_id, url, referrer, title, query, event, host, os, browser, device, country, region, city))  # noqa: E501

    def active_users(self, website_id: str | None = None) -> int:
        """The number of distinct visitors active on the website in the last five minutes.

        Requires login() (self-hosted) or set_cloud_api_key() (Umami Cloud).

        Args:
            website_id: The website's UUID in Umami (overrides set_website_id()).

        Returns:
            The count of visitors currently active on the website.

        Raises:
            OperationNotAllowedError: If set_url_base() has not been called (and no Cloud API key
                is set), or if no credential is present.
            ValidationError: If no website id is set or it is not a UUID.
            httpx.HTTPStatusError: If the Umami API returns a non-2xx response (also an ``umami.errors.APIError``).
        """
        return self._run(core.active_users(self._config, website_id))

    @async_twin(active_users)
    async def active_users_async(self, website_id: str | None = None) -> int:
        return await self._arun(core.active_users(self._config, website_id))
