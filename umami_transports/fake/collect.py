"""``POST /api/send`` and ``POST /api/batch``: validation, the bot check, ids, and what is stored.

Follows umami-server.md, "/api/send in detail" (steps 1-11) and section b, for Umami 3.1; with
``FakeUmami(batch_limit=500)``, ``/api/batch`` refuses longer arrays as newer servers do.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs

from umami_transports.fake import ids
from umami_transports.fake.app import Call, Reply, json_reply, parse_json, route
from umami_transports.fake.botcheck import is_bot
from umami_transports.fake.context import Context
from umami_transports.fake.data import DataError, checked_rows, save_session_data
from umami_transports.fake.detect import (
    ClientInfo,
    Location,
    browser_name,
    client_ip,
    device_type,
    is_local,
    location_from_headers,
    os_name,
)
from umami_transports.fake.store import (
    CUSTOM_EVENT,
    LINK_EVENT,
    PAGE_VIEW,
    PERFORMANCE,
    PIXEL_EVENT,
    Event,
    Revenue,
    Session,
    uuid_column,
)
from umami_transports.fake.validation import MISSING, Issues, bad_request, js_number, received, url_is_valid
from umami_transports.fake.weburl import decode_uri, resolve

__all__ = ["batch", "send"]

# (field, rule): the payload schema of src/app/api/send/route.ts, in its order.
_FIELDS: tuple[tuple[str, Any], ...] = (
    ("website", "uuid"), ("link", "uuid"), ("pixel", "uuid"), ("data", "record"), ("hostname", 100), ("language", 35),
    ("referrer", "url"), ("screen", 11), ("title", None), ("url", "url"), ("name", 50), ("tag", 50), ("ip", None),
    ("userAgent", None), ("timestamp", "int"), ("id", None), ("browser", None), ("os", None), ("device", None),
    ("lcp", 60000.0), ("inp", 60000.0), ("cls", 100.0), ("fcp", 60000.0), ("ttfb", 60000.0),
)  # fmt: skip
_TYPES = ("event", "identify", "performance")
_UTM = (
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_content",
    "utm_term",
    "gclid",
    "fbclid",
    "msclkid",
    "ttclid",
    "li_fat_id",
    "twclid",
)
#: PostgreSQL column widths of the session row: longer values fail the insert (an HTTP 500).
_SESSION_WIDTHS = {"browser": 20, "os": 20, "device": 20, "region": 20, "city": 50, "distinct_id": 50, "country": 2}


def validate(body: object) -> tuple[str, dict[str, Any], Issues]:
    issues = Issues()
    top = issues.object((), body)
    if top is None:
        return "", {}, issues
    kind = issues.choice(("type",), top.get("type", MISSING), _TYPES)
    payload: dict[str, Any] = {}
    raw = issues.object(("payload",), top.get("payload", MISSING))
    if raw is not None:
        before = len(issues.found)
        for name, rule in _FIELDS:
            path, value = ("payload", name), raw.get(name, MISSING)
            if rule == "uuid":
                value = issues.uuid(path, value)
            elif rule == "record":
                value = issues.record(path, value)
            elif rule == "url":
                value = issues.url(path, value)
            elif rule == "int":
                value = issues.number(path, value, integer=True)
            elif isinstance(rule, float):
                value = issues.number(path, value, minimum=0, maximum=rule)
            else:
                value = issues.string(path, value, max_length=rule)
            if value is not MISSING:
                payload[name] = value
        if len(issues.found) == before and sum(name in payload for name in ("website", "link", "pixel")) != 1:
            issues.add(("payload", "website"), "Exactly one of website, link, or pixel must be provided")
    return kind if isinstance(kind, str) else "", payload, issues


def server_error(message: str, name: str = "PrismaClientKnownRequestError") -> Reply:
    """``serverError(e)`` of /api/send: the envelope with the serialized exception."""
    error = {"name": name, "message": message, "stack": f"{name}: {message}"}
    return json_reply({"error": {"message": "Server error", "code": "server-error", "status": 500, "errorObject": error}}, 500)


@route("/api/send", "POST")
def send(ctx: Context, call: Call) -> Reply:
    try:
        return _send(ctx, call)
    except Exception as exc:  # noqa: BLE001 - the route's catch-all: serverError(e)
        return server_error(str(exc), type(exc).__name__)


def _send(ctx: Context, call: Call) -> Reply:
    kind, payload, issues = validate(parse_json(call.body))
    if issues:
        return json_reply(issues.envelope(), 400)
    website_id: str | None = payload.get("website")
    # The id as sent goes into the session id and the cache token; rows hold it as PostgreSQL does.
    sent_id: str = website_id or payload.get("pixel") or payload["link"]
    source_id = uuid_column(sent_id)
    cache: dict[str, Any] | None = None
    if website_id:
        token = call.headers.get("x-umami-cache")
        decoded = ids.jwt_decode(token, ctx.secret) if token else None
        if decoded and decoded.get("websiteId") == website_id:
            cache = decoded
        if not (cache and cache.get("websiteId")) and ctx.store.live_website(source_id) is None:
            return json_reply(bad_request("Website not found."), 400)
    info = client_info(ctx, call, payload)
    if ctx.bot_check and is_bot(info.user_agent):
        return json_reply({"beep": "boop"})
    if info.ip and _ignored(info.ip, ctx.ignore_ip):
        return json_reply({"error": {"message": "Forbidden", "code": "forbidden", "status": 403}}, 403)
    now, now_s = ctx.now(), ctx.now_seconds()
    created_at = _from_seconds(payload["timestamp"]) if payload.get("timestamp") else now
    distinct_id = payload.get("id") or None
    session_id = ids.session_id(ctx.secret, sent_id, created_at, info.ip, info.user_agent, distinct_id)
    visit_id = str(cache.get("visitId") or "") if cache else ""
    iat = int(cache.get("iat") or 0) if cache else 0
    visit_id, iat = visit_id or ids.visit_id(ctx.secret, session_id, created_at), iat or now_s
    if not payload.get("timestamp") and now_s - iat > 1800:  # a visit lasts 30 minutes from its first event
        visit_id, iat = ids.visit_id(ctx.secret, session_id, created_at), now_s
    if not (cache and cache.get("sessionId")):
        failure = _create_session(ctx, Session(
            session_id, source_id, info.browser, info.os, info.device, payload.get("screen"), payload.get("language"),
            info.location.country, info.location.region, info.location.city, distinct_id, created_at,
        ))  # fmt: skip
        if failure:
            return failure
    failure = None
    if kind == "event":
        failure = _save_event(ctx, payload, source_id, session_id, visit_id, created_at)
    elif kind == "identify" and payload.get("data"):
        session = ctx.store.sessions.get(session_id)
        (session.data if session else ctx.store.orphan_session_data.setdefault(session_id, {})).update(payload["data"])
        try:
            save_session_data(ctx.store.session_data, payload["data"], source_id, session_id, distinct_id, created_at)
        except DataError as error:
            failure = server_error(error.message, error.name)
    elif kind == "performance":
        _store(ctx, payload, source_id, session_id, visit_id, created_at, PERFORMANCE, _page(payload, keep_hash=False))
    if failure:
        return failure
    claims: dict[str, Any] = {"websiteId": website_id} if website_id else {}
    token = ids.jwt_encode({**claims, "sessionId": session_id, "visitId": visit_id, "iat": iat}, ctx.secret)
    return json_reply({"cache": token, "sessionId": session_id, "visitId": visit_id})


@route("/api/batch", "POST")
def batch(ctx: Context, call: Call) -> Reply:
    items, issues = parse_json(call.body), Issues()
    if not isinstance(items, list):
        issues.add((), f"Invalid input: expected array, received {received(items)}")
    else:
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                issues.add((index,), f"Invalid input: expected record, received {received(item)}")
        if ctx.batch_limit is not None and len(items) > ctx.batch_limit:
            # z.array(...).max(n) of newer servers: a length check runs after the items' issues.
            issues.add((), f"Too big: expected array to have <={ctx.batch_limit} items")
    if issues or not isinstance(items, list):
        return json_reply(issues.envelope(), 400)
    details: list[dict[str, Any]] = []
    cache: Any = None  # JavaScript's `cache ??= response.cache`: undefined (MISSING) after a bot's answer
    for index, item in enumerate(items):
        headers = {**call.headers, "content-type": "application/json"}
        reply = send(ctx, replace(call, body=json.dumps(item).encode(), headers=headers))
        if not 200 <= reply.status < 300:
            details.append({"index": index, "response": reply.body})
        elif cache is None or cache is MISSING:
            cache = reply.body.get("cache", MISSING)
    body: dict[str, Any] = {"size": len(items), "processed": len(items) - len(details), "errors": len(details), "details": details}
    if cache is not MISSING:
        body["cache"] = cache
    return json_reply(body)


def client_info(ctx: Context, call: Call, payload: dict[str, Any]) -> ClientInfo:
    user_agent = payload.get("userAgent") or call.headers.get("user-agent", "")
    from_payload = bool(payload.get("ip"))
    ip = payload.get("ip") or client_ip(call.headers, ctx.client_ip_header, ctx.cloud_mode) or call.client_ip
    location = Location()
    if ip and ip in ctx.locations:
        location = ctx.locations[ip]
    elif ip and not is_local(ip) and not from_payload:
        location = location_from_headers(call.headers) or location
    screen = payload.get("screen")
    return ClientInfo(
        ip, user_agent, payload.get("browser") or browser_name(user_agent), payload.get("os") or os_name(user_agent),
        payload.get("device") or device_type(user_agent, screen), location,
    )  # fmt: skip


def _ignored(ip: str, rules: tuple[str, ...]) -> bool:
    for rule in rules:
        try:
            if ip == rule or ipaddress.ip_address(ip) in ipaddress.ip_network(rule, strict=False):
                return True
        except ValueError:
            continue
    return False


def _from_seconds(seconds: int) -> datetime:
    try:
        return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=seconds)
    except OverflowError:  # PostgreSQL would store year 55000; datetime stops at 9999
        return datetime.max.replace(tzinfo=timezone.utc) if seconds > 0 else datetime.min.replace(tzinfo=timezone.utc)


def _create_session(ctx: Context, session: Session) -> Reply | None:
    """Insert the session unless it exists (first event wins); too long a value fails like PostgreSQL."""
    for column, width in _SESSION_WIDTHS.items():
        value = getattr(session, column)
        if value is not None and len(value) > width:
            return server_error(f"value too long for type character varying({width})")
    if session.id not in ctx.store.sessions:
        session.data.update(ctx.store.orphan_session_data.pop(session.id, {}))
        ctx.store.sessions[session.id] = session
    return None


def _page(payload: dict[str, Any], keep_hash: bool = True) -> dict[str, Any]:
    hostname = payload.get("hostname")
    url = payload.get("url", "undefined")
    if (hostname and not url_is_valid(f"https://{hostname}")) or not url_is_valid(url):
        raise ValueError(f"Invalid URL: {url!r}")
    parts = resolve(url, hostname or "localhost")
    path = "" if parts.path == "/undefined" else parts.path + (f"#{parts.fragment}" if keep_hash and parts.fragment else "")
    return {"url_path": decode_uri(path)[:500], "url_query": parts.query, "domain": (parts.hostname or "").removeprefix("www."),
            "query_params": parse_qs(parts.query)}  # fmt: skip


def _save_event(
    ctx: Context, payload: dict[str, Any], source_id: str, session_id: str, visit_id: str, created_at: datetime
) -> Reply | None:
    try:
        page = _page(payload)
    except ValueError as exc:
        return server_error(str(exc), "TypeError")
    event_type = (
        LINK_EVENT if "link" in payload else PIXEL_EVENT if "pixel" in payload else CUSTOM_EVENT if payload.get("name") else PAGE_VIEW
    )
    event = _store(ctx, payload, source_id, session_id, visit_id, created_at, event_type, page)
    data = payload.get("data")
    if data is not None:  # saveEvent: `if (eventData)`, so {} too (no rows)
        try:
            event.data_rows = tuple(checked_rows(data))
        except DataError as error:  # the event row stays; its data and revenue rows are not written
            return server_error(error.message, error.name)
        revenue, currency = data.get("revenue"), data.get("currency")
        amount = js_number(revenue) if revenue is not None else 0.0
        if amount > 0 and currency:
            ctx.store.revenue.append(
                Revenue(ctx.store.new_id(), source_id, session_id, event.id, event.event_name, str(currency), amount, created_at)
            )
    return None


def _store(ctx: Context, payload: dict[str, Any], source_id: str, session_id: str, visit_id: str, created_at: datetime,
           event_type: int, page: dict[str, Any]) -> Event:  # fmt: skip
    referrer_path = referrer_query = referrer_domain = None
    if payload.get("referrer") and event_type != PERFORMANCE:
        hostname = payload.get("hostname")
        ref = resolve(payload["referrer"], hostname or "localhost")
        referrer_path, referrer_query = decode_uri(ref.path), ref.query
        referrer_domain = (ref.hostname or "").removeprefix("www.") or None
    params = page["query_params"]
    title = payload.get("title")
    event = Event(
        ctx.store.new_id(), source_id, session_id, visit_id, created_at, event_type, page["url_path"], page["url_query"],
        referrer_path, referrer_query, referrer_domain, decode_uri(title, component=True)[:500] if title is not None else None,
        payload.get("hostname") or page["domain"], (payload.get("name") or None) if event_type != PERFORMANCE else None,
        payload.get("tag"), {key: params[key][0] if key in params else None for key in _UTM}, payload.get("data"), payload,
        ctx.store.next_seq(),
    )  # fmt: skip
    ctx.store.events.append(event)
    return event
