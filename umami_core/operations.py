"""Any operation of Umami's API contract by its id: one flow builds and runs them all.

``call(config, "getWebsiteMetrics", {"type": "path", "startAt": datetime(...)})`` checks the
parameters against the contract (an unknown or misspelt one is a ValidationError that suggests
the right name), turns values into the query Umami reads (datetimes into epoch milliseconds, lists
into comma-separated values, booleans into ``true``/``false``), sends the credential only to the
operations that need one, and returns the decoded JSON answer. The table is generated from the
contract (``operations_table.py``, by ``scripts/generate_operations.py``).
"""

from __future__ import annotations

import datetime
import difflib
import math
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from umami_core.config import Config
from umami_core.errors import APIError, ValidationError
from umami_core.exchange import Flow, exchange_json
from umami_core.http import Request, build_url
from umami_core.operations_model import Operation
from umami_core.operations_table import API_VERSION, OPERATIONS
from umami_core.reports import REPORT_IDS, REPORT_OPERATIONS, report_request
from umami_core.validation import check_string, require_datetime, require_website_id

__all__ = ["ALIASES", "API_VERSION", "OPERATIONS", "Operation", "build_request", "call", "find_operation"]

#: The contract's operations, and Umami 3.1's report routes, which the contract lacks (see reports.py).
BY_ID: dict[str, Operation] = {operation.id: operation for operation in (*OPERATIONS, *REPORT_OPERATIONS)}

#: The spec's names for v3 filters (website_stats() takes url and host): accepted where the v3 name is.
ALIASES = {"url": "path", "host": "hostname"}

#: Ingestion: sent where sends go (Cloud: cloud.umami.is), never with a credential.
_INGESTION = frozenset({"send", "batch", "record"})


def find_operation(operation_id: str) -> Operation:
    """The operation ``operation_id``; a ValidationError naming the closest ids if there is none."""
    operation = BY_ID.get(operation_id) if isinstance(operation_id, str) else None
    if operation is None:
        close = difflib.get_close_matches(str(operation_id)[:100], BY_ID, n=3)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ValidationError(f"Umami's API has no operation {str(operation_id)[:100]!r}.{hint}")
    return operation


def call(config: Config, operation_id: str, params: Mapping[str, Any] | None = None, body: Any = None) -> Flow[Any]:
    """Run the operation ``operation_id`` with ``params`` (path and query parameters by name) and
    ``body`` (for the operations that take one); returns the decoded JSON answer (None for an empty one)."""
    request = build_request(config, find_operation(operation_id), params or {}, body)
    try:
        return (yield from exchange_json(request, empty_is_none=True))
    except APIError as error:
        if error.status_code in (401, 403) and config.token_kind == "api-key" and config.usable_token is not None:
            error.message += " (Umami refuses some operations to API keys, e.g. managing users and passwords: log in for those)"
            error.copy_from(error)  # the message again, in str()
        raise


def build_request(config: Config, operation: Operation, params: Mapping[str, Any], body: Any) -> Request:
    """The request of ``operation``: its path filled in, its query encoded, the credential if it needs one."""
    if body is not None and not operation.has_body:
        raise ValidationError(f"{operation.id} takes no body; pass its parameters by name.")
    params = _named(operation, params)
    if operation.id in REPORT_IDS:
        return report_request(config, operation, params, body, lambda name, value: _query_value(operation, name, value))
    path = operation.path
    for name in operation.path_params:
        path = path.replace("{" + name + "}", quote(_path_value(config, name, params.pop(name, None)), safe=""))
    query: dict[str, str | int] = {
        name: encoded for name, value in params.items() if (encoded := _query_value(operation, name, value)) is not None
    }
    if operation.id in _INGESTION:
        url = build_url(config.send_url().rsplit("/", 1)[0], "/" + path.rsplit("/", 1)[1], query)
        headers = config.send_headers(config.user_agent)
    else:
        if operation.authenticated:
            config.require_credential()
        url = config.data_url(path.removeprefix("/api"), query)
        headers = config.data_headers(authenticated=operation.authenticated)
    if operation.method != "POST":
        return Request(operation.method, url, tuple(headers.items()))
    if not operation.has_body:
        return Request.post(url, headers)
    try:
        return Request.post(url, headers, {} if body is None else body, sensitive=_holds_secret(operation, body))
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            f"The body of {operation.id} cannot be sent as JSON ({type(exc).__name__}): pass dicts, lists, strings and numbers."
        ) from None


def _holds_secret(operation: Operation, body: Any) -> bool:
    """Whether ``body`` carries a password or a one-time code, so it is never re-sent to another host."""
    if operation.id in ("login", "verifyTwoFactor"):
        return True
    return isinstance(body, dict) and any(isinstance(key, str) and ("password" in key.lower() or key == "code") for key in body)


def _named(operation: Operation, params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` under the contract's names: aliases resolved, unknown names refused with a suggestion."""
    known = (*operation.path_params, *operation.query_params)
    named: dict[str, Any] = {}
    for given, value in params.items():
        name = ALIASES.get(given, given) if given not in known else given
        if name not in known:
            close = difflib.get_close_matches(str(given), known, n=3)
            hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
            raise ValidationError(f"{operation.id} takes no parameter {str(given)[:60]!r}.{hint} It takes: {', '.join(known) or 'none'}.")
        if name in named:
            raise ValidationError(f"{operation.id}: {name!r} is given twice (once as {given!r}).")
        named[name] = value
    return named


def _path_value(config: Config, name: str, value: Any) -> str:
    if name == "websiteId":
        return require_website_id(value, config.website_id)
    if isinstance(value, uuid.UUID):
        return str(value)
    if value is None:
        raise ValidationError(f"{name} is required (it is part of the path).")
    text = check_string(name, value, required=True)
    if "/" in text or text in (".", ".."):
        raise ValidationError(f"{name} must be a single path segment, got one with '/' or a dot segment.")
    return text


def _query_value(operation: Operation, name: str, value: Any) -> str | None:
    """One query parameter as Umami reads it; None: left out."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        if name.endswith("At"):
            return str(require_datetime(name, value))
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(f"{operation.id}: {name} must be a finite number.")
        return repr(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (list, tuple)):  # several values of a filter: any of them matches
        return ",".join(_query_value(operation, name, item) or "" for item in value)
    if isinstance(value, str):
        text = check_string(name, value)
        if "\x00" in text:
            raise ValidationError(f"{operation.id}: {name} contains a NUL character, which Umami cannot compare: remove it.")
        return text
    raise ValidationError(f"{operation.id}: {name} must be a string, number, bool, datetime or a list of them, got {type(value).__name__}.")
