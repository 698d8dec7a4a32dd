"""The server's answer helpers for the write routes (``src/lib/response.ts`` of Umami 3.1.0).

``ok()``, ``notFound({...})``, ``badRequest({...})`` and ``unauthorized({...})``: an error envelope
``{"error": {"message", "code", "status"}}`` whose fields a route may override.
"""

from __future__ import annotations

from umami_transports.fake.app import Reply, json_reply
from umami_transports.fake.validation import bad_request

__all__ = ["OK", "not_found", "refuse", "unauthorized"]

OK = json_reply({"ok": True})


def not_found(message: str = "Not found", code: str = "not-found") -> Reply:
    return json_reply({"error": {"message": message, "code": code, "status": 404}}, 404)


def refuse(message: str = "Bad request") -> Reply:
    """``badRequest({message})``: a 400 without zod's tree."""
    return json_reply(bad_request(message), 400)


def unauthorized(message: str = "Unauthorized") -> Reply:
    return json_reply({"error": {"message": message, "code": "unauthorized", "status": 401}}, 401)
