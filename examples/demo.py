"""The umami client in one run: simulated visitors browse a shop, then the numbers are read back.

    python examples/demo.py

By default the demo starts an embedded fake Umami (``umami_transports.fake``) on 127.0.0.1 and
talks to it over HTTP exactly as it would to a real server; its clock is simulated, so the visits
spread over the last half hour. To run the same demo against your own Umami, set:

    UMAMI_URL          the base URL of your Umami, without /api (e.g. https://analytics.example.com)
    UMAMI_USERNAME     a user who may view the website
    UMAMI_PASSWORD     that user's password
    UMAMI_WEBSITE_ID   the UUID of the website to send to and read from

Against a real server everything happens now, so every visitor is still "active".
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import os
import sys
from dataclasses import dataclass, field
from typing import Any

import umami
from umami_core import Request
from umami_core.exchange import exchange_json
from umami_transports import HttpxTransport, run
from umami_transports.fake import FakeServer, FakeUmami, ManualClock

CHROME_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36"
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0"
)


@dataclass
class Visitor:
    """One simulated visitor: the pages seen (path, title, seconds spent), events, maybe a purchase."""

    name: str
    device: str
    ip: str
    user_agent: str
    language: str
    screen: str
    referrer: str
    pages: list[tuple[str, str, int]]
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    purchase: tuple[float, str] | None = None

    @property
    def distinct_id(self) -> str:
        # One id per visitor keeps page views and events in one session, whatever User-Agent each send has.
        return f"demo-{self.name.lower()}"


VISITORS = [
    Visitor("Ada", "Chrome on macOS", "203.0.113.10", CHROME_MAC, "en-GB", "1440x900", "https://www.google.com/search?q=espresso+machine",
            [("/", "Home", 40), ("/products/espresso", "Espresso machine", 95), ("/checkout", "Checkout", 30)],
            [("add-to-cart", {"sku": "ESP-1", "price": 249.0})], (249.0, "EUR")),
    Visitor("Ben", "Firefox on Linux", "198.51.100.23", FIREFOX_LINUX, "de-DE", "1920x1080", "https://news.ycombinator.com/",
            [("/blog/launch", "We launched", 120), ("/", "Home", 25)], [("newsletter-signup", {"source": "blog"})]),
    Visitor("Chloé", "Safari on iPhone", "192.0.2.77", SAFARI_IPHONE, "fr-FR", "390x844", "https://t.co/x7Qa",
            [("/products/grinder", "Coffee grinder", 70), ("/", "Home", 20), ("/checkout", "Checkout", 25)],
            [("add-to-cart", {"sku": "GRD-2", "price": 89.9})], (89.9, "EUR")),
    Visitor("Dan", "Edge on Windows", "203.0.113.99", EDGE_WINDOWS, "en-US", "2560x1440", "", [("/", "Home", 10)]),
]  # fmt: skip
#: Minutes of quiet before each visitor arrives (only the embedded Umami's clock can be moved).
ARRIVALS = [0, 7, 9, 4]


@dataclass
class Stage:
    """Where the demo runs: a real Umami from the environment, or the embedded fake."""

    url: str
    username: str
    password: str
    website_id: str
    server: FakeServer | None = None
    clock: ManualClock | None = None

    @classmethod
    def choose(cls) -> Stage:
        names = ("UMAMI_URL", "UMAMI_USERNAME", "UMAMI_PASSWORD", "UMAMI_WEBSITE_ID")
        if os.environ.get("UMAMI_URL"):
            missing = [name for name in names if not os.environ.get(name)]
            if missing:
                sys.exit(f"UMAMI_URL is set, so the demo talks to your Umami; it also needs {', '.join(missing)}.")
            return cls(*(os.environ[name] for name in names))
        # Simulated time: the visits fill the first half hour of the last whole hour that has room for them.
        start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=sum(ARRIVALS) + 8)
        clock = ManualClock(start.replace(minute=0, second=0, microsecond=0))
        fake = FakeUmami(clock=clock, website_name="Demo coffee shop", website_domain="coffee.example")
        server = FakeServer(fake).start()
        return cls(server.url, fake.username, fake.password, fake.website_id, server, clock)

    def wait(self, minutes: float = 0, seconds: float = 0) -> None:
        """Let simulated time pass (on the embedded Umami; a real server runs on real time)."""
        if self.clock is not None:
            self.clock.advance(minutes=minutes, seconds=seconds)

    def describe(self) -> str:
        if self.server is not None:
            return f"embedded fake Umami at {self.url} (login {self.username} / {self.password})"
        return f"your Umami at {self.url} (as {self.username})"


def visit(stage: Stage, visitor: Visitor) -> None:
    """A visit with the sync API: page views with the visitor's browser, then events and a purchase."""
    referrer = visitor.referrer
    for path, title, seconds in visitor.pages:
        umami.new_page_view(title, path, referrer=referrer, language=visitor.language, screen=visitor.screen, ua=visitor.user_agent,
                            ip_address=visitor.ip, distinct_id=visitor.distinct_id)  # fmt: skip
        referrer = ""  # later pages come from inside the shop
        stage.wait(seconds=seconds)
    for name, data in visitor.events:
        umami.new_event(name, url=visitor.pages[-1][0], custom_data=data, ip_address=visitor.ip, distinct_id=visitor.distinct_id)
    if visitor.purchase:
        amount, currency = visitor.purchase
        umami.new_revenue_event(
            amount, currency, event_name="purchase", url="/checkout", ip_address=visitor.ip, distinct_id=visitor.distinct_id
        )


