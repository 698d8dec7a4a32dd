"""Ids and tokens as Umami derives them, with the standard library only.

A port of ``src/lib/crypto.ts`` and ``src/lib/jwt.ts`` of Umami 3.1 (see umami-server.md, section a,
step 8): ``hash(*parts) = sha512_hex("".join(parts))``, ``secret() = hash(APP_SECRET)``,
``uuid(*parts) = uuid5(NAMESPACE_DNS, hash(*parts, secret()))``. The ``x-umami-cache`` token is an
HS256 JWT signed with ``secret()``. Login tokens are the fake's own opaque signed strings.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import uuid
from datetime import datetime, timezone
from typing import Any

__all__ = [
    "hash_hex",
    "jwt_decode",
    "jwt_encode",
    "secret",
    "session_id",
    "sign_token",
    "umami_uuid",
    "unsign_token",
    "utc_string",
    "visit_id",
]

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def hash_hex(*parts: str | None) -> str:
    """sha512 of the parts joined (JavaScript joins ``undefined`` as ``""``), in hex."""
    return hashlib.sha512("".join(part or "" for part in parts).encode()).hexdigest()


def secret(app_secret: str) -> str:
    """Umami's ``secret()``: the hash of APP_SECRET."""
    return hash_hex(app_secret)


def umami_uuid(server_secret: str, *parts: str | None) -> str:
    """Umami's ``uuid(...parts)``: a name-based (v5, DNS namespace) UUID of the salted hash."""
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, hash_hex(*parts, server_secret)))


def utc_string(moment: datetime) -> str:
    """JavaScript's ``Date.prototype.toUTCString()``, independent of the locale."""
    moment = moment.astimezone(timezone.utc)
    return f"{_DAYS[moment.weekday()]}, {moment.day:02d} {_MONTHS[moment.month - 1]} {moment.year:04d} {moment:%H:%M:%S} GMT"


def session_id(
    server_secret: str, website_id: str, created_at: datetime, ip: str | None, user_agent: str | None, distinct_id: str | None
) -> str:
    """The session id: from the distinct id if there is one, else from ip, User-Agent and the month (UTC)."""
    if distinct_id:
        return umami_uuid(server_secret, website_id, distinct_id)
    month = created_at.astimezone(timezone.utc).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return umami_uuid(server_secret, website_id, ip, user_agent, hash_hex(utc_string(month)))


def visit_id(server_secret: str, session: str, created_at: datetime) -> str:
    """The visit id: the session and the clock hour (UTC) of the event."""
    hour = created_at.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
    return umami_uuid(server_secret, session, hash_hex(utc_string(hour)))


# -- HS256 JWT (the x-umami-cache token) -----------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jwt_encode(payload: dict[str, Any], key: str) -> str:
    """A compact HS256 JWT, as jsonwebtoken's ``jwt.sign(payload, key)`` makes it."""
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = _b64url(json.dumps(payload, separators=(",", ":")).encode())
    signature = hmac.new(key.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{_b64url(signature)}"


def jwt_decode(token: str, key: str) -> dict[str, Any] | None:
    """The payload of a valid HS256 JWT signed with ``key``, or None (never raises)."""
    try:
        header, body, signature = token.split(".")
        expected = hmac.new(key.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _b64url_decode(signature)):
            return None
        if json.loads(_b64url_decode(header)).get("alg") != "HS256":
            return None
        payload = json.loads(_b64url_decode(body))
    except (ValueError, binascii.Error, AttributeError):
        return None
    return payload if isinstance(payload, dict) else None


# -- login tokens (opaque to clients, like the real AES-encrypted ones) -----------------------------

_SIGNATURE_BYTES = 32


def sign_token(payload: dict[str, Any], key: str) -> str:
    """An opaque base64 token carrying ``payload``, signed with ``key``."""
    data = json.dumps(payload, separators=(",", ":")).encode()
    return base64.b64encode(data + hmac.new(key.encode(), data, hashlib.sha256).digest()).decode()


def unsign_token(token: str, key: str) -> dict[str, Any] | None:
    """The payload of a token made by :func:`sign_token` with ``key``, or None if forged or garbled."""
    try:
        raw = base64.b64decode(token, validate=True)
    except (ValueError, binascii.Error):
        return None
    data, signature = raw[:-_SIGNATURE_BYTES], raw[-_SIGNATURE_BYTES:]
    if len(raw) <= _SIGNATURE_BYTES or not hmac.compare_digest(signature, hmac.new(key.encode(), data, hashlib.sha256).digest()):
        return None
    try:
        payload = json.loads(data)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None
