"""Event data and session data rows: ``flattenJSON`` and ``getStringValue`` of ``src/lib/data.ts``.

A send's ``data`` becomes one row per leaf: nested objects are dotted keys; a number is type 2
(``string_value`` with 4 decimals, ``number_value`` a decimal(19,4)), a boolean 3 (``'true'``), a
string that matches ``DATETIME_REGEX`` a date 4, an array or null 5 (its JSON), anything else a string 1.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from umami_transports.fake.store import iso

__all__ = ["DataError", "DataRow", "SessionDatum", "checked_rows", "display_value", "flatten", "js_json", "row_json", "save_session_data"]

STRING, NUMBER, BOOLEAN, DATE, ARRAY = 1, 2, 3, 4, 5
_DATETIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{3}(Z|\+[0-9]{2}:[0-9]{2})?)?$")
_FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class DataRow:
    """One ``event_data`` or ``session_data`` row's value columns."""

    key: str
    data_type: int
    string_value: str | None
    #: decimal(19,4) as the server's JSON writes it (Prisma's Decimal is a string: "19.99").
    number_value: str | None
    date_value: datetime | None


@dataclass
class SessionDatum:
    """One ``session_data`` row: an identify send's value for one key of one session."""

    website_id: str
    session_id: str
    row: DataRow
    distinct_id: str | None
    created_at: datetime


def js_json(value: Any) -> str:
    """``JSON.stringify``: no spaces, integral floats without '.0'."""

    def plain(item: Any) -> Any:
        if isinstance(item, float) and item.is_integer() and abs(item) < 1e21:
            return int(item)
        if isinstance(item, dict):
            return {key: plain(inner) for key, inner in item.items()}
        return [plain(inner) for inner in item] if isinstance(item, list) else item

    return json.dumps(plain(value), separators=(",", ":"), ensure_ascii=False)


def _exact(number: float | int) -> Decimal:
    return Decimal(number) if isinstance(number, int) else Decimal(repr(number))


def _to_fixed(number: float | int) -> str:
    """``Number.prototype.toFixed(4)``: the exact binary value, ties away from zero."""
    return f"{Decimal(number).quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP):f}"


def _decimal_column(number: float | int) -> str:
    """What a decimal(19,4) column gives back for a JavaScript number, as Decimal.js prints it."""
    text = f"{_exact(number).quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP):f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def _date(text: str) -> datetime:
    """``new Date(text)`` for a DATETIME_REGEX match (no offset: the server's zone, UTC); ValueError if invalid."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def flatten(data: dict[str, Any], prefix: str = "") -> list[DataRow]:
    """``flattenJSON`` then the row values; ValueError for a date the server cannot parse (its RangeError)."""
    rows: list[DataRow] = []
    for name, value in data.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and value:
            rows += flatten(value, key + ".")
        elif isinstance(value, dict):
            continue  # an empty object has no leaves
        elif isinstance(value, bool):
            rows.append(DataRow(key, BOOLEAN, "true" if value else "false", None, None))
        elif isinstance(value, (int, float)):
            rows.append(DataRow(key, NUMBER, _to_fixed(value), _decimal_column(value), None))
        elif isinstance(value, str) and _DATETIME.match(value):
            moment = _date(value)
            rows.append(DataRow(key, DATE, iso(moment), None, moment))
        elif isinstance(value, str):
            rows.append(DataRow(key, STRING, value, None, None))
        else:  # arrays and null
            rows.append(DataRow(key, ARRAY, js_json(value), None, None))
    return rows


def display_value(row: DataRow) -> str | None:
    """The ``value`` of the values routes: numbers without '.0000', dates as their UTC hour."""
    if row.data_type == NUMBER and row.string_value is not None:
        return row.string_value.replace(".0000", "")
    if row.data_type == DATE and row.date_value is not None:
        return row.date_value.strftime("%Y-%m-%dT%H:00:00Z")
    return row.string_value


def row_json(row: DataRow) -> dict[str, Any]:
    return {"dataKey": row.key, "stringValue": row.string_value, "numberValue": row.number_value, "dateValue": iso(row.date_value),
            "dataType": row.data_type}  # fmt: skip


class DataError(Exception):
    """Writing the rows failed as on the server: ``name`` and ``message`` of its error."""

    def __init__(self, message: str, name: str = "PrismaClientKnownRequestError") -> None:
        super().__init__(message)
        self.message, self.name = message, name


def _rows(data: dict[str, Any]) -> list[DataRow]:
    try:
        return flatten(data)
    except ValueError:
        raise DataError("Invalid time value", "RangeError") from None  # new Date(...).toISOString()


def _too_long(row: DataRow) -> bool:
    return len(row.key) > 500 or len(row.string_value or "") > 500  # varchar(500) columns


def checked_rows(data: dict[str, Any]) -> list[DataRow]:
    """The event_data rows of ``data``, written all at once (``createMany``): any bad row fails them all."""
    rows = _rows(data)
    if any(_too_long(row) for row in rows):
        raise DataError("value too long for type character varying(500)")
    return rows


def save_session_data(table: dict[str, dict[str, SessionDatum]], data: dict[str, Any], website_id: str, session_id: str,
                      distinct_id: str | None, created_at: datetime) -> None:  # fmt: skip
    """``saveSessionData``: each key updated in place or added, one at a time (a failing row stops the rest)."""
    rows = _rows(data)
    own = table.setdefault(session_id, {})
    for row in rows:
        if _too_long(row) or len(distinct_id or "") > 50:
            raise DataError("value too long for type character varying(500)")
        own[row.key] = SessionDatum(website_id, session_id, row, distinct_id, created_at)
