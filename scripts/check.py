"""The test command: ruff, mypy --strict, then pytest. Exit code is the first failure's."""

from __future__ import annotations

import subprocess
import sys

STEPS = [
    [sys.executable, "-m", "ruff", "check", "."],
    [sys.executable, "-m", "mypy"],
    [sys.executable, "-m", "pytest", *sys.argv[1:]],
]


def main() -> int:
    for step in STEPS:
        print("$", " ".join(step[2:] if step[0] == sys.executable else step), flush=True)
        code = subprocess.call(step)
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
