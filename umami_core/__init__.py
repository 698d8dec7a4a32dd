"""The pure core of the umami client: configuration, validation, request building, response
parsing, models and errors. It does no I/O.

Each operation is a *flow*, a generator that yields :class:`Request` values and is sent the
:class:`Response` for each; its return value is the operation's result. Run a flow with
``umami_transports.run`` / ``arun``, or with any loop of your own::

    flow = umami_core.heartbeat(config)
    request = next(flow)
    while True:
        response = my_http_call(request)          # anything that moves bytes
        try:
            request = flow.send(response)
        except StopIteration as done:
            result = done.value
            break
"""

from typing import TYPE_CHECKING, Any

from umami_core.auth import heartbeat, login, verify_token
from umami_core.config import BROWSER_USER_AGENT, CLOUD_API_URL, CLOUD_SEND_URL, SDK_USER_AGENT, Config, __version__
from umami_core.errors import (
    APIError,
    OperationNotAllowedError,
    TransportError,
    TransportTimeoutError,
    TwoFactorRequiredError,
    UmamiError,
    UnexpectedResponseError,
    ValidationError,
)
from umami_core.exchange import Flow
from umami_core.http import Request, Response
from umami_core.limits import DEFAULT_DEADLINE, DEFAULT_MAX_BODY, DEFAULT_MAX_PAGES, Limits
from umami_core.reading import active_users, website_stats, websites
from umami_core.sending import new_event, new_page_view, new_revenue_event

#: The pydantic models, imported on first use: building them is most of what importing costs.
_MODELS = frozenset({"LoginResponse", "User", "Website", "WebsiteStats", "WebsiteStatsCmp", "WebsiteUser", "WebsitesResponse"})

if TYPE_CHECKING:
    from umami_core.models import LoginResponse, User, Website, WebsitesResponse, WebsiteStats, WebsiteStatsCmp, WebsiteUser
    from umami_core.operations import OPERATIONS, Operation
    from umami_core.operations import call as call_operation


#: The contract's operations, loaded on first use too (a table of 166).
_OPERATIONS = {"OPERATIONS": "OPERATIONS", "Operation": "Operation", "call_operation": "call"}


def __getattr__(name: str) -> Any:
    if name in _MODELS:
        from umami_core import models

        return getattr(models, name)
    if name in _OPERATIONS:
        from umami_core import operations

        return getattr(operations, _OPERATIONS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BROWSER_USER_AGENT",
    "CLOUD_API_URL",
    "CLOUD_SEND_URL",
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_BODY",
    "DEFAULT_MAX_PAGES",
    "OPERATIONS",
    "SDK_USER_AGENT",
    "APIError",
    "Config",
    "Flow",
    "Limits",
    "LoginResponse",
    "Operation",
    "OperationNotAllowedError",
    "Request",
    "Response",
    "TransportError",
    "TransportTimeoutError",
    "TwoFactorRequiredError",
    "UmamiError",
    "UnexpectedResponseError",
    "User",
    "ValidationError",
    "Website",
    "WebsiteStats",
    "WebsiteStatsCmp",
    "WebsiteUser",
    "WebsitesResponse",
    "__version__",
    "active_users",
    "call_operation",
    "heartbeat",
    "login",
    "new_event",
    "new_page_view",
    "new_revenue_event",
    "verify_token",
    "website_stats",
    "websites",
]
