"""The exceptions of the umami client (defined in ``umami_core.errors``, whose docstring draws the tree).

``ValidationError`` and its subclass ``OperationNotAllowedError`` are raised before any request.
``APIError`` is raised for a non-2xx answer; with the default httpx transport it is also an
``httpx.HTTPStatusError``. ``TransportError`` is raised when Umami cannot be reached or does not
answer in time; with httpx it is also the matching ``httpx`` exception.
"""

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

__all__ = [
    "APIError",
    "OperationNotAllowedError",
    "TransportError",
    "TransportTimeoutError",
    "TwoFactorRequiredError",
    "UmamiError",
    "UnexpectedResponseError",
    "ValidationError",
]
