"""Python client for Umami (https://umami.is): send page views, custom events and revenue from
the server side, and read your numbers back.

The API is a set of module-level functions, as in the ``umami-analytics`` package, each with an
``_async`` twin of the same signature. They are the methods of a default :class:`Client`; create
more Clients for several Umami servers or websites in one process.

Example:
    ```python
    import umami

    umami.set_url_base('https://umami.example.com')
    umami.set_website_id('978435e2-7ba1-4337-9860-ec31ece2db60')
    umami.set_hostname('example.com')
    umami.new_event(event_name='checkout-completed', url='/checkout', custom_data={'plan': 'pro'})

    umami.login(username, password)
    print(umami.active_users())
    ```

Two modes: self-hosted (set_url_base() then login()) and Umami Cloud (set_cloud_api_key()).
Requests go over httpx by default; set_transport() picks another transport or your own
configured ``httpx.Client``.
"""

from typing import TYPE_CHECKING, Any

from umami import errors, urls
from umami._delivery.records import DeliveryStats, Flushed, Undelivered
from umami.client import Client, TransportLike
from umami.errors import OperationNotAllowedError, ValidationError
from umami_core import SDK_USER_AGENT, Limits, __version__
from umami_core.batching import RetryPolicy

if TYPE_CHECKING:
    from umami import analytics, models


def __getattr__(name: str) -> Any:
    # umami.models loads pydantic and builds the models: only when asked for, not at import.
    if name == "models":
        import umami.models

        return umami.models
    if name == "analytics":
        import umami.analytics

        return umami.analytics
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: The User-Agent of data and auth calls (sends use a browser User-Agent).
user_agent = SDK_USER_AGENT

_default = Client()


def default_client() -> Client:
    """The Client behind the module-level functions."""
    return _default


# The documented functions are the default client's methods: one implementation, and the exact
# signatures, docstrings and types of the methods.
set_url_base = _default.set_url_base
set_website_id = _default.set_website_id
set_hostname = _default.set_hostname
set_cloud_api_key = _default.set_cloud_api_key
set_api_key = _default.set_api_key
clear_cloud_api_key = _default.clear_cloud_api_key
enable = _default.enable
disable = _default.disable
is_logged_in = _default.is_logged_in
reset = _default.reset
set_transport = _default.set_transport
set_limits = _default.set_limits
close = _default.close
aclose = _default.aclose
enable_background_sending = _default.enable_background_sending
disable_background_sending = _default.disable_background_sending
flush = _default.flush
flush_async = _default.flush_async
shutdown = _default.shutdown
delivery_stats = _default.delivery_stats
call = _default.call
call_async = _default.call_async
iterate = _default.iterate
iterate_async = _default.iterate_async
metrics = _default.metrics
metrics_async = _default.metrics_async
pageview_series = _default.pageview_series
pageview_series_async = _default.pageview_series_async
events = _default.events
events_async = _default.events_async
sessions = _default.sessions
sessions_async = _default.sessions_async
realtime = _default.realtime
realtime_async = _default.realtime_async
date_range = _default.date_range
date_range_async = _default.date_range_async
expanded_metrics = _default.expanded_metrics
expanded_metrics_async = _default.expanded_metrics_async
event_series = _default.event_series
event_series_async = _default.event_series_async
session_stats = _default.session_stats
session_stats_async = _default.session_stats_async
weekly_sessions = _default.weekly_sessions
weekly_sessions_async = _default.weekly_sessions_async
session = _default.session
session_async = _default.session_async
session_activity = _default.session_activity
session_activity_async = _default.session_activity_async
session_properties = _default.session_properties
session_properties_async = _default.session_properties_async
session_data_properties = _default.session_data_properties
session_data_properties_async = _default.session_data_properties_async
session_data_values = _default.session_data_values
session_data_values_async = _default.session_data_values_async
event_data_properties = _default.event_data_properties
event_data_properties_async = _default.event_data_properties_async
event_data_values = _default.event_data_values
event_data_values_async = _default.event_data_values_async
event_data_stats = _default.event_data_stats
event_data_stats_async = _default.event_data_stats_async
login = _default.login
login_async = _default.login_async
verify_token = _default.verify_token
verify_token_async = _default.verify_token_async
heartbeat = _default.heartbeat
heartbeat_async = _default.heartbeat_async
new_event = _default.new_event
new_event_async = _default.new_event_async
new_revenue_event = _default.new_revenue_event
new_revenue_event_async = _default.new_revenue_event_async
new_page_view = _default.new_page_view
new_page_view_async = _default.new_page_view_async
identify = _default.identify
identify_async = _default.identify_async
websites = _default.websites
websites_async = _default.websites_async
website_stats = _default.website_stats
website_stats_async = _default.website_stats_async
active_users = _default.active_users
active_users_async = _default.active_users_async

__all__ = [
    "Client",
    "DeliveryStats",
    "Flushed",
    "Limits",
    "OperationNotAllowedError",
    "RetryPolicy",
    "TransportLike",
    "Undelivered",
    "ValidationError",
    "__version__",
    "aclose",
    "active_users",
    "active_users_async",
    "analytics",
    "call",
    "call_async",
    "clear_cloud_api_key",
    "close",
    "date_range",
    "date_range_async",
    "default_client",
    "delivery_stats",
    "disable",
    "disable_background_sending",
    "enable",
    "enable_background_sending",
    "errors",
    "event_data_properties",
    "event_data_properties_async",
    "event_data_stats",
    "event_data_stats_async",
    "event_data_values",
    "event_data_values_async",
    "event_series",
    "event_series_async",
    "events",
    "events_async",
    "expanded_metrics",
    "expanded_metrics_async",
    "flush",
    "flush_async",
    "heartbeat",
    "heartbeat_async",
    "identify",
    "identify_async",
    "is_logged_in",
    "iterate",
    "iterate_async",
    "login",
    "login_async",
    "metrics",
    "metrics_async",
    "models",
    "new_event",
    "new_event_async",
    "new_page_view",
    "new_page_view_async",
    "new_revenue_event",
    "new_revenue_event_async",
    "pageview_series",
    "pageview_series_async",
    "realtime",
    "realtime_async",
    "reset",
    "session",
    "session_activity",
    "session_activity_async",
    "session_async",
    "session_data_properties",
    "session_data_properties_async",
    "session_data_values",
    "session_data_values_async",
    "session_properties",
    "session_properties_async",
    "session_stats",
    "session_stats_async",
    "sessions",
    "sessions_async",
    "set_api_key",
    "set_cloud_api_key",
    "set_hostname",
    "set_limits",
    "set_transport",
    "set_url_base",
    "set_website_id",
    "shutdown",
    "urls",
    "user_agent",
    "verify_token",
    "verify_token_async",
    "website_stats",
    "website_stats_async",
    "websites",
    "websites_async",
    "weekly_sessions",
    "weekly_sessions_async",
]
