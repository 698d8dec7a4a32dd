"""The ``umami`` command line: read your numbers, export them, send test events, run a fake Umami.

Installed as the ``umami`` console script with the ``cli`` extra (click and rich). This module
imports neither: ``import umami`` stays fast, and without the extra ``umami`` says what to install.
"""

from __future__ import annotations

import importlib.util
import sys

__all__ = ["INSTALL_HINT", "main"]

#: What to run when the command line's dependencies are missing.
INSTALL_HINT = "pip install 'umami-client[cli]'"


def _missing() -> list[str]:
    missing = []
    for name in ("click", "rich"):
        try:
            # sys.modules[name] = None (how a test hides a package) makes find_spec raise ValueError.
            if importlib.util.find_spec(name) is None:
                missing.append(name)
        except (ImportError, ValueError):
            missing.append(name)
    return missing


def main(argv: list[str] | None = None) -> None:
    """Run the ``umami`` command (the console script's entry point); exits with its status."""
    missing = _missing()
    if missing:
        print(f"umami: the command line needs {' and '.join(missing)}: {INSTALL_HINT}", file=sys.stderr)
        sys.exit(1)
    from umami.cli.app import cli

    cli.main(args=argv, prog_name="umami")
