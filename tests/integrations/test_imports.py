"""``import umami`` imports no middleware, and no middleware imports a web framework until it is used."""

from __future__ import annotations

import subprocess
import sys

FRAMEWORKS = ("starlette", "fastapi", "flask", "werkzeug", "django", "asgiref")


def modules_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    return set(done.stdout.split())


def test_import_umami_imports_no_middleware() -> None:
    loaded = modules_after("import umami")
    assert not any(name.startswith("umami.integrations") for name in loaded)


def test_the_middleware_modules_import_no_framework() -> None:
    loaded = modules_after("import umami.integrations.asgi, umami.integrations.wsgi, umami.integrations.django")
    assert {"umami.integrations.asgi", "umami.integrations.wsgi", "umami.integrations.django"} <= loaded
    assert not [name for name in loaded if name.split(".")[0] in FRAMEWORKS]

