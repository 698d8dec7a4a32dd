"""``umami login`` and ``umami logout``: keep a login token (never the password) per profile."""

from __future__ import annotations

import logging

import click

import umami
from umami.cli.connect import NO_SERVER
from umami.cli.failures import CliError
from umami.cli.options import State, website_option
from umami.cli.settings import credentials_path, read_credentials, write_credentials

log = logging.getLogger("umami.cli")

__all__ = ["COMMANDS"]


@click.command(
    epilog="""\b
Examples:
  umami login --url https://umami.example.com -u admin     # asks for the password
  UMAMI_PASSWORD=... umami login                           # from the environment
  umami --profile work login -w 978435e2-7ba1-4337-9860-ec31ece2db60"""
)
@click.option("--password", metavar="PASSWORD", help="The password (default: UMAMI_PASSWORD, else asked without echo).")
@website_option
@click.pass_obj
def login(state: State, password: str | None, website: str | None) -> None:
    """Log in and keep the token for the profile (mode 0600; the password is never stored)."""
    settings = state.settings(website)
    if settings.cloud_api_key:
        raise CliError("Umami Cloud uses an API key, not a login: UMAMI_CLOUD_API_KEY is enough")
    if not settings.url:
        raise CliError(NO_SERVER)
    username = settings.username or click.prompt("Username")
    password = password or settings.password or click.prompt("Password", hide_input=True)
    client = umami.Client(limits=umami.Limits(deadline=state.timeout))
    client.set_url_base(settings.url)
    result = client.login(username, password)
    logins = read_credentials()
    entry = {"url": settings.url.rstrip("/"), "token": result.token, "username": username}
    if settings.website_id:
        entry["website_id"] = settings.website_id
    logins[settings.profile] = entry
    path = write_credentials(logins)
    log.debug("token of profile %s written to %s", settings.profile, path)
    click.echo(f"Logged in to {settings.url} as {username} (profile {settings.profile}); token saved in {path}")


@click.command(epilog="\b\nExample:\n  umami --profile work logout")
@click.pass_obj
def logout(state: State) -> None:
    """Forget the token that umami login stored for the profile."""
    profile = state.profile or state.settings().profile
    logins = read_credentials()
    if logins.pop(profile, None) is None:
        click.echo(f"Not logged in (profile {profile}): nothing to remove.")
        return
    path = write_credentials(logins)
    click.echo(f"Logged out (profile {profile}): token removed from {path if logins else credentials_path()}")


COMMANDS = [login, logout]
