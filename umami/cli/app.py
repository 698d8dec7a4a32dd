"""The ``umami`` command group: its options (where Umami is, which credentials, --debug) and the
failure handling every command shares (one line on stderr, a traceback only with --debug)."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import click

import umami
from umami.cli.failures import CliError, describe
from umami.cli.options import State

__all__ = ["cli"]

EPILOG = """\b
Examples:
  umami login --url https://umami.example.com --username admin
  umami websites
  umami stats --since 30d -w 978435e2-7ba1-4337-9860-ec31ece2db60
  umami chart --since 7d --unit day
  umami top referrer -n 5
  umami export events --since 30d --format csv --output events.csv
  umami fake                       # a fake Umami on 127.0.0.1, to try it all

\b
Environment: UMAMI_URL, UMAMI_USERNAME, UMAMI_PASSWORD, UMAMI_API_KEY,
UMAMI_CLOUD_API_KEY, UMAMI_CLOUD_REGION, UMAMI_WEBSITE_ID, UMAMI_HOSTNAME,
UMAMI_PROFILE, UMAMI_CONFIG (the config file, default ~/.config/umami/config.toml).
"""


def _quiet_stdout() -> None:
    # Python would complain again when flushing stdout at exit; point it at /dev/null instead.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test runner's buffer): nothing to flush into a closed pipe


class UmamiGroup(click.Group):
    """A group whose failures read as one line (click's ``Error: ...``), unless --debug."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            _quiet_stdout()  # the reader went away (| head): stop quietly, as other tools do
            raise click.exceptions.Exit(0) from None
        except Exception as error:  # every failure becomes one line; --debug shows the traceback
            if isinstance(ctx.obj, State) and ctx.obj.debug:
                raise
            raise CliError(" ".join(describe(error).split())) from None


@click.group(cls=UmamiGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--profile", "-p", metavar="NAME", help="Profile of the config file (default: UMAMI_PROFILE or 'default').")
@click.option("--url", metavar="URL", help="Your Umami, without /api (default: UMAMI_URL).")
@click.option("--username", "-u", metavar="NAME", help="User to log in as (default: UMAMI_USERNAME).")
@click.option("--api-key", metavar="KEY", help="Self-hosted API key umami_... (better: UMAMI_API_KEY).")
@click.option("--cloud-api-key", metavar="KEY", help="Umami Cloud API key (better: UMAMI_CLOUD_API_KEY).")
@click.option("--region", type=click.Choice(["us", "eu"]), help="Umami Cloud region (default: UMAMI_CLOUD_REGION).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, help="Seconds a request may take in all.")
@click.option("--debug", is_flag=True, help="Log each request on stderr; show tracebacks.")
@click.version_option(umami.__version__, "--version", prog_name="umami")
@click.pass_context
def cli(ctx: click.Context, /, profile: str | None, debug: bool, timeout: float, **flags: str | None) -> None:
    """Your Umami analytics from the terminal: stats, charts, top pages, realtime, exports.

    Reads the server and credentials from the options, the environment or a profile of the
    config file. Output is plain text when piped; every reading command takes --json.
    """
    if debug:
        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")
    ctx.obj = State(profile=profile, flags=flags, debug=debug, timeout=timeout)


def _register() -> None:
    # The commands live in their own modules; importing them here keeps `umami.cli.app.cli` complete.
    from umami.cli import commands_auth, commands_export, commands_fake, commands_read, commands_send

    for module in (commands_auth, commands_read, commands_export, commands_send, commands_fake):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()
