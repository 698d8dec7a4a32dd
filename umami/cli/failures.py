"""How a failure reads: one line on stderr and a non-zero exit, never a traceback (unless --debug)."""

from __future__ import annotations

import click

from umami.cli.settings import ConfigError
from umami.errors import APIError, OperationNotAllowedError, TransportError, TransportTimeoutError, UmamiError

__all__ = ["CliError", "describe"]


class CliError(click.ClickException):
    """A failure the user can fix; click prints ``Error: <message>`` on stderr and exits 1."""


def describe(error: BaseException) -> str:
    """The one line that says what went wrong (the library's messages never hold a secret)."""
    if isinstance(error, TransportTimeoutError):
        return f"Umami did not answer in time: {error} (try --timeout)"
    if isinstance(error, TransportError):
        return str(error)
    if isinstance(error, APIError):
        if error.status_code == 401 and "/api/auth/login" in str(error):
            return f"{error} (wrong username or password)"
        if error.status_code == 401:
            return f"{error} (check the credentials: run umami login again, or check UMAMI_API_KEY)"
        return str(error)
    if isinstance(error, OperationNotAllowedError):
        return f"{error} (see umami --help for the server and credential settings)"
    if isinstance(error, (UmamiError, ConfigError)):
        return str(error)
    if isinstance(error, OSError):
        return f"{error.strerror or error}: {error.filename}" if error.filename else str(error)
    return f"unexpected {type(error).__name__}: {error} (run with --debug for the traceback)"
