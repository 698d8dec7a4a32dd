"""What every route handler sees: the store, the clock, the secrets and the server's settings."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property

from umami_transports.fake import ids
from umami_transports.fake.detect import Location
from umami_transports.fake.store import Store

__all__ = ["Clock", "Context", "system_clock"]

#: A clock returns the current time as an aware datetime.
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Context:
    """The server's state and settings (the environment variables of a real Umami).

    Attributes:
        store: The tables.
        clock: The server clock.
        app_secret: APP_SECRET: session ids, visit ids and cache tokens depend on it.
        bot_check: False is DISABLE_BOT_CHECK.
        client_ip_header: CLIENT_IP_HEADER: a header read before the usual proxy headers.
        ignore_ip: IGNORE_IP: addresses or CIDR ranges whose sends are refused with 403.
        locations: IP address -> Location, standing in for the GeoIP database.
        cloud_mode: CLOUD_MODE: the ``x-umami-client-ip`` header counts, verify adds subscription info.
        batch_limit: The most items ``/api/batch`` takes (newer servers: 500); None for no limit (3.1).
    """

    store: Store
    clock: Clock = system_clock
    app_secret: str = "fake-umami-secret"
    bot_check: bool = True
    client_ip_header: str | None = None
    ignore_ip: tuple[str, ...] = ()
    locations: Mapping[str, Location] = field(default_factory=dict)
    cloud_mode: bool = False
    batch_limit: int | None = None
    token_key: str = field(default_factory=lambda: secrets.token_hex(32), repr=False)

    @cached_property
    def secret(self) -> str:
        """Umami's ``secret()``: what ids and the cache token are salted and signed with."""
        return ids.secret(self.app_secret)

    def now(self) -> datetime:
        """The clock's time in UTC, to the millisecond (a JavaScript Date)."""
        moment = self.clock()
        if moment.tzinfo is None:
            raise ValueError("The fake Umami's clock must return an aware datetime (with a tzinfo).")
        moment = moment.astimezone(timezone.utc)
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)

    def now_seconds(self) -> int:
        return int(self.now().timestamp())
