"""Turning the resolved settings into a ready ``umami.Client``: for reading (a credential) or for
sending (a server and a website only)."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import umami
from umami.cli.failures import CliError
from umami.cli.settings import Settings

log = logging.getLogger("umami.cli")

__all__ = ["NO_CREDENTIAL", "NO_WEBSITE", "reader", "require_website", "sender"]

NO_WEBSITE = "no website id: pass --website ID, or set UMAMI_WEBSITE_ID or website_id in the profile (umami websites lists them)"
NO_SERVER = "no Umami server: pass --url URL, or set UMAMI_URL (or UMAMI_CLOUD_API_KEY for Umami Cloud), or url in the profile"
NO_CREDENTIAL = "not logged in: run umami login, or set UMAMI_API_KEY, or UMAMI_USERNAME and UMAMI_PASSWORD"


def _client(settings: Settings, timeout: float) -> umami.Client:
    client = umami.Client(limits=umami.Limits(deadline=timeout))
    if settings.cloud_api_key:
        client.set_cloud_api_key(settings.cloud_api_key, settings.region or None)
    elif settings.url:
        client.set_url_base(settings.url)
    else:
        raise CliError(NO_SERVER)
    if settings.website_id:
        client.set_website_id(settings.website_id)
    return client


def _same_server(first: str, second: str) -> bool:
    one, two = urlsplit(first.rstrip("/")), urlsplit(second.rstrip("/"))
    return (one.scheme, one.netloc.lower(), one.path) == (two.scheme, two.netloc.lower(), two.path)


def reader(settings: Settings, timeout: float) -> umami.Client:
    """A client with a credential: Cloud key, else API key, else the stored login, else a fresh login."""
    client = _client(settings, timeout)
    if settings.cloud_api_key:
        return client
    stored = settings.stored
    if settings.api_key:
        client.set_api_key(settings.api_key)
    elif stored is not None and settings.url and _same_server(stored.url, settings.url):
        # A login token is a bearer credential like a self-hosted API key, and is sent the same way.
        client.set_api_key(stored.token)
        log.debug("using the token stored for profile %s", settings.profile)
    elif settings.username and settings.password:
        client.login(settings.username, settings.password)
    else:
        raise CliError(NO_CREDENTIAL)
    return client


def require_website(settings: Settings) -> str:
    """The website of a command, or a clear error saying how to give one."""
    if not settings.website_id:
        raise CliError(NO_WEBSITE)
    return settings.website_id


def sender(settings: Settings, timeout: float) -> umami.Client:
    """A client that sends page views and events: a server and a website, no credential needed."""
    require_website(settings)
    client = _client(settings, timeout)
    if settings.hostname:
        client.set_hostname(settings.hostname)
    return client
