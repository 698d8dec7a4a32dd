"""Strings, lengths as the server counts them, identifiers, header values and credentials."""

from __future__ import annotations

import functools
import ipaddress
import math
import re
from collections.abc import Callable
from typing import Any, TypeVar

from umami_core.errors import ValidationError

__all__ = [
    "MAX_DISTINCT_ID",
    "MAX_EVENT_NAME",
    "MAX_LANGUAGE",
    "MAX_SCREEN",
    "MAX_USER_AGENT",
    "check_api_key",
    "check_credentials",
    "check_decoded_text",
    "check_default_website_id",
    "check_encodable",
    "check_event_name",
    "check_field",
    "check_ip_address",
    "check_length",
    "check_optional_string",
    "check_region",
    "check_stored_text",
    "check_string",
    "check_title",
    "check_user_agent",
    "describe",
    "js_length",
    "normalize_distinct_id",
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
MAX_SCREEN = 11
MAX_LANGUAGE = 35
#: PostgreSQL's session.distinct_id, in characters.
MAX_DISTINCT_ID = 50
#: Our own bound, far above real User-Agents, well below what servers accept (Node.js refuses
#: request heads over 16 KiB).
MAX_USER_AGENT = 1024
_SURROGATE = re.compile("[\ud800-\udfff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_NOT_PRINTABLE_ASCII = re.compile("[^ -~]")
#: Control characters: never in a header value, a URL or text Umami stores.
CONTROL = re.compile("[\x00-\x1f\x7f]")


F = TypeVar("F", bound=Callable[..., Any])


def remembered(check: F) -> F:
    """Remember a pure check's result for string arguments: the same hostname, language, pages and
    User-Agents come again and again, and a send must cost its caller little (a bounded cache; a
    failing check raises again every time)."""
    cached = functools.lru_cache(maxsize=1024)(check)

    @functools.wraps(check)
    def check_remembered(*args: Any) -> Any:
        for arg in args:
            if type(arg) is not str and arg is not None and type(arg) is not int:
                return check(*args)
        return cached(*args)

    return check_remembered  # type: ignore[return-value]


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
    if text.isascii():  # nearly always, and far quicker to tell
        return len(text)
    return len(text) + len(_ASTRAL.findall(text))


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
            f"{name} contains '%00', which Umami decodes to a NUL character that PostgreSQL cannot store (it would answer 500): remove it."
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
            f"{name} must be at most {limit} characters (Umami's database column is VARCHAR({limit})), got {len(value)}. Shorten it."
        )
    return value


@remembered
def check_field(name: str, value: Any, limit: int) -> str:
    """A short payload string (language, screen): storable, within zod's ``limit``."""
    return check_length(name, check_stored_text(name, check_string(name, value)), limit)


@remembered
def check_event_name(value: Any) -> str:
    name = check_string("event_name", value, required=True)
    return check_length("event_name", check_stored_text("event_name", name), MAX_EVENT_NAME)


@remembered
def check_title(name: str, value: Any) -> str:
    """A page or event title: any length (Umami keeps the first 500 characters)."""
    return check_decoded_text(name, check_string(name, value))


@remembered
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
            f"website_id must be the website's UUID from Umami (e.g. '978435e2-7ba1-4337-9860-ec31ece2db60'), got {describe(value)}."
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


@remembered
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
            f"ip_address must be an IPv4 or IPv6 address such as '203.0.113.7' or '2001:db8::1' (no port, no zone), got {describe(text)}."
        ) from None
    if "%" in text:
        raise ValidationError(f"ip_address must not have a zone ('%eth0'), got {describe(text)}: send the address alone.")
    return text


@remembered
def check_user_agent(value: Any) -> str:
    """The User-Agent header of a send: printable ASCII (a header value), spaces around it stripped."""
    text = check_string("ua", value).strip(" \t")
    bad = _NOT_PRINTABLE_ASCII.search(text)
    if bad is not None:
        raise ValidationError(
            f"ua is sent as the User-Agent header, which must be printable ASCII; it contains U+{ord(bad.group()):04X} "
            f"at position {bad.start()}. Remove it (no line breaks, no control or non-ASCII characters)."
        )
    if len(text) > MAX_USER_AGENT:
        raise ValidationError(f"ua must be at most {MAX_USER_AGENT} characters, got {len(text)}: send the visitor's browser User-Agent.")
    return text


def check_credentials(username: Any, password: Any) -> tuple[str, str]:
    """Login input: non-empty strings UTF-8 can encode; no message quotes the password."""
    if not isinstance(username, str) or not username:
        raise ValidationError("Username cannot be empty.")
    if not isinstance(password, str) or not password:
        raise ValidationError("Password cannot be empty.")
    username = check_stored_text("username", check_encodable("username", username[:]))
    return username, check_encodable("password", password[:], secret=True)


def check_two_factor_code(code: Any) -> str | None:
    """A two-factor code (an authenticator's digits or a recovery code): visible ASCII, stripped; None: not given."""
    if code is None:
        return None
    if not isinstance(code, str) or not code.strip():
        raise ValidationError("two_factor_code must be a non-empty string, e.g. '123456'.")
    text = code.strip()
    if len(text) > 100 or not all("!" <= char <= "~" for char in text):
        raise ValidationError("two_factor_code must be the code your authenticator app shows (visible ASCII, not shown here).")
    return text


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
            "so it must be printable ASCII. Copy it again from Umami's settings (a pasted zero-width space or "
            "line break is the usual cause)."
        )
    return text


def check_region(region: Any) -> str | None:
    if region is not None and region not in ("us", "eu"):
        raise ValidationError(f"region must be 'us', 'eu', or None, got {describe(region)}.")
    return region  # type: ignore[no-any-return]
