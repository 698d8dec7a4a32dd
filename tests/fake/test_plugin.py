"""The pytest plugin: the fixtures configure ``umami`` for one test and put everything back after."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import umami
from umami_transports.fake import FakeServer, FakeUmami
from umami_transports.fake.pytest_plugin import IN_PROCESS_URL

WEBSITE = "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"


def test_umami_fake_points_the_module_at_the_fake(umami_fake: FakeUmami) -> None:
    config = umami.default_client().config
    assert (config.url_base, config.website_id, config.hostname, config.token) == (
        IN_PROCESS_URL,
        umami_fake.website_id,
        "example.com",
        None,
    )
    assert umami.new_event("signup")["sessionId"] == umami_fake.custom_events()[0].session_id


@pytest.mark.umami_fake(website_id=WEBSITE, website_domain="shop.example", app_secret="test-secret")
def test_marker_options_reach_the_fake(umami_fake: FakeUmami) -> None:
    assert (umami_fake.website_id, umami.default_client().config.hostname) == (WEBSITE, "shop.example")
    assert umami_fake.context.app_secret == "test-secret"


def test_umami_fake_server_serves_over_http(umami_fake_server: FakeServer) -> None:
    assert umami.default_client().config.url_base == umami_fake_server.url
    umami.login("admin", "umami")
    assert umami.websites()[0].id == umami_fake_server.fake.website_id
    assert umami_fake_server.fake.requests[-1].url.startswith(umami_fake_server.url)


def test_fixtures_leave_umami_as_they_found_it(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            import umami

            def test_uses_the_fake(umami_fake):
                umami.login("admin", "umami")
                assert umami.is_logged_in()

            def test_uses_the_server(umami_fake_server):
                assert umami.heartbeat()

            def test_after_them():
                assert umami.default_client().config.url_base is None and not umami.is_logged_in()
                umami.set_url_base("http://127.0.0.1:9")  # nothing listens there: the default transport fails
                assert umami.heartbeat() is False
            """
        )
    )
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--strict-markers", str(tmp_path / "test_user.py")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path)
    assert done.returncode == 0 and "3 passed" in done.stdout, done.stdout + done.stderr
