"""One-time setup: where Umami is, which website, Cloud mode, tracking on or off."""

from __future__ import annotations

from umami._base import ClientBase
from umami_core import Limits
from umami_core.validation import check_default_hostname, check_default_website_id


class Configuring(ClientBase):
    def set_url_base(self, url: str) -> None:
        """Set the base URL of your self-hosted Umami instance.

        Required before any self-hosted operation (login, sending events, or querying stats).
        Provide the root URL of your instance without the trailing '/api', for example
        'https://analytics.example.com'. A trailing slash is stripped automatically. Use this
        together with login() for self-hosted/token mode; do not combine it with
        set_cloud_api_key(), which selects Umami Cloud mode instead.

        Args:
            url: The base URL of your instance, without '/api'. Must start with 'http://' or 'https://'.

        Raises:
            ValidationError: If url is empty or whitespace-only, or if it does not start with
                'http://' or 'https://'; or if it is not a usable root URL: no host, a bad port, a
                query or fragment, user info ('user:password@', refused without being quoted),
                spaces, line breaks or other characters a URL cannot hold, a trailing '/api', or
                anything urllib.parse cannot parse (e.g. 'http://[::1').
        """
        checked = self._config.with_url_base(url).url_base
        self._update(url_base=checked)

    def set_website_id(self, website_id: str) -> None:
        """Set the default website ID used for subsequent calls.

        new_event(), new_page_view(), website_stats() and active_users() target this website
        unless their website_id parameter says otherwise. An empty string (or None) clears the default.

        Args:
            website_id: The website ID from Umami (e.g. '978435e2-7ba1-4337-9860-ec31ece2db60');
                stored in lower case.

        Raises:
            ValidationError: If website_id is not a string, or not the UUID Umami shows for the site.
        """
        self._update(website_id=check_default_website_id(website_id))

    def set_hostname(self, hostname: str) -> None:
        """Set the default hostname used when sending events and page views.

        Used by new_event(), new_revenue_event() and new_page_view() when one is not passed.
        An empty string (or None) clears the default.

        Args:
            hostname: The hostname to use when one is not specified (e.g. 'talkpython.fm'),
                optionally with a port ('localhost:8080').

        Raises:
            ValidationError: If hostname is not a string, or not a host: a scheme, path, spaces,
                line breaks, a bad port or over 100 characters.
        """
        self._update(hostname=check_default_hostname(hostname))

    def set_cloud_api_key(self, key: str, region: str | None = None) -> None:
        """Authenticate against Umami Cloud with an API key instead of login().

        Enables "Cloud mode": data and management calls are routed to https://api.umami.is/v1 and
        authenticated with the 'x-umami-api-key' header, and events are sent to
        https://cloud.umami.is/api/send. Cloud mode and self-hosted/token mode are mutually
        exclusive. Call clear_cloud_api_key() to return to self-hosted/token behavior.

        Args:
            key: Your Umami Cloud API key.
            region: Optional 'us' or 'eu' to pin the data region. Defaults to the region of the
                account that owns the key.

        Raises:
            ValidationError: If key is empty or whitespace-only, or holds a character an HTTP header
                cannot carry (a non-ASCII character such as a pasted zero-width space, a space, a
                line break or another control character; the message does not quote the key), or
                if region is provided but is not 'us' or 'eu'.

        Example:
            ```python
            umami.set_cloud_api_key('your-cloud-api-key', region='us')
            umami.set_website_id('978435e2-7ba1-4337-9860-ec31ece2db60')
            ```
        """
        checked = self._config.with_cloud_api_key(key, region)
        self._update(api_key=checked.api_key, region=checked.region)

    def clear_cloud_api_key(self) -> None:
        """Exit Cloud mode: clear the API key and region; self-hosted calls again need set_url_base() and login()."""
        self._update(api_key=None, region=None)

    def enable(self) -> None:
        """Enable event and page view tracking (the default): the send functions send normally."""
        self._update(tracking_enabled=True)

    def disable(self) -> None:
        """Disable event and page view tracking.

        The send functions new_event(), new_revenue_event() and new_page_view() still validate
        their arguments but then return ``{}`` without any HTTP request. Query and authentication
        functions are not affected. Call enable() to turn tracking back on.
        """
        self._update(tracking_enabled=False)

    def is_logged_in(self) -> bool:
        """Whether a credential is currently set locally.

        Returns:
            True if a self-hosted login token (set by login()) or an Umami Cloud API key (set by
            set_cloud_api_key()) is present, False otherwise. This does not ask the server; use
            verify_token() for that.
        """
        return self._config.has_credential

    def reset(self) -> None:
        """Forget every setting and credential (url base, website, hostname, token, API key, tracking, limits)."""
        self._update(
            url_base=None, website_id=None, hostname=None, token=None, token_origin=None, api_key=None, region=None,
            tracking_enabled=True, limits=Limits(),
        )  # fmt: skip
