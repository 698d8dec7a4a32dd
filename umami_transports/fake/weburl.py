"""Just enough of the WHATWG URL parser and of ``decodeURI`` for what ``/api/send`` stores."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urljoin, urlsplit

__all__ = ["decode_uri", "resolve"]

_SPECIAL = ("http", "https", "ws", "wss", "ftp")
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_RESERVED = set(";/?:@&=+$,#")


class _Malformed(Exception):
    pass


def _join(base_host: str, relative: str) -> SplitResult:
    return urlsplit(str(urljoin(f"https://{base_host}/", relative)))


def resolve(url: str, base_host: str) -> SplitResult:
    """``new URL(url, 'https://' + base_host)``, split; the caller has checked that it parses."""
    text = re.sub(
        r"[\t\n\r]",
        "",
        url.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "),
    )
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$", text, re.DOTALL)
    if scheme:
        name, rest = scheme.group(1).lower(), scheme.group(2)
        if name in _SPECIAL:
            rest = rest.replace("\\", "/")
            if name == "https" and not rest.startswith("/"):
                return _join(base_host, rest)
            return urlsplit(f"{name}://{rest.lstrip('/')}")
        return urlsplit(text)
    text = text.replace("\\", "/")
    if text.startswith("//"):
        return urlsplit("https:" + text)
    return _join(base_host, text)


def decode_uri(text: str, component: bool = False) -> str:
    """``safeDecodeURI`` (escapes of reserved characters kept) or ``safeDecodeURIComponent``;
    the text unchanged when it holds a malformed escape, as the safe variants return it."""

    def decode(match: re.Match[str]) -> str:
        raw = match.group(0)
        try:
            decoded = bytes.fromhex(raw.replace("%", "")).decode("utf-8")
        except UnicodeDecodeError:
            raise _Malformed from None
        if component:
            return decoded
        out, position = [], 0
        for char in decoded:
            width = 3 * len(char.encode())
            out.append(raw[position : position + width] if char in _RESERVED else char)
            position += width
        return "".join(out)

    try:
        return _ESCAPES.sub(decode, text)
    except _Malformed:
        return text
