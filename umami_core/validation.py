"""Input checks that mirror the server's own limits, so bad input fails here, before any request.

The limits are the server's zod schema for ``/api/send`` and its PostgreSQL columns (see the server
notes, "/api/send in detail"). They are counted as the server counts them: zod's ``.max()`` counts
JavaScript string length (UTF-16 code units: an emoji is 2), PostgreSQL's ``VARCHAR(n)`` counts
characters (code points: an emoji is 1). Every function here is pure and does one check (or one
conversion); each raises ValidationError with a message that says what to do. No message quotes a
secret (password, API key, a URL's user info), and none calls ``repr()`` on an arbitrary object.
"""

from __future__ import annotations

import datetime
import decimal
import ipaddress
import json
import math
import re
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from umami_core.errors import ValidationError

__all__ = [
    "MAX_DATA_DEPTH",
    "MAX_DATA_NUMBER",
    "MAX_DATA_TEXT",
    "MAX_DISTINCT_ID",
    "MAX_EVENT_NAME",
    "MAX_HOSTNAME",
    "MAX_LANGUAGE",
    "MAX_QUERY_PARAMETER",
    "MAX_REQUEST_URL",
    "MAX_SCREEN",
    "MAX_URL_BASE",
    "MAX_USER_AGENT",
    "check_api_key",
    "check_credentials",
    "check_currency",
    "check_custom_data",
    "check_date_range",
    "check_decoded_text",
    "check_default_hostname",
    "check_default_website_id",
    "check_encodable",
    "check_event_name",
    "check_field",
    "check_filter",
    "check_hostname",
    "check_ip_address",
    "check_length",
    "check_optional_string",
    "check_page_url",
    "check_region",
    "check_request_url",
    "check_revenue",
    "check_revenue_data",
    "check_stored_text",
    "check_string",
    "check_title",
    "check_url",
    "check_url_base",
    "check_user_agent",
    "describe",
    "js_length",
    "normalize_distinct_id",
    "require_datetime",
    "require_website_id",
]

# zod 4's z.uuid(): RFC 4122 versions 1-8 with the variant bits set, plus the nil and max UUIDs.
_UUID = re.compile(
    r"(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    r"|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)",
    re.IGNORECASE,
)

#: zod's limits on /api/send, in UTF-16 code units.
MAX_EVENT_NAME = 50
MAX_HOSTNAME = 100
MAX_SCREEN = 11
MAX_LANGUAGE = 35
#: PostgreSQL column widths, in characters: session.distinct_id, event_data.data_key/string_value,
#: website_event.utm_*/gclid/... (read from the page URL's query).
MAX_DISTINCT_ID = 50
MAX_DATA_TEXT = 500
MAX_QUERY_PARAMETER = 255
#: event_data.number_value is NUMERIC(19, 4): numbers must stay below 10**15 in absolute value.
MAX_DATA_NUMBER = 10**15
#: JavaScript numbers hold integers exactly up to 2**53.
_MAX_SAFE_INTEGER = 2**53
#: How deep custom_data may nest (a dict or list inside a dict is depth 2).
MAX_DATA_DEPTH = 32
#: Our own bounds, far above real values, well below what servers and proxies accept (Node.js
#: refuses request heads over 16 KiB; RFC 9110 asks only for 8000-octet request lines).
MAX_USER_AGENT = 1024
MAX_URL_BASE = 2000
MAX_REQUEST_URL = 8000

