"""The real exchanges in tests/data/recorded/ (copied from a real Umami 3.1), as core Response values for driving flows by hand."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from umami_core import Response

#: One JSON file per exchange with a real Umami 3.1.0 server; README.md there says how they were recorded.
RECORDED = Path(__file__).resolve().parent / "data" / "recorded"


@cache
def exchange(case: str) -> dict[str, Any]:
    """The recorded exchange whose file name starts with ``case`` (e.g. '071' or '071_stats')."""
    (path,) = sorted(RECORDED.glob(f"{case}*.json"))[:1]
    return json.loads(path.read_text())  # type: ignore[no-any-return]


def response(case: str) -> Response:
    """The recorded response of ``case``, with its body bytes as the server sent them."""
    recorded = exchange(case)["response"]
    body = recorded["body"]
    raw = json.dumps(body).encode() if recorded["body_is_json"] else (body or "").encode()
    return Response(recorded["status"], tuple(recorded["headers"].items()), raw)


def all_cases() -> list[str]:
    return sorted(path.stem for path in RECORDED.glob("[0-9]*.json"))
