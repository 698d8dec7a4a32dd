"""Date ranges of the commands (``--since 7d``, ``--from``/``--to``) and the buckets of a series."""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from umami.cli.failures import CliError

__all__ = ["Range", "bucket_key", "buckets", "default_timezone", "parse_range", "zone"]

_SINCE = re.compile(r"^\s*(\d+)\s*(h|d|w|m|y)\s*$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
_DAYS = {"m": 30, "y": 365}
#: The most buckets a chart draws: an hourly chart of a year is a mistake, not a chart.
MAX_BUCKETS = 2000


@dataclass(frozen=True)
class Range:
    """A date range (aware datetimes) and the time zone its dates and buckets are read in."""

    start: datetime.datetime
    end: datetime.datetime
    timezone: str

    def describe(self) -> str:
        """'2026-11-27 15:44 → 2026-12-04 15:44 UTC': the range as the user reads it."""
        tz = zone(self.timezone)
        return f"{self.start.astimezone(tz):%Y-%m-%d %H:%M} → {self.end.astimezone(tz):%Y-%m-%d %H:%M} {self.timezone}"

    def as_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "timezone": self.timezone}


def default_timezone() -> str:
    """The zone of dates and buckets: ``TZ`` when it names an IANA zone, else UTC."""
    name = os.environ.get("TZ", "").lstrip(":")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name or "UTC"


def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``, or a clear error."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CliError(f"unknown time zone {name!r}: use an IANA name such as UTC or Europe/Paris") from None


def _since(text: str, now: datetime.datetime) -> datetime.datetime:
    match = _SINCE.match(text)
    if not match:
        raise CliError(f"--since {text!r}: expected a number and a unit, e.g. 24h, 7d, 4w, 3m (30 days) or 1y (365 days)")
    count, unit = int(match.group(1)), match.group(2)
    if count <= 0:
        raise CliError(f"--since {text!r}: the number must be positive")
    delta = datetime.timedelta(days=count * _DAYS[unit]) if unit in _DAYS else datetime.timedelta(**{_UNITS[unit]: count})
    try:
        return now - delta
    except OverflowError:
        raise CliError(f"--since {text!r} goes back too far") from None


def _moment(text: str, option: str, tz: ZoneInfo, end_of_day: bool) -> datetime.datetime:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            day = datetime.date.fromisoformat(text.strip())
            moment = datetime.datetime.combine(day, datetime.time.max if end_of_day else datetime.time.min)
        else:
            moment = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise CliError(f"{option} {text!r}: expected a date (2026-11-01) or a date and time (2026-11-01T14:30)") from None
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def parse_range(since: str | None, start: str | None, end: str | None, timezone: str, default: str = "7d") -> Range:
    """The range of ``--since`` or ``--from``/``--to`` (dates read in ``timezone``; ``--to`` a day means its end)."""
    tz = zone(timezone)
    now = datetime.datetime.now(datetime.timezone.utc)
    if since and (start or end):
        raise CliError("give either --since or --from/--to, not both")
    if start or end:
        first = _moment(start, "--from", tz, end_of_day=False) if start else _since(default, now)
        last = _moment(end, "--to", tz, end_of_day=True) if end else now
    else:
        first, last = _since(since or default, now), now
    if first >= last:
        raise CliError(f"the range is empty: {first.astimezone(tz):%Y-%m-%d %H:%M} is not before {last.astimezone(tz):%Y-%m-%d %H:%M}")
    return Range(first.astimezone(datetime.timezone.utc), last.astimezone(datetime.timezone.utc), timezone)


def _truncate(moment: datetime.datetime, unit: str) -> datetime.datetime:
    if unit == "hour":
        return moment.replace(minute=0, second=0, microsecond=0)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return day.replace(day=1) if unit == "month" else day


def _next(moment: datetime.datetime, unit: str) -> datetime.datetime:
    if unit == "hour":
        return moment + datetime.timedelta(hours=1)
    if unit == "day":
        return moment + datetime.timedelta(days=1)
    return moment.replace(year=moment.year + 1, month=1) if moment.month == 12 else moment.replace(month=moment.month + 1)


def buckets(period: Range, unit: str) -> list[datetime.datetime]:
    """The start of every bucket of the range in its zone (naive wall-clock times), as Umami counts them.

    Umami answers only the buckets that have data; a chart needs the empty ones too.
    """
    tz = zone(period.timezone)
    current = _truncate(period.start.astimezone(tz).replace(tzinfo=None), unit)
    last = period.end.astimezone(tz).replace(tzinfo=None)
    found: list[datetime.datetime] = []
    while current <= last:
        found.append(current)
        if len(found) > MAX_BUCKETS:
            raise CliError(f"more than {MAX_BUCKETS} buckets of one {unit}: choose a shorter range or a larger --unit")
        current = _next(current, unit)
    return found


def bucket_key(x: str, timezone: str) -> str:
    """A series point's bucket as 'YYYY-MM-DD HH:MM:SS' wall-clock time in ``timezone``.

    Umami writes buckets as local times ('2026-11-27 13:00:00'); some answers are ISO instants
    with 'Z', read here in the zone.
    """
    text = x.strip()
    if "T" in text or text.endswith("Z") or "+" in text[10:]:
        try:
            instant = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return text[:19]
        if instant.tzinfo is not None:
            instant = instant.astimezone(zone(timezone)).replace(tzinfo=None)
        return f"{instant:%Y-%m-%d %H:%M:%S}"
    return text[:19]