async def visit_async(stage: Stage, visitor: Visitor) -> None:
    """The same visit with the async API."""
    referrer = visitor.referrer
    for path, title, seconds in visitor.pages:
        await umami.new_page_view_async(title, path, referrer=referrer, language=visitor.language, screen=visitor.screen,
                                        ua=visitor.user_agent, ip_address=visitor.ip, distinct_id=visitor.distinct_id)  # fmt: skip
        referrer = ""
        stage.wait(seconds=seconds)
    for name, data in visitor.events:
        await umami.new_event_async(
            name, url=visitor.pages[-1][0], custom_data=data, ip_address=visitor.ip, distinct_id=visitor.distinct_id
        )
    if visitor.purchase:
        amount, currency = visitor.purchase
        await umami.new_revenue_event_async(amount, currency, event_name="purchase", url="/checkout", ip_address=visitor.ip,
                                            distinct_id=visitor.distinct_id)  # fmt: skip


def metrics(kind: str, start: datetime.datetime, end: datetime.datetime, limit: int = 5) -> list[dict[str, Any]]:
    """Umami's /metrics (top pages, events, browsers...): not a documented function, so a core flow run here."""
    config = umami.default_client().config
    query: dict[str, str | int] = {"type": kind, "limit": limit}
    query.update(startAt=int(start.timestamp() * 1000), endAt=int(end.timestamp() * 1000))
    request = Request.get(config.data_url(f"/websites/{config.website_id}/metrics", query), config.data_headers())
    transport = HttpxTransport()
    try:
        return run(exchange_json(request), transport)  # type: ignore[no-any-return]
    finally:
        transport.close()


def bar(value: int, top: int, width: int = 20) -> str:
    return "█" * max(1, round(width * value / top)) if top else ""


def main() -> None:
    stage = Stage.choose()
    try:
        umami.set_url_base(stage.url)
        umami.set_website_id(stage.website_id)
        print(f"Umami demo: {stage.describe()}")
        print(f"  heartbeat: {'ok' if umami.heartbeat() else 'NOT REACHABLE'}")
        umami.login(stage.username, stage.password)
        site = next((website for website in umami.websites() if website.id == stage.website_id), None)
        umami.set_hostname(site.domain if site and site.domain else "example.com")
        print(f"  logged in as {stage.username}; website {site.name if site else '?'!r} ({stage.website_id})")

        print(f"\nSending traffic from {len(VISITORS)} simulated visitors (the last two with the async API)")
        for number, visitor in enumerate(VISITORS):
            stage.wait(minutes=ARRIVALS[number])
            if number < 2:
                visit(stage, visitor)
            else:
                asyncio.run(visit_async(stage, visitor))
            source = "from " + visitor.referrer.split("/")[2].removeprefix("www.") if visitor.referrer else "typed the address"
            bought = f", bought {visitor.purchase[0]:.2f} {visitor.purchase[1]}" if visitor.purchase else ""
            events = f", {len(visitor.events)} event" if visitor.events else ""
            views = f"{len(visitor.pages)} page view{'s' if len(visitor.pages) > 1 else ''}"
            print(f"  {visitor.name:<6} {visitor.device:<17} {source:<27} {views}{events}{bought}")
        logging.getLogger("umami").setLevel(logging.ERROR)  # the library warns about dropped bot sends
        answer = umami.new_page_view("Home", "/", ua="curl/8.5.0")
        print(f"  and a bot (User-Agent curl/8.5.0): the server answered {answer}, nothing stored")

        end = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=1)
        start = end - datetime.timedelta(hours=24)
        stats = umami.website_stats(start, end)
        previous = stats.comparison
        print("\nLast 24 hours              now  previous 24 h")
        for label, now_value, before in (
            ("page views", stats.pageviews, previous.pageviews if previous else 0),
            ("visitors", stats.visitors, previous.visitors if previous else 0),
            ("visits", stats.visits, previous.visits if previous else 0),
            ("bounces", stats.bounces, previous.bounces if previous else 0),
        ):
            print(f"  {label:<22} {now_value:>5}  {before:>5}")
        minutes, seconds = divmod(stats.totaltime // max(stats.visits, 1), 60)
        print(f"  {'average visit':<22} {minutes:>2}m{seconds:02d}s   (custom events never count in these totals)")
        print(f"Active in the last 5 minutes: {umami.active_users()} visitors")

        pages = metrics("path", start, end)
        print("\nTop pages (visitors)")
        for row in pages:
            print(f"  {row['x']:<22} {bar(row['y'], pages[0]['y']):<20} {row['y']}")
        print("Events:   " + ", ".join(f"{row['x']} {row['y']}" for row in metrics("event", start, end)))
        print("Browsers: " + ", ".join(f"{row['x']} {row['y']}" for row in metrics("browser", start, end)))
        print("Sources:  " + ", ".join(f"{row['x']} {row['y']}" for row in metrics("referrer", start, end)))
        total = sum(visitor.purchase[0] for visitor in VISITORS if visitor.purchase)
        print(f"Revenue sent: {total:.2f} EUR in {sum(1 for visitor in VISITORS if visitor.purchase)} purchases")
    finally:
        umami.default_client().close()
        if stage.server is not None:
            stage.server.stop()


if __name__ == "__main__":
    main()
