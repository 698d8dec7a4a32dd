"""Testing your own code that reports to Umami, with the ``umami_fake`` pytest fixture.

The fixture comes with the package as a pytest plugin: no conftest.py, no mocks. It gives a
FakeUmami (an in-memory Umami 3.1 with the real server's rules: bot check, sessions, stats) and
points the ``umami`` module at it for the duration of the test. Look at what your code sent with
``umami_fake.page_views()``, ``.custom_events()``, ``.revenue()`` and ``.sessions()``, or read the
numbers back with the library itself (``umami.login(...)`` then ``umami.website_stats(...)``).

    python -m pytest examples/test_with_fake.py
"""

from __future__ import annotations

import datetime

import pytest

import umami
from umami_transports.fake import FakeServer, FakeUmami, ManualClock

# -- the application code under test (in a real project: imported from your package) ---------------


def show_page(path: str, title: str, client_ip: str, user_agent: str) -> None:
    umami.new_page_view(title, path, ua=user_agent, ip_address=client_ip)


def checkout(user_id: str, cart: list[tuple[str, float]], client_ip: str) -> float:
    total = sum(price for _, price in cart)
    for sku, price in cart:
        umami.new_event("add-to-cart", url="/cart", custom_data={"sku": sku, "price": price}, ip_address=client_ip, distinct_id=user_id)
    umami.new_revenue_event(total, "EUR", event_name="purchase", url="/checkout", ip_address=client_ip, distinct_id=user_id)
    return total


# -- the tests -------------------------------------------------------------------------------------

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1"
)


def test_checkout_reports_the_cart_and_the_revenue(umami_fake: FakeUmami) -> None:
    assert checkout("user-7", [("ESP-1", 249.0), ("MUG", 12.5)], client_ip="203.0.113.7") == 261.5

    assert [event.data for event in umami_fake.custom_events(name="add-to-cart")] == [
        {"sku": "ESP-1", "price": 249.0},
        {"sku": "MUG", "price": 12.5},
    ]
    (purchase,) = umami_fake.revenue()
    assert (purchase.revenue, purchase.currency, purchase.event_name) == (261.5, "EUR", "purchase")
    (session,) = umami_fake.sessions()  # one distinct id: one visitor
    assert session.distinct_id == "user-7"


def test_page_views_show_up_in_the_stats(umami_fake: FakeUmami) -> None:
    show_page("/", "Home", "203.0.113.1", FIREFOX)
    show_page("/pricing", "Pricing", "203.0.113.1", FIREFOX)
    show_page("/", "Home", "198.51.100.2", SAFARI)

    assert [view.url_path for view in umami_fake.page_views()] == ["/", "/pricing", "/"]
    assert sorted(session.browser or "" for session in umami_fake.sessions()) == ["firefox", "ios"]
    umami.login(umami_fake.username, umami_fake.password)
    now = datetime.datetime.now(datetime.timezone.utc)
    stats = umami.website_stats(now - datetime.timedelta(hours=1), now + datetime.timedelta(minutes=1))
    assert (stats.pageviews, stats.visitors, stats.bounces) == (3, 2, 1)


def test_bots_are_answered_but_not_counted(umami_fake: FakeUmami) -> None:
    assert umami.new_page_view("Home", "/", ua="python-requests/2.31") == {"beep": "boop"}
    assert umami_fake.page_views() == []


START = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.timezone.utc)


@pytest.mark.umami_fake(clock=ManualClock(START))
def test_active_users_follow_the_fake_clock(umami_fake: FakeUmami) -> None:
    clock = umami_fake.clock
    assert isinstance(clock, ManualClock)
    show_page("/", "Home", "203.0.113.1", FIREFOX)
    umami.login(umami_fake.username, umami_fake.password)
    assert umami.active_users() == 1
    clock.advance(minutes=6)
    assert umami.active_users() == 0  # active means an event in the last five minutes


def test_over_real_http(umami_fake_server: FakeServer) -> None:
    assert umami.heartbeat()
    show_page("/docs", "Docs", "203.0.113.9", SAFARI)
    assert [view.page_title for view in umami_fake_server.fake.page_views()] == ["Docs"]
