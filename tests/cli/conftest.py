"""Fixtures of the command line tests: a clean environment (no UMAMI_* of the machine, a config
file in a temporary folder), the embedded Umami over HTTP, and a runner of the real click group."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from umami.cli.app import cli
from umami_transports.fake import FakeServer


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No UMAMI_* variable of the machine leaks in; the config file is in tmp_path; times are UTC."""
    for name in list(os.environ):
        if name.startswith("UMAMI_"):
            monkeypatch.delenv(name)
    config = tmp_path / "config" / "config.toml"
    monkeypatch.setenv("UMAMI_CONFIG", str(config))
    monkeypatch.setenv("TZ", "UTC")
    return config


@dataclass
class Cli:
    """Runs ``umami ...`` through the click group with an environment pointing at the fake."""

    server: FakeServer
    env: dict[str, str]

    def __call__(self, *args: str, env: dict[str, str | None] | None = None, input: str | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(cli, list(args), env={**self.env, **(env or {})}, input=input, catch_exceptions=True)

    def ok(self, *args: str, env: dict[str, str | None] | None = None) -> str:
        """The stdout of a command that must succeed."""
        result = self(*args, env=env)
        assert result.exit_code == 0, (result.output, result.stderr, result.exception)
        assert result.exception is None
        return result.stdout


@pytest.fixture
def umami_cli(umami_fake_server: FakeServer) -> Iterator[Cli]:
    """``umami`` with UMAMI_URL, UMAMI_USERNAME, UMAMI_PASSWORD and UMAMI_WEBSITE_ID of the fake."""
    server = umami_fake_server
    yield Cli(server, {
        "UMAMI_URL": server.url, "UMAMI_USERNAME": server.fake.username, "UMAMI_PASSWORD": server.fake.password,
        "UMAMI_WEBSITE_ID": server.fake.website_id,
    })  # fmt: skip


def lines(text: str) -> list[str]:
    """The non-empty lines of ``text``."""
    return [line for line in text.splitlines() if line.strip()]


def only_error_line(result: Result) -> str:
    """The one line a failure prints on stderr (and that it printed no traceback)."""
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    error = lines(result.stderr)
    assert len(error) == 1, result.stderr
    return error[0]


def no_escapes(*texts: Sequence[str] | str) -> bool:
    """Whether no ANSI escape (colour, cursor movement) is in the texts."""
    return all("\x1b[" not in "".join(text) for text in texts)
