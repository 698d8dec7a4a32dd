"""pytest fixtures that point the ``umami`` module at a fake Umami, for your own tests.

Installed with this package as the pytest plugin ``umami_fake`` (entry point ``pytest11``), so the
fixtures are there in every test session without any conftest.py:

``umami_fake``
    A :class:`~umami_transports.fake.FakeUmami`, served in process (no sockets). The ``umami``
    module is set up to use it: ``set_url_base('http://fake-umami.test')``, ``set_website_id()`` of
    the fake's website, ``set_hostname('example.com')`` and ``set_transport(FakeTransport(fake))``.
    Not logged in: call ``umami.login(umami_fake.username, umami_fake.password)`` (admin / umami)
    before reading stats. Everything is reset after the test.

``umami_fake_server``
    The same, but served over real HTTP on 127.0.0.1 by a :class:`~umami_transports.fake.FakeServer`
    (``umami_fake_server.url``, ``umami_fake_server.fake``), with the default httpx transport.

Options for the FakeUmami (a fixed clock, a website id...) go in the ``umami_fake`` marker::

    @pytest.mark.umami_fake(website_id="3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b", clock=ManualClock(start))
    def test_signup_is_tracked(umami_fake):
        my_app.signup("ada@example.com")        # calls umami.new_event("signup", ...)
        (event,) = umami_fake.custom_events(name="signup")
        assert event.data == {"plan": "free"}

To test how your code copes with a failing Umami, give the fake :class:`~umami_transports.fake.Faults`
(and read ``umami_fake.fault_counts``)::

    @pytest.mark.umami_fake(faults=Faults(rate=1.0, statuses=(503,), routes=("/api/send",), max_faults=1))
    def test_the_first_send_fails(umami_fake): ...
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from umami_transports.fake import FakeServer, FakeUmami

#: The URL base used in process: no request leaves the process, the host is never resolved.
IN_PROCESS_URL = "http://fake-umami.test"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "umami_fake(**options): options for the FakeUmami of the umami_fake fixtures")


def _make_fake(request: pytest.FixtureRequest) -> FakeUmami:
    from umami_transports.fake import FakeUmami

    marker = request.node.get_closest_marker("umami_fake")
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    return FakeUmami(**options)


def _point_umami_at(fake: FakeUmami, url: str) -> None:
    import umami

    umami.reset()
    umami.set_url_base(url)
    if fake.website is not None:
        umami.set_website_id(fake.website.id)
        if fake.website.domain:
            umami.set_hostname(fake.website.domain)


def _restore_umami() -> None:
    import umami

    umami.reset()
    umami.set_transport(None)


@pytest.fixture
def umami_fake(request: pytest.FixtureRequest) -> Iterator[FakeUmami]:
    """A fake Umami in process; the ``umami`` module sends to it until the end of the test."""
    import umami
    from umami_transports.fake import FakeTransport

    fake = _make_fake(request)
    _point_umami_at(fake, IN_PROCESS_URL)
    umami.set_transport(FakeTransport(fake))
    try:
        yield fake
    finally:
        _restore_umami()


@pytest.fixture
def umami_fake_server(request: pytest.FixtureRequest) -> Iterator[FakeServer]:
    """A fake Umami over HTTP on 127.0.0.1; the ``umami`` module sends to it until the end of the test."""
    import umami
    from umami_transports.fake import FakeServer

    with FakeServer(_make_fake(request)) as server:
        _point_umami_at(server.fake, server.url)
        umami.set_transport(None)
        try:
            yield server
        finally:
            _restore_umami()
            umami.default_client().close()
