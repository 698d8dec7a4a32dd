"""The public surface: names, signatures and defaults of the spec (tests/spec_surface.py), sync/async twins, a pure core."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import umami
import umami.errors
import umami.models
from tests.spec_surface import FUNCTIONS, Param
from tests.spec_surface import MODELS as SPEC_MODELS

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTED = list(FUNCTIONS)
MODELS = list(SPEC_MODELS)


def described(parameter: inspect.Parameter | Param) -> tuple[str, str, str]:
    """Name, default (by repr, so True and 1 differ) and kind: what callers of the spec rely on."""
    return parameter.name, repr(parameter.default), parameter.kind.name


def surface_problems(function: Callable[..., Any], spec: tuple[Param, ...]) -> list[str]:
    """How ``function``'s parameters break callers written against ``spec`` (empty when they do not).

    The spec's parameters come first, in its order, with its kinds and defaults. Parameters added after
    them must be keyword-only with a default, so every call the spec allows still works the same."""
    ours = list(inspect.signature(function).parameters.values())
    pairs = zip(spec, ours, strict=False)  # a short side is reported just below
    problems = [f"spec {described(want)} != ours {described(got)}" for want, got in pairs if described(want) != described(got)]
    problems += [f"missing {want.name}" for want in spec[len(ours) :]]
    problems += [
        f"added {got.name} ({got.kind.name}) is not keyword-only with a default"
        for got in ours[len(spec) :]
        if got.kind is not inspect.Parameter.KEYWORD_ONLY or got.default is inspect.Parameter.empty
    ]
    return problems


@pytest.mark.parametrize("name", DOCUMENTED)
def test_every_documented_function_has_the_spec_parameters_and_defaults(name: str) -> None:
    function = getattr(umami, name)
    assert surface_problems(function, FUNCTIONS[name]) == []
    assert function.__doc__ and len(function.__doc__) > 40


def _spec_event(event_name: str, hostname: str | None = None, url: str = "/") -> None: ...
def _with_ua(event_name: str, hostname: str | None = None, url: str = "/", *, ua: str = "Mozilla/5.0", retries: int = 0) -> None: ...
def _ua_positional(event_name: str, hostname: str | None = None, url: str = "/", ua: str = "Mozilla/5.0") -> None: ...
def _ua_required(event_name: str, hostname: str | None = None, url: str = "/", *, ua: str) -> None: ...
def _reordered(event_name: str, url: str = "/", hostname: str | None = None) -> None: ...
def _other_default(event_name: str, hostname: str | None = None, url: str = "/home") -> None: ...
def _keyword_only(event_name: str, *, hostname: str | None = None, url: str = "/") -> None: ...
def _missing(event_name: str, hostname: str | None = None) -> None: ...


@pytest.mark.parametrize(
    ("function", "allowed"),
    [
        (_spec_event, True), (_with_ua, True), (_ua_positional, False), (_ua_required, False),
        (_reordered, False), (_other_default, False), (_keyword_only, False), (_missing, False),
    ],
)  # fmt: skip
def test_the_surface_check_allows_only_keyword_only_additions(function: Callable[..., Any], allowed: bool) -> None:
    spec = (Param("event_name"), Param("hostname", None), Param("url", "/"))
    assert (surface_problems(function, spec) == []) is allowed


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
    for name, spec_fields in SPEC_MODELS.items():
        model = getattr(umami.models, name)
        ours = tuple(field.alias or key for key, field in model.model_fields.items())
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
