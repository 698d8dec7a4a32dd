"""The configuration as an immutable value: where to send, which website, which credential.

Every change returns a new Config (``dataclasses.replace``), so a flow always sees one
consistent configuration even if another thread reconfigures the client meanwhile.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace

from umami_core.body import ACCEPT_ENCODING
from umami_core.errors import OperationNotAllowedError
from umami_core.http import build_url, origin
from umami_core.limits import Limits
from umami_core.validation import check_api_key, check_region, check_url_base

__all__ = [
    "BROWSER_USER_AGENT",
    "CLOUD_API_URL",
    "CLOUD_SEND_URL",
    "SDK_USER_AGENT",
    "Config",
]

__version__ = "0.1.0"

# https://umami.is/docs/cloud/api-key: the Cloud data API; a region adds /us or /eu.
CLOUD_API_URL = "https://api.umami.is/v1"
# https://umami.is/docs/api/sending-stats: Cloud ingestion, never authenticated.
CLOUD_SEND_URL = "https://cloud.umami.is/api/send"

#: Sent with page views and events: Umami drops events from bot-like agents (``python-httpx/...``).
BROWSER_USER_AGENT = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/142.0.0.0 Safari/537.36"
)
#: Sent with data and auth calls, so the server's logs say who called.
SDK_USER_AGENT = (
    f"umami-python/{__version__} (Python {'.'.join(map(str, sys.version_info[:3]))}; {sys.platform}; +https://umami.is)"
)


def _secret(value: str | None) -> str:
    return "None" if value is None else "'***'"


@dataclass(frozen=True)
class Config:
    """Everything a flow needs to know to build its requests.

    Attributes:
        url_base: Root URL of a self-hosted Umami, without ``/api`` (self-hosted mode).
        website_id: Default website for sends and stats.
        hostname: Default hostname for sends.
        token: Login token from login() (self-hosted mode).
        token_origin: The server that issued the token, as ``(scheme, host, port)``: the token is
            sent there only, never to another url_base set later.
        token_kind: ``"login"`` (from login()) or ``"api-key"`` (a self-hosted API key, Umami 3.4+).
        api_key: Umami Cloud API key; its presence selects Cloud mode.
        region: ``"us"``, ``"eu"`` or None, the Cloud data region.
        tracking_enabled: False after disable(): sends validate, then return ``{}``.
        cloud_api_url: Base of the Cloud data API (override only for proxies and tests).
        cloud_send_url: The Cloud ingestion URL (override only for proxies and tests).
        user_agent: User-Agent of data and auth calls.
        limits: The deadline, answer size and page bounds of every call.
    """

    url_base: str | None = None
    website_id: str | None = None
    hostname: str | None = None
    token: str | None = field(default=None, repr=False)
    token_origin: tuple[str, str, int | None] | None = None
    token_kind: str = field(default="login", repr=False)
    api_key: str | None = field(default=None, repr=False)
    region: str | None = None
    tracking_enabled: bool = True
    cloud_api_url: str = CLOUD_API_URL
    cloud_send_url: str = CLOUD_SEND_URL
    user_agent: str = SDK_USER_AGENT
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        # A token given without its server belongs to the url_base it is given with.
        if self.token is not None and self.token_origin is None and self.url_base is not None:
            object.__setattr__(self, "token_origin", origin(self.url_base))

    def __repr__(self) -> str:
        # Credentials are shown only as present or absent.
        return (
            f"Config(url_base={self.url_base!r}, website_id={self.website_id!r}, hostname={self.hostname!r}, "
            f"token={_secret(self.token)}, api_key={_secret(self.api_key)}, region={self.region!r}, "
            f"tracking_enabled={self.tracking_enabled!r})"
        )

    # -- changes -------------------------------------------------------------------------------

    def with_url_base(self, url: str) -> Config:
        """This config with ``url`` (checked by :func:`~umami_core.validation.check_url_base`) as its URL base."""
        return replace(self, url_base=check_url_base(url))

    def with_cloud_api_key(self, key: str, region: str | None) -> Config:
        """This config in Cloud mode with ``key`` (stripped; printable ASCII) and ``region``; no message quotes the key."""
        return replace(self, api_key=check_api_key(key), region=check_region(region))

    def without_cloud_api_key(self) -> Config:
        return replace(self, api_key=None, region=None)

    # -- state checks --------------------------------------------------------------------------

    @property
    def is_cloud(self) -> bool:
        """Cloud mode is on exactly while an API key is set."""
        return self.api_key is not None

    @property
    def has_credential(self) -> bool:
        return self.api_key is not None or self.usable_token is not None

    @property
    def usable_token(self) -> str | None:
        """The login token, if it was issued by the server at url_base (a token stays with its server)."""
        if self.token is None or self.url_base is None or self.token_origin != origin(self.url_base):
            return None
        return self.token

    def with_token(self, token: str, issued_by: Config, kind: str = "login") -> Config:
        """This config holding ``token``, which the server at ``issued_by.url_base`` issued."""
        if issued_by.url_base is None:
            raise OperationNotAllowedError("A token can only come from a server set with set_url_base().")
        return replace(self, token=token, token_origin=origin(issued_by.url_base), token_kind=kind)

    def with_api_key(self, key: str) -> Config:
        """This config holding a self-hosted API key (Umami 3.4+) for the server at url_base: sent as
        ``Authorization: Bearer``, like a login token, and to that server only."""
        if self.is_cloud:
            raise OperationNotAllowedError(
                "Cloud mode is on: an Umami Cloud key goes to set_cloud_api_key(); call clear_cloud_api_key() first."
            )
        if self.url_base is None:
            raise OperationNotAllowedError(
                "Set the URL base of your Umami with set_url_base() before set_api_key(): a key belongs to one server."
            )
        return self.with_token(check_api_key(key), self, "api-key")

    def require_server(self) -> None:
        if self.url_base is None and not self.is_cloud:
            raise OperationNotAllowedError("Set a URL base with set_url_base() or call set_cloud_api_key() first.")

    def require_credential(self) -> None:
        self.require_server()
        if not self.has_credential:
            if self.token is not None and self.token_origin is not None:
                scheme, host, port = self.token_origin
                raise OperationNotAllowedError(
                    f"The login token was issued by {scheme}://{host}:{port}, not by {self.url_base}: a token is only sent to "
                    "its own server. Call login() for this one."
                )
            raise OperationNotAllowedError("Call login() or set_cloud_api_key() before reading data.")

    # -- addresses and headers -----------------------------------------------------------------

    def data_url(self, path: str, query: dict[str, str | int] | None = None) -> str:
        """URL of a data or auth endpoint; ``path`` is the self-hosted path without ``/api``."""
        if self.is_cloud:
            region = f"/{self.region}" if self.region else ""
            return build_url(f"{self.cloud_api_url}{region}", path, query)
        self.require_server()
        return build_url(f"{self.url_base}/api", path, query)

    def send_url(self) -> str:
        if self.is_cloud:
            return self.cloud_send_url
        self.require_server()
        return f"{self.url_base}/api/send"

    def batch_url(self) -> str:
        """``/api/batch`` beside ``/api/send`` (Umami 2.17+; never authenticated either)."""
        return self.send_url().rsplit("/", 1)[0] + "/batch"

    def data_headers(self, *, authenticated: bool = True) -> dict[str, str]:
        headers = {"User-Agent": self.user_agent, "Accept": "application/json", "Accept-Encoding": ACCEPT_ENCODING}
        if not authenticated:
            return headers
        if self.api_key is not None:
            headers["x-umami-api-key"] = self.api_key
        else:
            token = self.usable_token
            if token is not None:
                headers["Authorization"] = f"Bearer {token}"
        return headers

    def send_headers(self, user_agent: str) -> dict[str, str]:
        # /api/send needs no credential, so none is sent (the incumbent sends 'Bearer None').
        return {"User-Agent": user_agent, "Accept": "application/json", "Accept-Encoding": ACCEPT_ENCODING}
