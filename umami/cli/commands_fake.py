"""``umami fake``: the embedded fake Umami over HTTP on 127.0.0.1, with a week of demo traffic if asked."""

from __future__ import annotations

import datetime
import random
import threading

import click

import umami
from umami_transports.fake import FakeServer, FakeTransport, FakeUmami, Location

__all__ = ["COMMANDS", "seed_demo"]

_PAGES = [
    ("/", "Home", 10),
    ("/pricing", "Pricing", 5),
    ("/docs", "Docs", 4),
    ("/blog/launch", "We launched", 3),
    ("/signup", "Sign up", 2),
]
_REFERRERS = ["", "", "https://www.google.com/", "https://news.ycombinator.com/", "https://github.com/"]
_PLACES = [
    Location("FR", "FR-IDF", "Paris"),
    Location("DE", "DE-BE", "Berlin"),
    Location("US", "US-CA", "San Francisco"),
    Location("JP", "JP-13", "Tokyo"),
]


class _DemoClock:
    """The fake's clock: a set moment while demo traffic is written into the past, then the real time."""

    def __init__(self) -> None:
        self.moment: datetime.datetime | None = None
        self._lock = threading.Lock()

    def __call__(self) -> datetime.datetime:
        with self._lock:
            return self.moment or datetime.datetime.now(datetime.timezone.utc)

    def set(self, moment: datetime.datetime | None) -> None:
        with self._lock:
            self.moment = moment


def seed_demo(fake: FakeUmami, clock: _DemoClock, days: int = 7, seed: int = 1) -> int:
    """Page views (and a few signups) over the last ``days`` days, the same for the same seed; returns the count."""
    draw = random.Random(seed)
    client = umami.Client(FakeTransport(fake))
    client.set_url_base("http://fake-umami.test")
    client.set_website_id(fake.website_id)
    client.set_hostname(fake.website.domain if fake.website and fake.website.domain else "example.com")
    now = datetime.datetime.now(datetime.timezone.utc)
    pages = [page for page in _PAGES for _ in range(page[2])]
    sent = 0
    try:
        for day in range(days, -1, -1):
            for _ in range(draw.randint(5, 16)):
                # A visit: one to four pages a few minutes apart, from the referrer to maybe a signup.
                moment = now - datetime.timedelta(days=day, seconds=draw.randint(600, 86_399))
                visitor, referrer = f"198.51.100.{draw.randint(1, 60)}", draw.choice(_REFERRERS)
                for _ in range(draw.choice([1, 1, 2, 3, 4])):
                    if moment > now:
                        break
                    clock.set(moment)
                    url, title, _ = draw.choice(pages)
                    client.new_page_view(title, url, referrer=referrer, ip_address=visitor)
                    sent += 1
                    if url == "/signup":
                        client.new_event("signup", url=url, custom_data={"plan": draw.choice(["free", "pro"])}, ip_address=visitor)
                    referrer, moment = "", moment + datetime.timedelta(seconds=draw.randint(20, 240))
    finally:
        clock.set(None)
        client.close()
    return sent


@click.command(
    epilog="""\b
Examples:
  umami fake --port 3000 --demo
  # then, in another terminal, with the lines it prints:
  export UMAMI_URL=http://127.0.0.1:3000 UMAMI_USERNAME=admin UMAMI_PASSWORD=umami UMAMI_WEBSITE_ID=...
  umami chart"""
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port to listen on (default: any free one).")
@click.option("--username", default="admin", show_default=True)
@click.option("--password", default="umami", show_default=True)
@click.option("--website-id", metavar="ID", help="Id of the website it creates (default: a random UUID).")
@click.option("--demo", is_flag=True, help="Fill the last 7 days with demo page views and events.")
def fake(host: str, port: int, username: str, password: str, website_id: str | None, demo: bool) -> None:
    """Run the embedded fake Umami over HTTP until Ctrl-C, and print how to reach it."""
    clock = _DemoClock()
    served = FakeUmami(
        clock=clock,
        username=username,
        password=password,
        website_id=website_id,
        locations={f"198.51.100.{n}": _PLACES[n % len(_PLACES)] for n in range(1, 61)},
    )
    sent = seed_demo(served, clock) if demo else 0
    server = FakeServer(served, host, port)
    click.echo(f"Fake Umami 3.1 listening on {server.url}" + (f" ({sent} demo page views)" if demo else ""))
    click.echo(f"  login:       {username} / {password}")
    click.echo(f"  website id:  {served.website_id}")
    click.echo("Use it from another shell:")
    click.echo(f"  export UMAMI_URL={server.url} UMAMI_USERNAME={username} UMAMI_PASSWORD={password} UMAMI_WEBSITE_ID={served.website_id}")
    click.echo("Press Ctrl-C to stop.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


COMMANDS = [fake]
