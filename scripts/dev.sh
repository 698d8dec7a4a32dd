#!/usr/bin/env bash
# One entry point for a fresh machine: makes .venv, installs the project, then runs what you ask.
#   scripts/dev.sh demo    the demo on the embedded Umami (or a real one, see README)
#   scripts/dev.sh test    ruff, mypy --strict, the API reference (strict) and pytest (extra arguments go to pytest)
#   scripts/dev.sh docs    the API reference, built from the docstrings into site/
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-test}"; shift || true
# pip's chatter goes to .venv/install.log, shown only if the install fails.
install() { .venv/bin/python -m pip install --quiet "$@" >>.venv/install.log 2>&1 || { cat .venv/install.log >&2; exit 1; }; }
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  install --upgrade pip
fi
install -e '.[test]'
case "$what" in
  demo) exec .venv/bin/python examples/demo.py "$@" ;;
  test) exec .venv/bin/python scripts/check.py "$@" ;;
  docs) NO_MKDOCS_2_WARNING=1 exec .venv/bin/python -m mkdocs build --strict "$@" ;;
  *) echo "usage: scripts/dev.sh demo|test|docs" >&2; exit 2 ;;
esac
