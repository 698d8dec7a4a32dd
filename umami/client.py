"""The Client: one configuration and one set of transports. The module-level functions of
``umami`` are the methods of a default Client."""

from __future__ import annotations

from umami._analytics import Analytics
from umami._authenticating import Authenticating
from umami._base import TransportLike
from umami._configuring import Configuring
from umami._limiting import Limiting
from umami._management import Management
from umami._reading import Reading
from umami._reports import Reports
from umami._sending import Sending
from umami_core import Limits

__all__ = ["Client", "TransportLike"]


class Client(Configuring, Limiting, Authenticating, Sending, Reading, Analytics, Management, Reports):
    """A client with its own configuration: several Umami servers or websites in one process.

    Every module-level function of ``umami`` is a method here with the same signature.

    Args:
        transport: How requests are sent; see set_transport(). Defaults to httpx.
        limits: The deadline, answer size and page bounds of every call; see set_limits().

    Example:
        ```python
        with umami.Client() as eu_site:
            eu_site.set_url_base('https://umami.example.eu')
            eu_site.set_website_id('978435e2-7ba1-4337-9860-ec31ece2db60')
            eu_site.set_hostname('example.eu')
            eu_site.new_page_view(page_title='Home', url='/')
        ```
    """

    def __init__(self, transport: TransportLike | None = None, *, limits: Limits | None = None) -> None:
        super().__init__(transport)
        if limits is not None:
            self._update(limits=limits)

    def __repr__(self) -> str:
        return f"umami.Client({self._config!r})"

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
        self.close()
