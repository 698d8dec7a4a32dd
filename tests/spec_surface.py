"""The public API as the spec (the user's public-api.md) states it, written out once as data.

Every function's parameters in order, each with its kind and default (REQUIRED when it has none), and
every model's fields in order. tests/test_surface.py compares the library against this table. The spec
gives every function's parameters as plain positional-or-keyword ones, and the models' as keyword-only.
Change this file only when the spec changes.
"""

from __future__ import annotations

import inspect
from typing import Any, NamedTuple

REQUIRED: Any = inspect.Parameter.empty
POSITIONAL_OR_KEYWORD = inspect.Parameter.POSITIONAL_OR_KEYWORD


class Param(NamedTuple):
    name: str
    default: Any = REQUIRED
    kind: inspect._ParameterKind = POSITIONAL_OR_KEYWORD


#: The browser User-Agent the spec gives as new_page_view's default ``ua``.
SPEC_UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36"

FUNCTIONS: dict[str, tuple[Param, ...]] = {
    "set_url_base": (Param("url"),),
    "set_website_id": (Param("website_id"),),
    "set_hostname": (Param("hostname"),),
    "set_cloud_api_key": (Param("key"), Param("region", None)),
    "clear_cloud_api_key": (),
    "enable": (),
    "disable": (),
    "login": (Param("username"), Param("password")),
    "login_async": (Param("username"), Param("password")),
    "is_logged_in": (),
    "verify_token": (Param("check_server", True),),
    "verify_token_async": (Param("check_server", True),),
    "new_event": (
        Param("event_name"), Param("hostname", None), Param("url", "/"), Param("website_id", None), Param("title", None),
        Param("custom_data", None), Param("referrer", ""), Param("language", "en-US"), Param("screen", "1920x1080"),
        Param("ip_address", None), Param("distinct_id", None),
    ),
    "new_event_async": (
        Param("event_name"), Param("hostname", None), Param("url", "/"), Param("website_id", None), Param("title", None),
        Param("custom_data", None), Param("referrer", ""), Param("language", "en-US"), Param("screen", "1920x1080"),
        Param("ip_address", None), Param("distinct_id", None),
    ),
    "new_revenue_event": (
        Param("revenue"), Param("currency", "USD"), Param("event_name", "revenue"), Param("hostname", None), Param("url", "/"),
        Param("website_id", None), Param("title", None), Param("custom_data", None), Param("referrer", ""),
        Param("language", "en-US"), Param("screen", "1920x1080"), Param("ip_address", None), Param("distinct_id", None),
    ),
    "new_revenue_event_async": (
        Param("revenue"), Param("currency", "USD"), Param("event_name", "revenue"), Param("hostname", None), Param("url", "/"),
        Param("website_id", None), Param("title", None), Param("custom_data", None), Param("referrer", ""),
        Param("language", "en-US"), Param("screen", "1920x1080"), Param("ip_address", None), Param("distinct_id", None),
    ),
    "new_page_view": (
        Param("page_title"), Param("url"), Param("hostname", None), Param("website_id", None), Param("referrer", ""),
        Param("language", "en-US"), Param("screen", "1920x1080"), Param("ua", SPEC_UA), Param("ip_address", None),
        Param("distinct_id", None),
    ),
    "new_page_view_async": (
        Param("page_title"), Param("url"), Param("hostname", None), Param("website_id", None), Param("referrer", ""),
        Param("language", "en-US"), Param("screen", "1920x1080"), Param("ua", SPEC_UA), Param("ip_address", None),
        Param("distinct_id", None),
    ),
    "websites": (),
    "websites_async": (),
    "website_stats": (
        Param("start_at"), Param("end_at"), Param("website_id", None), Param("url", None), Param("referrer", None),
        Param("title", None), Param("query", None), Param("event", None), Param("host", None), Param("os", None),
        Param("browser", None), Param("device", None), Param("country", None), Param("region", None), Param("city", None),
    ),
    "website_stats_async": (
        Param("start_at"), Param("end_at"), Param("website_id", None), Param("url", None), Param("referrer", None),
        Param("title", None), Param("query", None), Param("event", None), Param("host", None), Param("os", None),
        Param("browser", None), Param("device", None), Param("country", None), Param("region", None), Param("city", None),
    ),
    "active_users": (Param("website_id", None),),
    "active_users_async": (Param("website_id", None),),
    "heartbeat": (),
    "heartbeat_async": (),
}  # fmt: skip

MODELS: dict[str, tuple[str, ...]] = {
    "WebsitesResponse": ("data", "count", "page", "pageSize", "orderBy"),
    "Website": (
        "id", "name", "domain", "shareId", "resetAt", "userId", "createdAt", "updatedAt", "deletedAt", "teamId", "user",
        "createUser",
    ),
    "WebsiteStats": ("pageviews", "visitors", "visits", "bounces", "totaltime", "comparison"),
    "WebsiteStatsCmp": ("pageviews", "visitors", "visits", "bounces", "totaltime"),
    "LoginResponse": ("token", "user"),
    "User": ("id", "username", "role", "createdAt", "isAdmin"),
    "WebsiteUser": ("username", "id"),
}  # fmt: skip
