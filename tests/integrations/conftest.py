"""Fixtures of the middleware tests: the embedded Umami, and background sending stopped after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import umami
from tests.integrations.support import configure_django
from umami_transports.fake import FakeServer, FakeUmami

configure_django()


@pytest.fixture
def fake(umami_fake: FakeUmami) -> Iterator[FakeUmami]:
    """The embedded Umami in process; the background sending the middleware enabled is stopped after the test."""
    yield umami_fake
    umami.shutdown(5.0)


@pytest.fixture
def fake_server(umami_fake_server: FakeServer) -> Iterator[FakeServer]:
    """The embedded Umami over real HTTP on 127.0.0.1; background sending stopped after the test."""
    yield umami_fake_server
    umami.shutdown(5.0)


@pytest.fixture(params=["in-process", "http"])
def any_fake(request: pytest.FixtureRequest) -> FakeUmami:
    """The embedded Umami, in process and over real HTTP."""
    if request.param == "in-process":
        fake: FakeUmami = request.getfixturevalue("fake")
        return fake
    server: FakeServer = request.getfixturevalue("fake_server")
    return server.fake
