"""Hosts and URLs: the hostname of a send, a page URL, the URL base, the request URL."""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from umami_core.errors import ValidationError
from umami_core.validation.text import CONTROL, check_decoded_text, check_encodable, check_length, check_string, describe, remembered

__all__ = [
    "MAX_HOSTNAME",
    "MAX_QUERY_PARAMETER",
    "MAX_REQUEST_URL",
    "MAX_URL_BASE",
    "check_default_hostname",
    "check_hostname",
    "check_page_url",
    "check_request_url",
    "check_url",
    "check_url_base",
]

#: zod's limit on the hostname of /api/send, in UTF-16 code units.
MAX_HOSTNAME = 100
#: PostgreSQL's website_event.utm_*/gclid/... columns (read from the page URL's query), in characters.
MAX_QUERY_PARAMETER = 255
#: Our own bounds, far above real URLs, well below what servers and proxies accept (RFC 9110 asks
#: only for 8000-octet request lines).
MAX_URL_BASE = 2000
MAX_REQUEST_URL = 8000
#: The page URL's query parameters Umami copies into 255-character columns.
_TRACKED_QUERY_PARAMETERS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term",
    "gclid", "fbclid", "msclkid", "ttclid", "li_fat_id", "twclid",
)  # fmt: skip
_SPACE = re.compile(r"\s")
_HOST_NAME = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_SPECIAL_SCHEMES = ("http", "https", "ws", "wss", "ftp", "file")
#: Characters RFC 3986 allows in a URL (unreserved, reserved, and '%' of percent-escapes).
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")


@remembered
def check_hostname(value: Any) -> str:
    """A host name, IPv4 address or bracketed IPv6 address, optionally with ':port'; not a URL."""
    text = check_string("hostname", value)
    problem = _host_problem(text)
    if problem:
        raise ValidationError(f"hostname must be a host such as 'example.com' or 'example.com:8080': {problem}.")
    return check_length("hostname", text, MAX_HOSTNAME)


def check_default_hostname(value: Any) -> str | None:
    """What set_hostname() stores: None for None or blank (no default), else the checked hostname."""
    if value is None:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return check_hostname(value)


def _host_problem(text: str) -> str | None:
    """What is wrong with ``text`` as ``host[:port]`` (None if nothing): what new URL() accepts, stricter."""
    if "://" in text or (_SCHEME.match(text) and text.split(":", 1)[1].startswith("/")):
        return f"drop the scheme and any path, got {describe(text)}"
    if not text:
        return "it is empty"
    if CONTROL.search(text) or _SPACE.search(text):
        return f"it must not contain spaces, line breaks or control characters, got {describe(text)}"
    if any(char in text for char in "/\\?#"):
        return f"give the host alone, without a path, query or fragment, got {describe(text)}"
    if "@" in text:
        return "it must not contain user info ('user@')"
    if not text.isascii():
        return f"write an internationalized name in ASCII (punycode), e.g. 'xn--bcher-kva.de' for 'bücher.de', got {describe(text)}"
    if text.startswith("["):
        address, bracket, rest = text[1:].partition("]")
        if not bracket or not _is_ipv6(address):
            return f"an IPv6 address goes in brackets, e.g. '[2001:db8::1]', got {describe(text)}"
        return _port_problem(rest)
    host, colon, port = text.partition(":")
    if ":" in port:
        return f"write an IPv6 address in brackets, e.g. '[2001:db8::1]', got {describe(text)}"
    if not host:
        return f"the host name is missing, got {describe(text)}"
    if not _HOST_NAME.fullmatch(host):
        return f"use only letters, digits, '-', '_' and dots between non-empty labels, got {describe(text)}"
    last_label = host.rstrip(".").rsplit(".", 1)[-1]
    if last_label.isdigit() and not _is_ipv4(host.rstrip(".")):
        return f"a host ending in a number must be an IPv4 address such as '203.0.113.7', got {describe(text)}"
    return _port_problem(colon + port)


def _port_problem(rest: str) -> str | None:
    """``rest`` must be '' or ':port' with a port from 1 to 65535."""
    if not rest:
        return None
    port = rest[1:]
    if not rest.startswith(":") or not (port.isascii() and port.isdigit() and len(port) <= 5 and 1 <= int(port) <= 65535):
        return f"a port is ':' and a number from 1 to 65535, got {describe(rest)}"
    return None


