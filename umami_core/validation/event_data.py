"""Revenue and custom data: what Umami can store, converted the way it stores it."""

from __future__ import annotations

import datetime
import decimal
import json
import math
import re
import uuid
from collections.abc import Mapping
from typing import Any

from umami_core.errors import ValidationError
from umami_core.validation.text import check_encodable, check_stored_text, describe

__all__ = [
    "MAX_DATA_DEPTH",
    "MAX_DATA_NUMBER",
    "MAX_DATA_TEXT",
    "check_currency",
    "check_custom_data",
    "check_revenue",
    "check_revenue_data",
]

#: PostgreSQL's event_data.data_key and string_value, in characters.
MAX_DATA_TEXT = 500
#: event_data.number_value is NUMERIC(19, 4): numbers must stay below 10**15 in absolute value.
MAX_DATA_NUMBER = 10**15
#: JavaScript numbers hold integers exactly up to 2**53.
_MAX_SAFE_INTEGER = 2**53
#: How deep custom_data may nest (a dict or list inside a dict is depth 2).
MAX_DATA_DEPTH = 32
#: Umami's DATETIME_REGEX (src/lib/constants.ts): strings it stores as dates, not as text.
_JS_DATETIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]{3}(?:Z|\+([0-9]{2}):([0-9]{2}))?)?")


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
