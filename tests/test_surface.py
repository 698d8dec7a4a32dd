"""The public surface: names, signatures and defaults of the spec, sync/async twins, a pure core."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import umami
import umami.errors
import umami.models

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT.parent / "shared" / "spec" / "public-api.md"

DOCUMENTED = [
    "set_url_base", "set_website_id", "set_hostname", "set_cloud_api_key", "clear_cloud_api_key", "enable", "disable",
    "login", "login_async", "is_logged_in", "verify_token", "verify_token_async", "new_event", "new_event_async",
    "new_revenue_event", "new_revenue_event_async", "new_page_view", "new_page_view_async", "websites", "websites_async",
    "website_stats", "website_stats_async", "active_users", "active_users_async", "heartbeat", "heartbeat_async",
]  # fmt: skip
MODELS = ["WebsitesResponse", "Website", "WebsiteStats", "WebsiteStatsCmp", "LoginResponse", "User", "WebsiteUser"]


def spec_signatures() -> dict[str, str]:
    """``name -> parameter list`` for every ```python block of the spec that shows a signature."""
    found = {}
    for name, params in re.findall(r"```python\n(\w+)\((.*)\) ->", SPEC.read_text()):
        found.setdefault(name, params)
    return found


def normalize(params: str) -> list[tuple[str, str]]:
    """(name, default) pairs of a signature's parameter list; annotations are compared by mypy, not here."""
    pairs = []
    for part in re.split(r",\s*(?=\*|\w+:)", params):
        part = part.strip()
        if not part or part == "*":
            continue
        name, _, rest = part.partition(":")
        default = rest.split("=", 1)[1].strip() if "=" in rest else ""
        pairs.append((name.strip(), default))
    return pairs


@pytest.mark.parametrize("name", DOCUMENTED)
def test_every_documented_function_has_the_spec_parameters_and_defaults(name: str) -> None:
    function = getattr(umami, name)
    parameters = list(inspect.signature(function).parameters.values())
    spec = normalize(spec_signatures()[name])
    ours = [(p.name, "" if p.default is inspect.Parameter.empty else repr(p.default)) for p in parameters]
    assert ours[: len(spec)] == spec
    # Additions to the spec may only be keyword-only parameters with defaults, after the spec's.
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is not inspect.Parameter.empty for p in parameters[len(spec) :])
    assert function.__doc__ and len(function.__doc__) > 40


@pytest.mark.parametrize("name", [n for n in DOCUMENTED if n + "_async" in DOCUMENTED])
def test_every_sync_function_has_an_async_twin_with_the_same_signature(name: str) -> None:
    sync, twin = getattr(umami, name), getattr(umami, name + "_async")
    assert not inspect.iscoroutinefunction(sync)
    assert inspect.iscoroutinefunction(twin)
    assert inspect.signature(sync) == inspect.signature(twin)


def test_models_and_errors_are_where_the_incumbent_had_them() -> None:
    for name in MODELS:
        assert issubclass(getattr(umami.models, name), __import__("pydantic").BaseModel)
    assert issubclass(umami.errors.OperationNotAllowedError, umami.errors.ValidationError)
    assert umami.ValidationError is umami.errors.ValidationError
    assert umami.OperationNotAllowedError is umami.errors.OperationNotAllowedError
    assert umami.urls.send if hasattr(umami.urls, "send") else umami.urls.events == "/api/send"
    assert isinstance(umami.__version__, str) and isinstance(umami.user_agent, str)


def test_model_fields_match_the_spec() -> None:
    text = SPEC.read_text()
    for name in MODELS:
        params = re.search(rf"```python\n{name}\(\*, (.*)\) -> None", text)
        assert params, name
        spec_fields = [field for field, _ in normalize(params.group(1))]
        model = getattr(umami.models, name)
        ours = [field.alias or key for key, field in model.model_fields.items()]
        assert ours == spec_fields, name


def run_fresh(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT).stdout.strip()


def test_the_core_imports_no_io_library() -> None:
    loaded = run_fresh("import sys, umami_core; print(sorted({'httpx', 'requests', 'aiohttp', 'asyncio'} & set(sys.modules)))")
    assert loaded == "[]"


def test_the_core_has_no_async_code_and_no_io_imports() -> None:
    forbidden = re.compile(
        r"^\s*(import|from)\s+(httpx|requests|aiohttp|socket|asyncio|threading|urllib3|http\.client)\b|^\s*async\s+def\b"
    )
    offenders = [
        f"{path.name}:{number}"
        for path in (ROOT / "umami_core").glob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if forbidden.search(line)
    ]
    assert offenders == []


def test_importing_umami_does_not_import_requests_or_aiohttp() -> None:
    assert run_fresh("import sys, umami, umami_transports; print(sorted({'requests', 'aiohttp'} & set(sys.modules)))") == "[]"
