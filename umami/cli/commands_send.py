"""``umami send pageview`` and ``umami send event``: record a page view or a custom event (no login needed)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import click

from umami.cli.connect import sender
from umami.cli.failures import CliError
from umami.cli.options import State, json_option, website_option
from umami.cli.output import emit_json

__all__ = ["COMMANDS"]

F = TypeVar("F", bound=Callable[..., Any])


def _visitor_options(function: F) -> F:
    """Who the visitor is and where: the options a page view and an event share."""
    for option in reversed(
        [
            click.option("--hostname", metavar="HOST", help="The site's host (default: the URL's, UMAMI_HOSTNAME or the profile's)."),
            click.option("--referrer", default="", metavar="URL", help="Where the visitor came from."),
            click.option("--ip", "ip_address", metavar="ADDRESS", help="The visitor's IP address (Umami tells visitors apart by it)."),
            click.option("--ua", metavar="USER_AGENT", help="The visitor's User-Agent (default: a desktop browser's)."),
            click.option("--distinct-id", metavar="ID", help="Your id of the visitor (a logged-in user)."),
            click.option("--language", default="en-US", show_default=True),
            click.option("--screen", default="1920x1080", show_default=True),
        ]
    ):
        function = option(function)
    return function


def _visitor(url: str, hostname: str | None, ua: str | None, **given: Any) -> dict[str, Any]:
    host = hostname or (urlsplit(url).netloc if "://" in url else None)
    visitor = {key: value for key, value in given.items() if value is not None}
    if not host:
        raise CliError("no hostname: pass --hostname example.com or an absolute URL, or set UMAMI_HOSTNAME")
    visitor["hostname"] = host
    if ua:
        visitor["ua"] = ua
    return visitor


def _report(kind: str, what: str, answer: dict[str, Any], as_json: bool) -> None:
    # Umami's "cache" is the visitor's session token: never printed.
    stored = answer.get("beep") is None
    if as_json:
        emit_json({"sent": kind, "stored": stored, "sessionId": answer.get("sessionId"), "visitId": answer.get("visitId")})
    elif stored:
        click.echo(f"{kind} sent: {what} (session {answer.get('sessionId', '-')})")
    else:
        click.echo(f"{kind} sent but Umami did not store it: it took the request for a bot's (check --ua)", err=True)


@click.group(
    epilog="""\b
Examples:
  umami send pageview /pricing --title Pricing --hostname example.com
  umami send event signup --url /signup --data plan=pro --data seats=3"""
)
def send() -> None:
    """Send a page view or a custom event (needs the server and a website, no login)."""


@send.command(epilog="\b\nExample:\n  umami send pageview https://example.com/pricing --title Pricing --ip 203.0.113.7")
@click.argument("url")
@click.option("--title", default="", metavar="TITLE", help="The page's title.")
@_visitor_options
@website_option
@json_option
@click.pass_obj
def pageview(
    state: State, /, url: str, title: str, website: str | None, as_json: bool, hostname: str | None, ua: str | None, **given: Any
) -> None:
    """Record a page view of URL (a path, or an absolute URL that gives the host)."""
    settings = state.settings(website)
    client = sender(settings, state.timeout)
    answer = client.new_page_view(title, url, **_visitor(url, hostname or settings.hostname, ua, **given))
    _report("page view", url, answer, as_json)


def _data(pairs: tuple[str, ...], raw: str | None) -> dict[str, Any] | None:
    data: dict[str, Any] = {}
    if raw:
        try:
            loaded = json.loads(raw)
        except ValueError as error:
            raise CliError(f"--data-json is not valid JSON: {error}") from None
        if not isinstance(loaded, dict):
            raise CliError('--data-json must be a JSON object, e.g. \'{"plan": "pro"}\'')
        data.update(loaded)
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key:
            raise CliError(f"--data {pair!r}: expected KEY=VALUE")
        # Numbers and booleans stay numbers and booleans: Umami stores and sums them as such.
        try:
            data[key] = json.loads(value) if value in ("true", "false") or value.lstrip("-").replace(".", "", 1).isdigit() else value
        except ValueError:
            data[key] = value
    return data or None


@send.command(epilog="\b\nExample:\n  umami send event signup --url /signup --data plan=pro --data-json '{\"seats\": 3}'")
@click.argument("name")
@click.option("--url", default="/", show_default=True, help="The page the event happened on.")
@click.option("--title", metavar="TITLE", help="The page's title.")
@click.option("--data", "pairs", multiple=True, metavar="KEY=VALUE", help="Event data (repeatable; numbers and true/false are typed).")
@click.option("--data-json", metavar="JSON", help="Event data as a JSON object.")
@_visitor_options
@website_option
@json_option
@click.pass_obj
def event(
    state: State,
    /,
    name: str,
    url: str,
    title: str | None,
    pairs: tuple[str, ...],
    data_json: str | None,
    website: str | None,
    as_json: bool,
    hostname: str | None,
    ua: str | None,
    **given: Any,
) -> None:
    """Record a custom event NAME, with optional data."""
    settings = state.settings(website)
    client = sender(settings, state.timeout)
    visitor = _visitor(url, hostname or settings.hostname, ua, **given)
    answer = client.new_event(name, url=url, title=title, custom_data=_data(pairs, data_json), **visitor)
    _report("event", name, answer, as_json)


COMMANDS = [send]
