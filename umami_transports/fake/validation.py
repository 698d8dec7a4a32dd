"""Request validation with zod 4's messages and ``z.treeifyError`` shape, as Umami answers 400.

A check records issues at a path; :meth:`Issues.envelope` builds the body the server sends::

    {"error": {"message": "Bad request", "code": "bad-request", "status": 400, "errors": [],
               "properties": {"payload": {"errors": [], "properties": {"website": {"errors": ["Invalid UUID"]}}}}}}
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, Final

__all__ = ["MISSING", "Issues", "bad_request", "js_number", "received", "url_is_valid"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: An absent value (JavaScript's ``undefined``).
MISSING: Final = _Missing()

_UUID = re.compile(
    r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}"
    r"|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$"
)
_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_SPECIAL_SCHEMES = ("http", "https", "ws", "wss", "ftp")
_FORBIDDEN_HOST = set(" #%/:<>?@[\\]^|\t\n\r")
MAX_SAFE_INTEGER = 2**53 - 1


def bad_request(message: str = "Bad request") -> dict[str, Any]:
    return {"error": {"message": message, "code": "bad-request", "status": 400}}


def received(value: object) -> str:
    """zod's name for the type of ``value``."""
    if value is MISSING:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "NaN" if isinstance(value, float) and math.isnan(value) else "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def js_number(value: object) -> float:
    """JavaScript's ``Number(value)`` (what ``z.coerce.number()`` does)."""
    if value is MISSING:
        return math.nan
    if value is None:
        return 0.0
    if isinstance(value, (bool, int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return 0.0
        if _DECIMAL.match(text):
            return float(text)
        if re.fullmatch(r"[+-]?Infinity", text):
            return -math.inf if text.startswith("-") else math.inf
        for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
            if text.lower().startswith(prefix):
                try:
                    return float(int(text[2:], base))
                except ValueError:
                    return math.nan
        return math.nan
    if isinstance(value, list) and len(value) <= 1:
        return js_number(value[0]) if value else 0.0
    return math.nan


def _js_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _host_ok(rest: str) -> bool:
    authority = re.split(r"[/\\?#]", rest.lstrip("/\\"), maxsplit=1)[0]
    host = authority.rsplit("@", 1)[-1]
    if host.startswith("["):
        return (
            "]" in host
            and host.index("]") > 1
            and (host[host.index("]") + 1 :] in ("",) or re.fullmatch(r":\d*", host[host.index("]") + 1 :]) is not None)
        )
    name, _, port = host.partition(":")
    if not name or any(char in _FORBIDDEN_HOST for char in name):
        return False
    return not port or (port.isdigit() and int(port) <= 65535)


def url_is_valid(value: str) -> bool:
    """Whether ``new URL(value, 'https://localhost')`` succeeds (a close approximation of WHATWG)."""
    text = value.strip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
    )
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$", text, re.DOTALL)
    if scheme:
        name, rest = scheme.group(1).lower(), scheme.group(2)
        if name == "https" and not rest.startswith(("/", "\\")):
            return True  # 'https:foo' is relative to the https base
        return _host_ok(rest) if name in _SPECIAL_SCHEMES else True
    if text.startswith(("//", "\\\\", "/\\", "\\/")):
        return _host_ok(text)
    return True


class Issues:
    """The problems found in one request, in the order zod reports them."""

    def __init__(self) -> None:
        self.found: list[tuple[tuple[str | int, ...], str]] = []

    def __bool__(self) -> bool:
        return bool(self.found)

    def add(self, path: tuple[str | int, ...], message: str) -> None:
        self.found.append((path, message))

    def tree(self) -> dict[str, Any]:
        """``z.treeifyError``: ``errors`` at each level, ``properties`` for keys, ``items`` for indexes."""
        root: dict[str, Any] = {"errors": []}
        for path, message in self.found:
            node = root
            for key in path:
                if isinstance(key, int):
                    items = node.setdefault("items", [])
                    items.extend([None] * (key + 1 - len(items)))
                    node = items[key] = items[key] or {"errors": []}
                else:
                    node = node.setdefault("properties", {}).setdefault(key, {"errors": []})
            node["errors"].append(message)
        return root

    def envelope(self) -> dict[str, Any]:
        return {"error": {**bad_request()["error"], **self.tree()}}

    # -- checks: each returns the parsed value, or MISSING after recording an issue ---------------

    def string(self, path: tuple[str | int, ...], value: object, *, max_length: int | None = None, optional: bool = True) -> Any:
        if value is MISSING and optional:
            return MISSING
        if not isinstance(value, str):
            self.add(path, f"Invalid input: expected string, received {received(value)}")
            return MISSING
        if max_length is not None and _js_length(value) > max_length:
            self.add(path, f"Too big: expected string to have <={max_length} characters")
            return MISSING
        return value

    def uuid(self, path: tuple[str | int, ...], value: object) -> Any:
        if value is MISSING:
            return MISSING
        if not isinstance(value, str):
            self.add(path, f"Invalid input: expected string, received {received(value)}")
            return MISSING
        if not _UUID.match(value):
            self.add(path, "Invalid UUID")
            return MISSING
        return value

    def url(self, path: tuple[str | int, ...], value: object) -> Any:
        checked = self.string(path, value)
        if isinstance(checked, str) and not url_is_valid(checked):
            self.add(path, "Invalid URL.")
            return MISSING
        return checked

    def choice(self, path: tuple[str | int, ...], value: object, options: tuple[str, ...], *, optional: bool = False) -> Any:
        if value is MISSING and optional:
            return MISSING
        if value not in options:
            self.add(path, "Invalid option: expected one of " + "|".join(f'"{option}"' for option in options))
            return MISSING
        return value

    def record(self, path: tuple[str | int, ...], value: object, *, optional: bool = True) -> Any:
        if value is MISSING and optional:
            return MISSING
        if not isinstance(value, dict):
            self.add(path, f"Invalid input: expected record, received {received(value)}")
            return MISSING
        return value

    def number(self, path: tuple[str | int, ...], value: object, *, integer: bool = False, minimum: float | None = None,
               maximum: float | None = None, positive: bool = False) -> Any:  # fmt: skip
        """``z.coerce.number()`` with ``.int()``, ``.min()``, ``.max()``, ``.positive()``; MISSING passes."""
        if value is MISSING:
            return MISSING
        number = js_number(value)
        if math.isnan(number):
            self.add(path, "Invalid input: expected number, received NaN")
            return MISSING
        if integer and (not math.isfinite(number) or number != int(number) or abs(number) > MAX_SAFE_INTEGER):
            self.add(path, "Invalid input: expected int, received number")
            return MISSING
        if positive and number <= 0:
            self.add(path, "Too small: expected number to be >0")
            return MISSING
        if minimum is not None and number < minimum:
            self.add(path, f"Too small: expected number to be >={minimum:g}")
            return MISSING
        if maximum is not None and number > maximum:
            self.add(path, f"Too big: expected number to be <={maximum:g}")
            return MISSING
        return int(number) if integer else number

    def object(self, path: tuple[str | int, ...], value: object) -> Mapping[str, Any] | None:
        if not isinstance(value, dict):
            self.add(path, f"Invalid input: expected object, received {received(value)}")
            return None
        return value