def _is_ipv4(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


def _is_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return "%" not in text


@remembered
def check_url(name: str, value: Any) -> str:
    """A page URL or referrer: a path ('/pricing') or an absolute URL, as Umami's ``new URL(v, base)`` takes it.

    Stricter than the server where a value is surely a mistake: control characters, backslashes,
    an absolute http(s) URL without '//' or with a bad host or port. Also refused: '%00' (Umami
    decodes it to a NUL that PostgreSQL cannot store).
    """
    text = check_decoded_text(name, check_string(name, value))
    if CONTROL.search(text):
        raise ValidationError(f"{name} must not contain line breaks or control characters, got {describe(text)}: remove them.")
    if "\\" in text:
        raise ValidationError(f"{name} must not contain a backslash, got {describe(text)}: use '/' or percent-encode it as '%5C'.")
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise ValidationError(f"{name} is not a valid URL ({exc}), got {describe(text)}.") from None
    scheme = _SCHEME.match(text)
    if scheme is not None and scheme.group(1).lower() in _SPECIAL_SCHEMES:
        if not text[scheme.end() :].startswith("//"):
            raise ValidationError(f"{name} must be a path or an absolute URL such as 'https://example.com/page', got {describe(text)}.")
        _check_authority(name, parts.netloc, required=scheme.group(1).lower() != "file")
    elif text.startswith("//"):
        _check_authority(name, parts.netloc, required=True)
    return text


@remembered
def check_page_url(value: Any) -> str:
    """The page URL of a send: :func:`check_url`, and its utm_*/click-id query parameters at most 255
    characters (Umami copies them into 255-character columns, untruncated: a 500 otherwise)."""
    text = check_url("url", value)
    _check_tracked_parameters(urlsplit(text).query)
    return text


def _check_authority(name: str, netloc: str, *, required: bool) -> None:
    """The ``[user@]host[:port]`` of an absolute URL (the user part is not checked: Umami drops it)."""
    host = netloc.rpartition("@")[2]
    problem = _host_problem(host) if host or required else None
    if problem:
        raise ValidationError(f"The host of {name} is not valid: {problem}.")


def _check_tracked_parameters(query: str) -> None:
    for key, parameter in parse_qsl(query, keep_blank_values=True, errors="replace"):
        if key in _TRACKED_QUERY_PARAMETERS and len(parameter) > MAX_QUERY_PARAMETER:
            raise ValidationError(
                f"The url's query parameter {key!r} is {len(parameter)} characters long; Umami stores it in a column of "
                f"{MAX_QUERY_PARAMETER} characters and would answer 500. Shorten it."
            )


def check_url_base(url: Any) -> str:
    """The root URL of a self-hosted Umami: http(s), a host, an optional port and path; nothing else.

    No message quotes a URL that contains '@': it may hold a password.
    """
    if not isinstance(url, str) or not url.strip():
        raise ValidationError("URL must not be empty: pass the root URL of your Umami, e.g. 'https://umami.example.com'.")
    if "@" in url:
        raise ValidationError(
            "The URL base must not contain user info ('user:password@'; the URL is not shown here as it may hold a "
            "password): Umami's API authenticates with login() or set_cloud_api_key(), not with the URL."
        )
    base = check_encodable("url", url[:]).strip().rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise ValidationError(f"The url must start with the HTTP scheme (http:// or https://), got {describe(base)}.")
    if not _URL_CHARACTERS.fullmatch(base):
        raise ValidationError(
            f"The url must not contain spaces, line breaks, non-ASCII or other characters a URL cannot hold, got "
            f"{describe(base)}: percent-encode them, and write an internationalized domain in punycode (xn--...)."
        )
    if len(base) > MAX_URL_BASE:
        raise ValidationError(f"The url must be at most {MAX_URL_BASE} characters, got {len(base)}: give the root URL of your Umami.")
    try:
        parts = urlsplit(base)
    except ValueError as exc:
        raise ValidationError(f"The url is not a valid URL ({exc}), got {describe(base)}.") from None
    if parts.query or parts.fragment or "?" in base or "#" in base:
        raise ValidationError(f"The url must not have a query ('?') or fragment ('#'), got {describe(base)}: give the root URL of Umami.")
    if not parts.netloc:
        raise ValidationError(f"The url {describe(base)} has no host name.")
    problem = _host_problem(parts.netloc)
    if problem:
        raise ValidationError(f"The host of the url is not valid: {problem}.")
    if base.endswith("/api"):
        raise ValidationError(f"Give the root URL of your Umami without '/api', e.g. {describe(base[:-4])}.")
    return base


def check_request_url(url: str) -> str:
    """A request URL no longer than servers and proxies reliably accept."""
    if len(url) > MAX_REQUEST_URL:
        raise ValidationError(
            f"The request URL would be {len(url)} characters long; servers and proxies refuse URLs much over "
            f"{MAX_REQUEST_URL}. Use shorter filter values."
        )
    return url
