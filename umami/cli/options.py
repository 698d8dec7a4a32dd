"""What the commands share: the state the group resolves (profile, flags, --debug, --timeout) and
the options every reading command takes (--website, the range, --filter, --json)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import click

from umami._filters import Filters
from umami.cli.failures import CliError
from umami.cli.periods import default_timezone, parse_range
from umami.cli.settings import Settings, load_settings

__all__ = ["FILTER_NAMES", "State", "check_choice", "filter_options", "json_option", "parse_filters", "range_options", "website_option"]

F = TypeVar("F", bound=Callable[..., Any])

#: The names --filter takes: those of the library's filters.
FILTER_NAMES = tuple(Filters.__annotations__)


@dataclass
class State:
    """What the group's options resolved, shared by every command through ``click.Context.obj``."""

    profile: str | None = None
    flags: dict[str, str | None] = field(default_factory=dict)
    debug: bool = False
    timeout: float = 30.0

    def settings(self, website: str | None = None) -> Settings:
        """The settings of this command: its --website over the group's flags, environment and profile."""
        return load_settings(self.flags, self.profile).with_website(website)


def website_option(function: F) -> F:
    """``-w/--website ID``: the website (else UMAMI_WEBSITE_ID, the profile's, or the login's)."""
    return click.option("-w", "--website", "website", metavar="ID", help="Website id (default: UMAMI_WEBSITE_ID or the profile's).")(
        function
    )


def json_option(function: F) -> F:
    """``--json``: the result as JSON on stdout."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(function)


def range_options(function: F) -> F:
    """``--since``/``--from``/``--to``/``--timezone``, resolved into a Range passed as ``period``."""

    @click.option("--since", metavar="AGE", help="Up to now from this long ago: 24h, 7d, 4w, 3m, 1y (default: 7d).")
    @click.option("--from", "start", metavar="DATE", help="Start: 2026-11-01 or 2026-11-01T08:00 (read in --timezone).")
    @click.option("--to", "end", metavar="DATE", help="End (a date means its end; default: now).")
    @click.option(
        "--timezone",
        "--tz",
        "timezone",
        metavar="ZONE",
        default=default_timezone,
        show_default="TZ or UTC",
        help="IANA zone of dates and buckets, e.g. Europe/Paris.",
    )
    @functools.wraps(function)
    def wrapper(*args: Any, since: str | None, start: str | None, end: str | None, timezone: str, **kwargs: Any) -> Any:
        return function(*args, period=parse_range(since, start, end, timezone), **kwargs)

    return wrapper  # type: ignore[return-value]


def filter_options(function: F) -> F:
    """``--filter NAME=VALUE`` (repeatable), passed as a dict ``filters``."""
    return click.option(
        "--filter",
        "filters",
        metavar="NAME=VALUE",
        multiple=True,
        callback=lambda _ctx, _param, value: parse_filters(value),
        help="Only matching data, e.g. country=FR or path=/pricing (repeatable; a comma means any of several values).",
    )(function)


def parse_filters(given: tuple[str, ...]) -> dict[str, str]:
    """``('country=FR', 'path=/a')`` as ``{'country': 'FR', 'path': '/a'}``, checking the names."""
    filters: dict[str, str] = {}
    for item in given:
        name, equals, value = item.partition("=")
        name = name.strip().replace("-", "_")
        if not equals or not name:
            raise click.BadParameter(f"{item!r}: expected NAME=VALUE, e.g. country=FR", param_hint="--filter")
        if name not in FILTER_NAMES:
            raise click.BadParameter(f"unknown filter {name!r}; known: {', '.join(FILTER_NAMES)}", param_hint="--filter")
        filters[name] = f"{filters[name]},{value}" if name in filters else value
    return filters


def check_choice(value: str, choices: tuple[str, ...], what: str) -> str:
    """``value`` if it is one of ``choices``, else a clear error."""
    if value not in choices:
        raise CliError(f"unknown {what} {value!r}; choose one of {', '.join(choices)}")
    return value
