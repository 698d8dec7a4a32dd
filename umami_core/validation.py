"""Input checks that mirror the server's own limits, so bad input fails here, before any request.

The limits are the server's zod schema for ``/api/send`` and its database columns
(see the server notes, "/api/send in detail").
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

from umami_core.errors import ValidationError

__all__ = [
    "check_length",
    "check_optional_string",
    "check_string",
    "normalize_distinct_id",
    "require_datetime",
    "require_website_id",
]

# zod 4's z.uuid(): RFC 4122 versions 1-8 with the variant bits set, plus the nil and max UUIDs.
_UUID = re.compile(
    r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    r"|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$",
    re.IGNORECASE,
)

#: The server's limits: zod for name/hostname/screen/language, VARCHAR(50) for the distinct id.
MAX_EVENT_NAME = 50
MAX_HOSTNAME = 100
MAX_SCREEN = 11
MAX_LANGUAGE = 35
MAX_DISTINCT_ID = 50

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_MILLISECOND = datetime.timedelta(milliseconds=1)


def require_website_id(website_id: str | None, default: str | None) -> str:
    """The website id to use (the argument, else the default), checked to be a UUID."""
    chosen = website_id or default
    if not chosen:
        raise ValidationError("The website_id must be set, either as a parameter here or via set_website_id().")
    if not isinstance(chosen, str) or not _UUID.match(chosen):
        raise ValidationError(
            f"website_id must be the website's UUID from Umami (e.g. '978435e2-7ba1-4337-9860-ec31ece2db60'), "
            f"got {chosen!r}."
        )
    return chosen


def check_string(name: str, value: Any, *, required: bool = False) -> str:
    """``value`` if it is a str; with ``required``, also not blank."""
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a string, got {type(value).__name__}.")
    if required and not value.strip():
        raise ValidationError(f"The {name} is required and must not be blank.")
    return value


def check_optional_string(name: str, value: Any) -> str | None:
    return None if value is None else check_string(name, value)


def check_length(name: str, value: str, limit: int) -> str:
    if len(value) > limit:
        raise ValidationError(f"{name} must be at most {limit} characters (Umami rejects longer), got {len(value)}.")
    return value


def normalize_distinct_id(distinct_id: Any) -> str | None:
    """The payload's ``id``: str or int, stripped; blank means no id. Bools are refused."""
    if distinct_id is None:
        return None
    if isinstance(distinct_id, bool) or not isinstance(distinct_id, (str, int)):
        raise ValidationError(f"distinct_id must be a string or integer, got {type(distinct_id).__name__}.")
    normalized = str(distinct_id).strip()
    if not normalized:
        return None
    return check_length("distinct_id", normalized, MAX_DISTINCT_ID)


def check_revenue(revenue: Any, currency: Any) -> None:
    if isinstance(revenue, bool) or not isinstance(revenue, (int, float)):
        raise ValidationError(f"Revenue must be a number (int or float), got {type(revenue).__name__}.")
    if not math.isfinite(revenue):
        raise ValidationError(f"Revenue must be a finite number, got {revenue!r}.")
    if revenue < 0:
        raise ValidationError(f"Revenue must be >= 0, got {revenue!r}.")
    if not isinstance(currency, str) or not currency.strip():
        raise ValidationError("Currency must be a non-empty string such as 'USD'.")


def check_custom_data(custom_data: Any) -> dict[str, Any]:
    if custom_data is None:
        return {}
    if not isinstance(custom_data, dict):
        raise ValidationError(f"custom_data must be a dict, got {type(custom_data).__name__}.")
    return custom_data


def require_datetime(name: str, value: Any) -> int:
    """Epoch milliseconds of a datetime (naive ones are local time, as ``datetime.timestamp()`` reads them)."""
    if not isinstance(value, datetime.datetime):
        raise ValidationError(f"{name} must be a datetime.datetime, got {type(value).__name__}.")
    # Integer arithmetic: timestamp() * 1000 in floats can land one millisecond short.
    return (value.astimezone(datetime.timezone.utc) - _EPOCH) // _MILLISECOND
