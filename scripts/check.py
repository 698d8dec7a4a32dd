"""The test command: ruff, mypy --strict, the API reference in strict mode (a broken reference
fails), then pytest. Exit code is the first failure's."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

SITE = os.path.join(tempfile.gettempdir(), "umami-docs-check")
STEPS = [
    [sys.executable, "-m", "ruff", "check", "."],
    [sys.executable, "-m", "mypy"],
    [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", SITE],
    [sys.executable, "-m", "pytest", *sys.argv[1:]],
]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # mkdocs-material's banner about its successor


def main() -> int:
    for step in STEPS:
        print("$", " ".join(step[2:] if step[0] == sys.executable else step), flush=True)
        code = subprocess.call(step)
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