#: The page URL's query parameters Umami copies into 255-character columns.
_TRACKED_QUERY_PARAMETERS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term",
    "gclid", "fbclid", "msclkid", "ttclid", "li_fat_id", "twclid",
)  # fmt: skip
#: Umami's DATETIME_REGEX (src/lib/constants.ts): strings it stores as dates, not as text.
_JS_DATETIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]{3}(?:Z|\+([0-9]{2}):([0-9]{2}))?)?"
)
#: Filter operators Umami parses but cannot run: its SQL gets an empty clause (an unhandled 500).
#: JavaScript's ``.`` does not match line terminators, hence the character class.
_BROKEN_FILTER_OPERATOR = re.compile(r"(?:s|ns|t|f|gt|lt|gte|lte|bf|af)\.[^\n\r\u2028\u2029]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_HOST_NAME = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_SPECIAL_SCHEMES = ("http", "https", "ws", "wss", "ftp", "file")
#: Characters RFC 3986 allows in a URL (unreserved, reserved, and '%' of percent-escapes).
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_MILLISECOND = datetime.timedelta(milliseconds=1)
#: 0001-01-01T00:00:00Z in epoch milliseconds: the earliest time checked here.
_YEAR_ONE_MS = -62135596800000


# -- describing values in messages ---------------------------------------------------------------


def describe(value: Any) -> str:
    """A short, safe description of ``value`` for a message: never raises, never dumps a huge value."""
    if isinstance(value, str):
        text = value[:]
        return repr(text if len(text) <= 60 else text[:57] + "...")
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        if value.bit_length() <= 64:
            return int.__repr__(value)
        return f"an int of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    if isinstance(value, float):
        return float.__repr__(value)
    return f"a {type(value).__name__}"


def js_length(text: str) -> int:
    """``text.length`` in JavaScript: UTF-16 code units (characters beyond U+FFFF count twice)."""
    return len(text) + len(_ASTRAL.findall(text))


# -- strings -------------------------------------------------------------------------------------


def check_string(name: str, value: Any, *, required: bool = False) -> str:
    """``value`` if it is a str that UTF-8 can encode; with ``required``, also not blank."""
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a string, got {type(value).__name__}.")
    text = check_encodable(name, value[:])
    if required and not text.strip():
        raise ValidationError(f"The {name} is required and must not be blank.")
    return text


def check_optional_string(name: str, value: Any) -> str | None:
    return None if value is None else check_string(name, value)


def check_encodable(name: str, value: str, *, secret: bool = False) -> str:
    """``value`` if it has no unpaired surrogate (what a broken decode leaves, and UTF-8 cannot encode)."""
    found = _SURROGATE.search(value)
    if found is None:
        return value
    where = "" if secret else f" (U+{ord(found.group()):04X} at position {found.start()})"
    raise ValidationError(
        f"{name} contains an unpaired surrogate{where}, which cannot be encoded as UTF-8: it usually comes from "
        "decoding bytes with errors='surrogateescape'; decode them as UTF-8 (or with errors='replace') first."
    )


def check_stored_text(name: str, value: str) -> str:
    """``value`` if PostgreSQL can store it: no NUL character."""
    if "\x00" in value:
        raise ValidationError(f"{name} contains a NUL character, which PostgreSQL cannot store (Umami would answer 500): remove it.")
    return value


def check_decoded_text(name: str, value: str) -> str:
    """``value`` if PostgreSQL can store it once Umami percent-decodes it: no NUL, also not as '%00'."""
    if "%00" in value:
        raise ValidationError(
            f"{name} contains '%00', which Umami decodes to a NUL character that PostgreSQL cannot store (it would "
            "answer 500): remove it."
        )
    return check_stored_text(name, value)


def check_length(name: str, value: str, limit: int) -> str:
    """``value`` if its JavaScript length (UTF-16 code units, what zod's ``.max()`` counts) is within ``limit``."""
    length = js_length(value)
    if length > limit:
        raise ValidationError(
            f"{name} must be at most {limit} characters (Umami rejects longer; it counts UTF-16 code units, so an emoji "
            f"counts 2), got {length}. Shorten it."
        )
    return value


def _check_characters(name: str, value: str, limit: int) -> str:
    """``value`` if it has at most ``limit`` characters (code points, what PostgreSQL's VARCHAR counts)."""
    if len(value) > limit:
        raise ValidationError(
            f"{name} must be at most {limit} characters (Umami's database column is VARCHAR({limit})), got {len(value)}. "
            "Shorten it."
        )
    return value


def check_field(name: str, value: Any, limit: int) -> str:
    """A short payload string (language, screen): storable, within zod's ``limit``."""
    return check_length(name, check_stored_text(name, check_string(name, value)), limit)


def check_event_name(value: Any) -> str:
    name = check_string("event_name", value, required=True)
    return check_length("event_name", check_stored_text("event_name", name), MAX_EVENT_NAME)


def check_title(name: str, value: Any) -> str:
    """A page or event title: any length (Umami keeps the first 500 characters)."""
    return check_decoded_text(name, check_string(name, value))


# -- identifiers ---------------------------------------------------------------------------------


def require_website_id(website_id: Any, default: str | None) -> str:
    """The website id to use (the argument, else the default), checked to be a UUID, in lower case."""
    if website_id is not None and not isinstance(website_id, str):
        raise ValidationError(f"website_id must be a string (the website's UUID from Umami), got {type(website_id).__name__}.")
    chosen = website_id or default
    if not chosen:
        raise ValidationError("The website_id must be set, either as a parameter here or via set_website_id().")
    return _website_uuid(chosen)


def check_default_website_id(value: Any) -> str | None:
    """What set_website_id() stores: None for None or blank (no default), else the checked UUID."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(f"website_id must be a string (the website's UUID from Umami), got {type(value).__name__}.")
    return _website_uuid(value) if value.strip() else None


def _website_uuid(value: Any) -> str:
    if not isinstance(value, str) or not _UUID.fullmatch(value):
        raise ValidationError(
            f"website_id must be the website's UUID from Umami (e.g. '978435e2-7ba1-4337-9860-ec31ece2db60'), "
            f"got {describe(value)}."
        )
    return value.lower()  # the server accepts both cases; its database stores lower case


def normalize_distinct_id(distinct_id: Any) -> str | None:
    """The payload's ``id``: str or int, stripped; blank means no id. Bools are refused."""
    if distinct_id is None:
        return None
    if isinstance(distinct_id, bool) or not isinstance(distinct_id, (str, int)):
        raise ValidationError(f"distinct_id must be a string or integer, got {type(distinct_id).__name__}.")
    if isinstance(distinct_id, int):
        if distinct_id.bit_length() > 170:  # over 50 digits: str() of a huge int is slow, or refused by Python
            raise ValidationError(
                f"distinct_id must be at most {MAX_DISTINCT_ID} characters (Umami's database column is "
                f"VARCHAR({MAX_DISTINCT_ID})), got {describe(distinct_id)}. Use a shorter id."
            )
        normalized = int.__repr__(distinct_id)
    else:
        normalized = check_encodable("distinct_id", distinct_id[:]).strip()
    if not normalized:
        return None
    return _check_characters("distinct_id", check_stored_text("distinct_id", normalized), MAX_DISTINCT_ID)


def check_ip_address(value: Any) -> str | None:
    """The visitor's IP address, stripped (None or blank: none is sent); must be IPv4 or IPv6."""
    if value is None:
        return None
    text = check_string("ip_address", value).strip()
    if not text:
        return None
    try:
        ipaddress.ip_address(text)
    except ValueError:
        raise ValidationError(
            f"ip_address must be an IPv4 or IPv6 address such as '203.0.113.7' or '2001:db8::1' (no port, no zone), "
            f"got {describe(text)}."
        ) from None
    if "%" in text:
        raise ValidationError(f"ip_address must not have a zone ('%eth0'), got {describe(text)}: send the address alone.")
    return text


def check_user_agent(value: Any) -> str:
    """The User-Agent header of a send: printable ASCII (a header value), spaces around it stripped."""
    text = check_string("ua", value).strip(" \t")
    bad = next((char for char in text if not " " <= char <= "~"), None)
    if bad is not None:
        raise ValidationError(
            f"ua is sent as the User-Agent header, which must be printable ASCII; it contains U+{ord(bad):04X} "
            f"at position {text.index(bad)}. Remove it (no line breaks, no control or non-ASCII characters)."
        )
    if len(text) > MAX_USER_AGENT:
        raise ValidationError(f"ua must be at most {MAX_USER_AGENT} characters, got {len(text)}: send the visitor's browser User-Agent.")
    return text


# -- hosts and URLs ------------------------------------------------------------------------------


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
    if _CONTROL.search(text) or any(char.isspace() for char in text):
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


def check_url(name: str, value: Any) -> str:
    """A page URL or referrer: a path ('/pricing') or an absolute URL, as Umami's ``new URL(v, base)`` takes it.

    Stricter than the server where a value is surely a mistake: control characters, backslashes,
    an absolute http(s) URL without '//' or with a bad host or port. Also refused: '%00' (Umami
    decodes it to a NUL that PostgreSQL cannot store).
    """
    text = check_decoded_text(name, check_string(name, value))
    if _CONTROL.search(text):
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


# -- credentials ---------------------------------------------------------------------------------


def check_credentials(username: Any, password: Any) -> tuple[str, str]:
    """Login input: non-empty strings UTF-8 can encode; no message quotes the password."""
    if not isinstance(username, str) or not username:
        raise ValidationError("Username cannot be empty.")
    if not isinstance(password, str) or not password:
        raise ValidationError("Password cannot be empty.")
    username = check_stored_text("username", check_encodable("username", username[:]))
    return username, check_encodable("password", password[:], secret=True)


def check_api_key(key: Any) -> str:
    """A Cloud API key, stripped: visible ASCII only (it is a header value). No message quotes the key."""
    if not isinstance(key, str) or not key.strip():
        raise ValidationError("API key must not be empty.")
    text = key[:].strip()
    bad = next((index for index, char in enumerate(text) if not "!" <= char <= "~"), None)
    if bad is not None:
        char = text[bad]
        kind = "a space" if char == " " else "a control character" if char < " " or char == "\x7f" else "a non-ASCII character"
        raise ValidationError(
            f"The API key contains {kind} at position {bad} (the key is not shown here); it is sent as an HTTP header, "
            "so it must be printable ASCII. Copy it again from Umami Cloud's settings (a pasted zero-width space or "
            "line break is the usual cause)."
        )
    return text


def check_region(region: Any) -> str | None:
    if region is not None and region not in ("us", "eu"):
        raise ValidationError(f"region must be 'us', 'eu', or None, got {describe(region)}.")
    return region  # type: ignore[no-any-return]


# -- revenue -------------------------------------------------------------------------------------


def check_revenue(revenue: Any) -> int | float:
    """A revenue amount: a finite number >= 0 below 10**15; a Decimal is sent as a JSON number."""
    if isinstance(revenue, bool) or not isinstance(revenue, (int, float, decimal.Decimal)):
        raise ValidationError(f"Revenue must be a number (int, float or Decimal), got {type(revenue).__name__}.")
    if (isinstance(revenue, decimal.Decimal) and not revenue.is_finite()) or (isinstance(revenue, float) and not math.isfinite(revenue)):
        raise ValidationError(f"Revenue must be a finite number, got {describe(revenue) if isinstance(revenue, float) else str(revenue)}.")
    shown = str(revenue) if isinstance(revenue, decimal.Decimal) else describe(revenue)
    if revenue < 0:
        raise ValidationError(f"Revenue must be >= 0, got {shown}.")
    if revenue >= MAX_DATA_NUMBER:
        raise ValidationError(f"Revenue must be below 10**15 (Umami stores it as NUMERIC(19, 4)), got {shown}.")
    if isinstance(revenue, int):
        return int.__int__(revenue)
    return float(revenue)


def check_currency(currency: Any) -> str:
    """An ISO 4217 currency code: three letters, returned in upper case."""
    if not isinstance(currency, str) or not currency.strip():
        raise ValidationError("Currency must be a non-empty string such as 'USD'.")
    code = currency[:].strip()
    if not (code.isascii() and code.isalpha() and len(code) == 3):
        raise ValidationError(f"Currency must be a three-letter ISO 4217 code such as 'USD' or 'EUR', got {describe(code)}.")
    return code.upper()


def check_revenue_data(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with its 'revenue' and 'currency' checked when both are set: Umami then records revenue."""
    if data.get("revenue") is None or data.get("currency") is None:
        return data
    return {**data, "revenue": check_revenue(data["revenue"]), "currency": check_currency(data["currency"])}


# -- custom data ---------------------------------------------------------------------------------


def check_custom_data(custom_data: Any) -> dict[str, Any]:
    """``custom_data`` as plain JSON that Umami can store, converting what has an obvious JSON form.

    Conversions: ``datetime`` -> ISO 8601 in UTC with milliseconds (naive ones are local time),
    which Umami stores as a date; ``date`` -> its midnight UTC the same way; ``Decimal`` -> a
    number; ``UUID`` -> its string; tuples -> lists. Refused: keys that are not strings, NaN and
    infinities, integers beyond 2**53, other types, nesting deeper than MAX_DATA_DEPTH, and what
    Umami's database cannot store (see :func:`_check_storable`).
    """
    if custom_data is None:
        return {}
    if not isinstance(custom_data, Mapping):
        raise ValidationError(f"custom_data must be a dict, got {type(custom_data).__name__}.")
    data = _plain_json(custom_data, "custom_data", 1)
    _check_storable(data, "custom_data", "")
    return data  # type: ignore[no-any-return]


def _plain_json(value: Any, where: str, depth: int) -> Any:
    """``value`` converted to str/int/float/bool/None/list/dict, checked to be exact JSON."""
    if depth > MAX_DATA_DEPTH:
        raise ValidationError(f"custom_data nests deeper than {MAX_DATA_DEPTH} levels at {where}: flatten it.")
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return check_encodable(where, check_stored_text(where, value[:]))
    if isinstance(value, int):
        if abs(value) > _MAX_SAFE_INTEGER:
            raise ValidationError(
                f"{where} is {describe(value)}, beyond 2**53, which JavaScript (Umami) cannot hold exactly: send it as a string."
            )
        return int.__int__(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(f"{where} is {describe(value)}; JSON has no NaN or infinity: send a finite number, or None.")
        return float.__float__(value)
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise ValidationError(f"{where} is Decimal({str(value)!r}); JSON has no NaN or infinity: send a finite number, or None.")
        if abs(value) >= 10**308:
            raise ValidationError(f"{where} is Decimal({str(value)[:40]!r}), too large for a JSON number: send it as a string.")
        return float(value)
    if isinstance(value, datetime.datetime):
        return _js_iso_datetime(value, where)
    if isinstance(value, datetime.date):
        return _js_iso_datetime(datetime.datetime(value.year, value.month, value.day, tzinfo=datetime.timezone.utc), where)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValidationError(
                    f"custom_data keys must be strings, {where} has the key {describe(key)} ({type(key).__name__}): "
                    "convert it with str() (JSON would, and could make two equal keys)."
                )
            key = check_encodable(f"a key of {where}", check_stored_text(f"a key of {where}", key[:]))
            result[key] = _plain_json(item, f"{where}[{describe(key)}]", depth + 1)
        return result
    if isinstance(value, (list, tuple)):
        return [_plain_json(item, f"{where}[{index}]", depth + 1) for index, item in enumerate(value)]
    raise ValidationError(
        f"{where} is {describe(value)}, which JSON cannot carry: use str, int, float, bool, None, a list or a dict "
        "(datetime, date, Decimal and UUID are converted)."
    )


def _js_iso_datetime(value: datetime.datetime, where: str) -> str:
    """``Date.prototype.toISOString()``: what Umami's DATETIME_REGEX recognises as a date."""
    try:
        utc = value.astimezone(datetime.timezone.utc)
    except (OverflowError, ValueError, OSError):
        raise ValidationError(f"{where} ({value.isoformat()}) cannot be expressed in UTC: use a date from the years 1 to 9999.") from None
    return f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc:%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def _check_storable(data: dict[str, Any], where: str, prefix: str) -> None:
    """What Umami's ``flattenJSON`` makes of ``data`` fits its event_data columns.

    Nested dicts become dotted keys ('a.b'), each a VARCHAR(500); strings are stored as VARCHAR(500)
    (those that look like an ISO date-time as a date, so they must be one); numbers as NUMERIC(19, 4);
    lists and None as their JSON text, a VARCHAR(500). The server stores the event before this data,
    so data it cannot store would be a 500 after the event was saved (and a retry would save it twice).
    """
    for key, value in data.items():
        flat_key, path = prefix + key, f"{where}[{describe(key)}]"
        if len(flat_key) > MAX_DATA_TEXT:
            raise ValidationError(
                f"The key {path} is {len(flat_key)} characters long once nested keys are joined with dots "
                f"({describe(flat_key)}); Umami stores at most {MAX_DATA_TEXT}. Use shorter keys or less nesting."
            )
        if isinstance(value, dict):
            _check_storable(value, path, flat_key + ".")
        elif isinstance(value, str):
            _check_stored_string(value, path)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if abs(value) >= MAX_DATA_NUMBER:
                raise ValidationError(
                    f"{path} is {describe(value)}; Umami stores numbers as NUMERIC(19, 4), below 10**15 in absolute "
                    "value. Send it as a string."
                )
        elif isinstance(value, list) or value is None:
            length = _js_json_length(value)
            if length > MAX_DATA_TEXT:
                raise ValidationError(
                    f"{path} is {length} characters as JSON; Umami stores a list as JSON text of at most "
                    f"{MAX_DATA_TEXT} characters. Send fewer or shorter items."
                )


def _check_stored_string(value: str, path: str) -> None:
    date = _JS_DATETIME.fullmatch(value)
    if date is not None:
        if not _is_valid_date(date):
            raise ValidationError(
                f"{path} is {describe(value)}, which Umami reads as a date (it has the ISO 8601 shape) but is not a "
                "valid one: send a real date-time (or a datetime object), or a string of another shape."
            )
    elif len(value) > MAX_DATA_TEXT:
        raise ValidationError(
            f"{path} is {len(value)} characters long; Umami stores at most {MAX_DATA_TEXT} (and answers 500 after saving "
            "the event). Shorten it."
        )


def _is_valid_date(match: re.Match[str]) -> bool:
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    offset_hours, offset_minutes = match.group(7), match.group(8)
    if offset_hours is not None and (int(offset_hours) > 23 or int(offset_minutes) > 59):
        return False
    try:
        datetime.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return False
    return True


def _js_json_length(value: Any) -> int:
    """``JSON.stringify(value).length`` in characters, for plain JSON values."""
    if isinstance(value, dict):
        items = [len(json.dumps(key, ensure_ascii=False)) + 1 + _js_json_length(item) for key, item in value.items()]
        return 2 + sum(items) + max(len(items) - 1, 0)
    if isinstance(value, list):
        return 2 + sum(_js_json_length(item) for item in value) + max(len(value) - 1, 0)
    if isinstance(value, str):
        return len(json.dumps(value, ensure_ascii=False))
    if value is None or isinstance(value, bool):
        return 4 if value in (None, True) else 5
    if isinstance(value, int):
        return len(int.__repr__(value))
    return len(_js_number_text(value))


def _js_number_text(value: float) -> str:
    """JavaScript's ``String(value)`` for a finite number (Number::toString of ECMAScript)."""
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    digits_tuple, exponent = decimal.Decimal(repr(abs(value))).normalize().as_tuple()[1:]
    digits = "".join(str(digit) for digit in digits_tuple)
    k, n = len(digits), int(exponent) + len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{sign}{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


# -- website stats -------------------------------------------------------------------------------


def require_datetime(name: str, value: Any) -> int:
    """Epoch milliseconds of a datetime (naive ones are local time, as ``datetime.timestamp()`` reads them)."""
    if not isinstance(value, datetime.datetime):
        raise ValidationError(f"{name} must be a datetime.datetime, got {type(value).__name__}.")
    try:
        utc = value.astimezone(datetime.timezone.utc)
    except (OverflowError, ValueError, OSError):
        raise ValidationError(
            f"{name} ({value.isoformat()}) cannot be expressed in UTC (it is at the edge of what datetime holds): "
            "use a date between the years 1 and 9999."
        ) from None
    # Integer arithmetic: timestamp() * 1000 in floats can land one millisecond short.
    return (utc - _EPOCH) // _MILLISECOND


def check_date_range(start_ms: int, end_ms: int) -> None:
    """start <= end, and the comparison period Umami adds (as long, just before) starts after the year 1."""
    if start_ms > end_ms:
        raise ValidationError("start_at must not be after end_at: swap them.")
    minutes = (end_ms - start_ms) // 60000  # differenceInMinutes() of date-fns truncates
    if start_ms - minutes * 60000 < _YEAR_ONE_MS:
        raise ValidationError(
            "Umami also counts the period of the same length just before start_at (the 'comparison'), which would start "
            "before the year 1, earlier than its database stores: choose a later start_at or a shorter range."
        )


def check_filter(name: str, value: Any) -> str | None:
    """A website_stats filter value, as sent: None (no filter) or a string Umami can run.

    A value that starts with an operator Umami parses but cannot run ('t.co' reads as operator 't')
    is sent as 'eq.<value>', so it matches the value itself instead of failing with a 500.
    """
    text = check_optional_string(name, value)
    if text is None:
        return None
    if "\x00" in text:
        raise ValidationError(f"The {name} filter contains a NUL character, which PostgreSQL cannot compare: remove it.")
    return f"eq.{text}" if _BROKEN_FILTER_OPERATOR.fullmatch(text) else text
