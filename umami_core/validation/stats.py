"""The arguments of website_stats(): datetimes, the date range, the filters."""

from __future__ import annotations

import datetime
import re
from typing import Any

from umami_core.errors import ValidationError
from umami_core.validation.text import check_optional_string

__all__ = ["check_date_range", "check_filter", "require_datetime"]

#: Filter operators Umami parses but cannot run: its SQL gets an empty clause (an unhandled 500).
#: JavaScript's ``.`` does not match line terminators, hence the character class.
_BROKEN_FILTER_OPERATOR = re.compile(r"(?:s|ns|t|f|gt|lt|gte|lte|bf|af)\.[^\n\r\u2028\u2029]*")
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_MILLISECOND = datetime.timedelta(milliseconds=1)
#: 0001-01-01T00:00:00Z in epoch milliseconds: the earliest time checked here.
_YEAR_ONE_MS = -62135596800000


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
