"""The exceptions of the umami client, in one tree.

::

    UmamiError                      anything this library raises on purpose
    ├── ValidationError             bad input, raised before any request exists
    │   └── OperationNotAllowedError    missing state: no url base, no login, login in Cloud mode
    ├── APIError                    the server answered with a non-2xx status
    │                               (with the httpx adapter also an httpx.HTTPStatusError)
    ├── UnexpectedResponseError     a 2xx answer whose body is not what the API promises
    ├── TwoFactorRequiredError      the account needs a second factor, which login() cannot give
    └── TransportError              the request did not complete (refused, reset, DNS, TLS)
        └── TransportTimeoutError   ... or took longer than the configured timeout
                                    (with the httpx adapter also the matching httpx exception)

No message, repr or attribute of these exceptions carries a login token, an API key or a
password, and every one of them pickles (for process pools and task queues).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from umami_core.http import Request, Response

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


class UmamiError(Exception):
    """Base of every exception this library raises on purpose."""


class ValidationError(UmamiError):
    """Base exception raised when an input or argument fails validation.

    The SDK raises this (or its subclass OperationNotAllowedError) for invalid or malformed
    inputs before any network request is made. Examples include an empty or non-HTTP url_base,
    an invalid distinct_id, a negative or non-numeric revenue amount, an empty currency, empty
    login credentials, and an invalid Cloud API key or region. Because OperationNotAllowedError
    subclasses this type, catching ValidationError also catches missing-state errors.
    """


class OperationNotAllowedError(ValidationError):
    """Raised when the SDK is missing required state for an operation.

    A subclass of ValidationError. It signals that prerequisite configuration has not been
    completed, for example calling an operation before set_url_base() in self-hosted mode,
    querying data before login(), or calling login() while a Cloud API key is configured.
    Resolve it by calling the appropriate setup function first: set_url_base() and login() for
    self-hosted mode, or set_cloud_api_key() for Umami Cloud.
    """


class APIError(UmamiError):
    """The Umami server answered with a non-2xx status.

    Attributes:
        status_code: The HTTP status code.
        message: The server's message from its ``{"error": {"message": ...}}`` envelope, or a
            short description of the body when there is no envelope (HTML page, empty body).
        code: The server's machine-readable code (``"unauthorized"``, ``"bad-request"``...), or None.
        details: The server's validation details, e.g. ``["payload.website: Invalid UUID"]``.
        body: The decoded JSON body, or None when the body was not JSON.
        method: The HTTP method of the request that failed.
        url: The URL of the request that failed (URLs never carry credentials).
        umami_response: The answer as the core saw it (status, headers, body).
        umami_request: The request that failed, without its credentials and without its body.
    """

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        code: str | None = None,
        details: tuple[str, ...] = (),
        body: Any = None,
        method: str = "",
        url: str = "",
        response: Response | None = None,
        request: Request | None = None,
    ) -> None:
        self.status_code = status_code
        self.message = message
        self.code = code
        self.details = details
        self.body = body
        self.method = method
        self.url = url
        self.umami_response = response
        self.umami_request = request
        # Exception.__init__ by name: adapters mix this class with their library's status error,
        # whose __init__ takes other arguments and is called by the adapter itself.
        Exception.__init__(self, self._describe())

    def copy_from(self, error: APIError) -> None:
        """Take over every attribute of ``error``: how adapters build their library-flavoured twin."""
        self.__dict__.update(error.__dict__)
        Exception.__init__(self, self._describe())

    def _describe(self) -> str:
        code = f" ({self.code})" if self.code else ""
        details = f": {'; '.join(self.details)}" if self.details else ""
        return f"Umami answered {self.status_code} to {self.method} {self.url}: {self.message}{code}{details}"

    def __str__(self) -> str:
        return self._describe()

    def __reduce__(self) -> tuple[Any, ...]:
        # The default would call cls(message), which our keyword arguments (and the library twins'
        # constructors) do not take: rebuild from the attributes instead.
        return (_rebuild_api_error, (type(self), self._picklable_state()))

    def _picklable_state(self) -> dict[str, Any]:
        """The attributes that survive pickling (adapters drop what their library cannot pickle)."""
        return dict(self.__dict__)


def _rebuild_api_error(cls: type[APIError], state: dict[str, Any]) -> APIError:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    Exception.__init__(error, error._describe())
    return error


class UnexpectedResponseError(UmamiError):
    """A 2xx answer whose body is not what the Umami API promises (not JSON, wrong shape)."""


class TwoFactorRequiredError(UmamiError):
    """The account has two-factor authentication enabled.

    The server answered the login with ``{"partialToken": ..., "requiresTwoFactor": true}``.
    login() cannot complete a two-factor login; use an account without 2FA for API access.
    """


class TransportError(UmamiError):
    """The request did not complete: connection refused or reset, DNS or TLS failure.

    With the httpx adapter the raised exception is also the httpx exception it maps from
    (``httpx.ConnectError``...), so ``except httpx.TransportError`` keeps working.
    """


class TransportTimeoutError(TransportError):
    """The server did not answer within the configured timeout."""
