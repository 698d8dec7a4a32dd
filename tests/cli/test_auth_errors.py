"""Credentials (login, logout, profiles, the environment) and failures: one line, a non-zero exit, no traceback."""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path

from tests.cli.conftest import Cli, only_error_line

NOT_LOGGED_IN: dict[str, str | None] = {"UMAMI_USERNAME": None, "UMAMI_PASSWORD": None}


def test_login_stores_a_token_0600_without_the_password_and_logout_removes_it(umami_cli: Cli, clean_environment: Path) -> None:
    fake = umami_cli.server.fake
    printed = umami_cli.ok("login")
    token_file = clean_environment.parent / "credentials.json"
    assert f"token saved in {token_file}" in printed
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    text = token_file.read_text()
    assert fake.password not in text
    stored = json.loads(text)["default"]
    assert stored["url"] == umami_cli.server.url and stored["username"] == fake.username and len(stored["token"]) > 20
    # The stored token is enough: no password in the environment, no new login.
    logins_before = sum(request.url.endswith("/api/auth/login") for request in fake.requests)
    listed = json.loads(umami_cli.ok("websites", "--json", env=NOT_LOGGED_IN))
    assert [site["id"] for site in listed] == [fake.website_id]
    assert sum(request.url.endswith("/api/auth/login") for request in fake.requests) == logins_before
    assert "token removed" in umami_cli.ok("logout")
    assert not token_file.exists()
    result = umami_cli("websites", env=NOT_LOGGED_IN)
    assert "not logged in: run umami login" in only_error_line(result)


def test_login_asks_for_the_password_without_echo(umami_cli: Cli, clean_environment: Path) -> None:
    result = umami_cli("login", env={"UMAMI_PASSWORD": None}, input=umami_cli.server.fake.password + "\n")
    assert result.exit_code == 0, result.stderr
    assert umami_cli.server.fake.password not in result.output
    assert (clean_environment.parent / "credentials.json").exists()


def test_a_wrong_password_is_one_line_and_exit_1(umami_cli: Cli, clean_environment: Path) -> None:
    result = umami_cli("login", env={"UMAMI_PASSWORD": "not-the-password"})
    line = only_error_line(result)
    assert result.exit_code == 1 and "401" in line and "wrong username or password" in line and "not-the-password" not in line
    assert not (clean_environment.parent / "credentials.json").exists()
    assert "401" in only_error_line(umami_cli("stats", env={"UMAMI_PASSWORD": "not-the-password"}))


def test_debug_shows_the_traceback(umami_cli: Cli) -> None:
    result = umami_cli("--debug", "login", env={"UMAMI_PASSWORD": "not-the-password"})
    assert result.exit_code != 0 and type(result.exception).__name__.endswith("APIError")


def test_a_server_that_is_down_is_one_line_quickly(umami_cli: Cli, closed_port_url: str) -> None:
    started = time.monotonic()
    result = umami_cli("--timeout", "5", "stats", env={"UMAMI_URL": closed_port_url})
    assert time.monotonic() - started < 10
    assert "could not be reached" in only_error_line(result)


def test_a_missing_website_id_says_how_to_give_one(umami_cli: Cli) -> None:
    before = len(umami_cli.server.fake.requests)
    line = only_error_line(umami_cli("stats", env={"UMAMI_WEBSITE_ID": None}))
    assert (
        line == "Error: no website id: pass --website ID, or set UMAMI_WEBSITE_ID or website_id in the profile (umami websites lists them)"
    )
    assert len(umami_cli.server.fake.requests) == before  # nothing asked of the server
    assert json.loads(umami_cli.ok("stats", "-w", umami_cli.server.fake.website_id, "--json", env={"UMAMI_WEBSITE_ID": None}))


def test_no_server_says_how_to_give_one(umami_cli: Cli) -> None:
    assert "no Umami server" in only_error_line(umami_cli("websites", env={"UMAMI_URL": None}))


def test_profiles_of_the_config_file(umami_cli: Cli, clean_environment: Path) -> None:
    fake = umami_cli.server.fake
    clean_environment.parent.mkdir(parents=True)
    clean_environment.write_text(f'[work]\nurl = "{umami_cli.server.url}"\nwebsite_id = "{fake.website_id}"\nusername = "admin"\n')
    only_env_password: dict[str, str | None] = {"UMAMI_URL": None, "UMAMI_WEBSITE_ID": None, "UMAMI_USERNAME": None}
    data = json.loads(umami_cli.ok("--profile", "work", "stats", "--json", env=only_env_password))
    assert data["website_id"] == fake.website_id
    assert "no profile [home]" in only_error_line(umami_cli("--profile", "home", "stats", env=only_env_password))
    clean_environment.write_text('[work]\npassword = "x"\n')
    assert "a password is never read from the config file" in only_error_line(umami_cli("--profile", "work", "stats"))


def test_an_api_key_from_the_flags_is_sent_instead_of_a_login(umami_cli: Cli) -> None:
    # The fake (3.1) has no self-hosted keys: it refuses the key, which shows it was sent and no login was made.
    line = only_error_line(umami_cli("--api-key", "umami_not-a-key", "websites"))
    assert "401" in line and "umami_not-a-key" not in line
    assert not any(request.url.endswith("/api/auth/login") for request in umami_cli.server.fake.requests)
    assert umami_cli.server.fake.requests[-1].header("authorization") == "Bearer umami_not-a-key"
