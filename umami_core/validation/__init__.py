"""Input checks that mirror the server's own limits, so bad input fails here, before any request.

The limits are the server's zod schema for ``/api/send`` and its PostgreSQL columns (see the server
notes, "/api/send in detail"). They are counted as the server counts them: zod's ``.max()`` counts
JavaScript string length (UTF-16 code units: an emoji is 2), PostgreSQL's ``VARCHAR(n)`` counts
characters (code points: an emoji is 1). Every function here is pure and does one check (or one
conversion); each raises ValidationError with a message that says what to do. No message quotes a
secret (password, API key, a URL's user info), and none calls ``repr()`` on an arbitrary object.
"""

from __future__ import annotations

from umami_core.validation.addresses import (
    MAX_HOSTNAME,
    MAX_QUERY_PARAMETER,
    MAX_REQUEST_URL,
    MAX_URL_BASE,
    check_default_hostname,
    check_hostname,
    check_page_url,
    check_request_url,
    check_url,
    check_url_base,
)
from umami_core.validation.event_data import (
    MAX_DATA_DEPTH,
    MAX_DATA_NUMBER,
    MAX_DATA_TEXT,
    check_currency,
    check_custom_data,
    check_revenue,
    check_revenue_data,
)
from umami_core.validation.stats import check_date_range, check_filter, require_datetime
from umami_core.validation.text import (
    MAX_DISTINCT_ID,
    MAX_EVENT_NAME,
    MAX_LANGUAGE,
    MAX_SCREEN,
    MAX_USER_AGENT,
    check_api_key,
    check_credentials,
    check_decoded_text,
    check_default_website_id,
    check_encodable,
    check_event_name,
    check_field,
    check_ip_address,
    check_length,
    check_optional_string,
    check_region,
    check_stored_text,
    check_string,
    check_title,
    check_two_factor_code,
    check_user_agent,
    describe,
    js_length,
    normalize_distinct_id,
    require_website_id,
)

__all__ = [
    "MAX_DATA_DEPTH",
    "MAX_DATA_NUMBER",
    "MAX_DATA_TEXT",
    "MAX_DISTINCT_ID",
    "MAX_EVENT_NAME",
    "MAX_HOSTNAME",
    "MAX_LANGUAGE",
    "MAX_QUERY_PARAMETER",
    "MAX_REQUEST_URL",
    "MAX_SCREEN",
    "MAX_URL_BASE",
    "MAX_USER_AGENT",
    "check_api_key",
    "check_credentials",
    "check_currency",
    "check_custom_data",
    "check_date_range",
    "check_decoded_text",
    "check_default_hostname",
    "check_default_website_id",
    "check_encodable",
    "check_event_name",
    "check_field",
    "check_filter",
    "check_hostname",
    "check_ip_address",
    "check_length",
    "check_optional_string",
    "check_page_url",
    "check_region",
    "check_request_url",
    "check_revenue",
    "check_revenue_data",
    "check_stored_text",
    "check_string",
    "check_title",
    "check_two_factor_code",
    "check_url",
    "check_url_base",
    "check_user_agent",
    "describe",
    "js_length",
    "normalize_distinct_id",
    "require_datetime",
    "require_website_id",
]
