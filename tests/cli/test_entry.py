"""The installed ``umami`` script: run as a process, its help, its missing dependencies, --watch until
Ctrl-C, ``umami fake``, and that ``import umami`` loads neither click nor rich."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest

import umami
from tests.cli.conftest import Cli, lines, no_escapes
from umami.cli.app import cli

SCRIPT = Path(sys.executable).parent / "umami"


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})}, check=False
    )


def test_the_installed_script_reads_from_the_fake(umami_cli: Cli) -> None:
    umami.new_page_view(page_title="Home", url="/", ip_address="203.0.113.1")
    done = run("top", "path", "--json", env=umami_cli.env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rows"] == [{"value": "/", "count": 1}]
    text = run("stats", env=umami_cli.env)
    assert text.returncode == 0 and no_escapes(text.stdout)  # piped: no colour
    assert next(line for line in text.stdout.splitlines() if line.startswith("page views")).split()[2] == "1"


def test_a_failing_script_prints_one_line(closed_port_url: str) -> None:
    done = run("websites", env={"UMAMI_URL": closed_port_url, "UMAMI_API_KEY": "umami_x"}, timeout=30)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(lines(done.stderr)) == 1 and "could not be reached" in done.stderr


def test_export_into_a_closed_pipe_stops_quietly(umami_cli: Cli) -> None:
    for number in range(300):
        umami.new_page_view(page_title="Home", url=f"/{number}", ip_address=f"203.0.113.{number % 200}")
    command = f"'{SCRIPT}' export events --page-size 50 | head -n 2"
    done = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60, env={**os.environ, **umami_cli.env}, check=False)
    assert len(done.stdout.splitlines()) == 2 and done.stderr == ""


def test_without_click_and_rich_it_says_what_to_install() -> None:
    code = "import sys; sys.modules['click'] = None; sys.modules['rich'] = None; from umami.cli import main; main(['websites'])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert done.stderr == "umami: the command line needs click and rich: pip install 'umami-client[cli]'\n"


def test_importing_umami_loads_neither_click_nor_rich() -> None:
    code = "import sys, umami, umami.cli; print(sorted({'click', 'rich'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


def test_every_command_has_a_description_and_examples() -> None:
    runner = click.testing.CliRunner()
    top = runner.invoke(cli, ["--help"])
    assert top.exit_code == 0 and "Examples:" in top.output and "UMAMI_URL" in top.output
    commands: list[list[str]] = []
    for name, command in cli.commands.items():
        subcommands = getattr(command, "commands", None)
        commands += [[name, sub] for sub in subcommands] if subcommands else [[name]]
    assert {" ".join(path) for path in commands} >= {"websites", "stats", "chart", "top", "realtime", "export", "send pageview",
                                                     "send event", "login", "logout", "fake"}  # fmt: skip
    for path in commands:
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, path
        description = result.output.split("\n\n")[1].strip()
        assert len(description) > 20 and ("Example:" in result.output or "Examples:" in result.output), path


def test_realtime_watch_refreshes_until_ctrl_c(umami_cli: Cli) -> None:
    umami.new_page_view(page_title="Home", url="/", ip_address="203.0.113.1")
    process = subprocess.Popen([str(SCRIPT), "realtime", "--watch", "--interval", "0.2", "--json"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, **umami_cli.env})  # fmt: skip
    try:
        assert process.stdout is not None
        first = json.loads(process.stdout.readline())
        umami.new_page_view(page_title="Pricing", url="/pricing", ip_address="203.0.113.2")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            latest = json.loads(process.stdout.readline())
            if latest["active_visitors"] == 2:
                break
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
    finally:
        process.kill()
    assert first["active_visitors"] == 1 and latest["active_visitors"] == 2  # it refreshed
    assert process.returncode == 0 and "Traceback" not in stderr


@pytest.mark.parametrize("demo", [False, True])
def test_umami_fake_prints_how_to_reach_it(demo: bool, tmp_path: Path) -> None:
    process = subprocess.Popen(
        [str(SCRIPT), "fake", *(["--demo"] if demo else [])], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        printed = [process.stdout.readline() for _ in range(6)]
        exports = next(line for line in printed if line.strip().startswith("export "))
        env = dict(item.split("=", 1) for item in exports.split()[1:])
        assert env["UMAMI_URL"].startswith("http://127.0.0.1:") and env["UMAMI_USERNAME"] == "admin" and env["UMAMI_PASSWORD"] == "umami"
        stats = run("stats", "--json", env={**env, "UMAMI_CONFIG": str(tmp_path / "c.toml")})
        assert stats.returncode == 0, stats.stderr
        page_views = json.loads(stats.stdout)["stats"]["pageviews"]
        assert page_views > 20 if demo else page_views == 0
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0
