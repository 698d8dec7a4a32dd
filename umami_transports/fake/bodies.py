"""Reading a write route's JSON body against its zod schema, with zod 4's messages.

The checks ``validation.Issues`` lacks: a string's minimum length and a required coerced integer.
As in Umami's ``parseRequest``, a route checks the body before it authenticates the caller.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from umami_transports.fake.app import Abort, Call, json_reply, parse_json
from umami_transports.fake.validation import MISSING, Issues

__all__ = ["Body", "body_of", "choice", "integer", "raise_issues", "record", "text", "uuid"]


#: A body's fields, or None when it is not a JSON object (zod then reports only that).
Body = Mapping[str, Any] | None


def body_of(call: Call, issues: Issues) -> Body:
    return issues.object((), parse_json(call.body))


def raise_issues(issues: Issues) -> None:
    """Answer 400 with zod's tree when anything failed."""
    if issues:
        raise Abort(json_reply(issues.envelope(), 400))


def _js_length(value: str) -> int:
    return len(value.encode("utf-16-le")) // 2  # JavaScript counts UTF-16 code units


def text(issues: Issues, body: Body, name: str, *, min_length: int = 0, max_length: int | None = None,
         optional: bool = False) -> Any:  # fmt: skip
    """``z.string().min().max()`` (``.optional()``): the string, or MISSING when absent or refused."""
    if body is None:
        return MISSING
    value = issues.string((name,), body.get(name, MISSING), max_length=max_length, optional=optional)
    if isinstance(value, str) and _js_length(value) < min_length:
        issues.add((name,), f"Too small: expected string to have >={min_length} characters")
        return MISSING
    return value


def integer(issues: Issues, body: Body, name: str) -> Any:
    """``z.coerce.number().int()``, required: an absent value is ``Number(undefined)``, NaN."""
    if body is None:
        return MISSING
    value = body.get(name, MISSING)
    return issues.number((name,), math.nan if value is MISSING else value, integer=True)


def choice(issues: Issues, body: Body, name: str, options: tuple[str, ...], *, optional: bool = False) -> Any:
    """``z.enum([...])`` (``.optional()``)."""
    if body is None:
        return MISSING
    return issues.choice((name,), body.get(name, MISSING), options, optional=optional)


def uuid(issues: Issues, body: Body, name: str, *, optional: bool = False) -> Any:
    """``z.uuid()`` (``.optional()``)."""
    if body is None:
        return MISSING
    value = body.get(name, MISSING)
    if value is MISSING and not optional:
        issues.add((name,), "Invalid input: expected string, received undefined")
        return MISSING
    return issues.uuid((name,), value)


def record(issues: Issues, body: Body, name: str, *, optional: bool = False) -> Any:
    """``z.record(z.string(), z.any())`` (``.optional()``)."""
    if body is None:
        return MISSING
    return issues.record((name,), body.get(name, MISSING), optional=optional)
