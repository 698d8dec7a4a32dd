"""Every ```python block of README.md runs as shown, against the embedded Umami, and does what it says.

No block is changed. What the test provides around them:

- The server the README talks about is a FakeUmami set up as the README describes it: the website
  978435e2-7ba1-4337-9860-ec31ece2db60 on example.com, the login admin / secret, the Cloud API key
  'your-cloud-api-key'. Before each block the ``umami`` module is reset and its transport is a
  FakeTransport of that fake; FakeTransport ignores the host, so https://umami.example.com, the shop's
  server and the Cloud hosts all reach it (``fake.requests`` keeps the URLs they were sent to).
- In a block, ``import umami`` gives the real module, except that a ``umami.Client()`` made without
  a transport gets that same FakeTransport instead of httpx (it would otherwise go to the internet).
- A block that defines ``test_`` functions is a pytest example: it runs under pytest in a subprocess,
  beside a ``my_shop.py`` whose ``checkout()`` reports the cart as a purchase, as the README says.

Each block has an expectation below, keyed by its section's heading, checked on what the fake
received and what the block printed.
"""

from __future__ import annotations

import builtins
import re
import subprocess
import sys
import textwrap
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import umami
from umami_transports import MockTransport
from umami_transports.fake import FakeServer, FakeTransport, FakeUmami

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

WEBSITE = "978435e2-7ba1-4337-9860-ec31ece2db60"
CLOUD_KEY = "your-cloud-api-key"


def python_blocks() -> list[tuple[str, str]]:
    """(id, code) of each ```python block: the id is its section's heading, numbered within it."""
    blocks: list[tuple[str, str]] = []
    heading = ""
    for match in re.finditer(r"^(#{2,3}) ([^\n]+)$|^```python\n(.*?)^```$", README.read_text(), re.MULTILINE | re.DOTALL):
        if match.group(2):
            heading = match.group(2).strip()
        else:
            number = sum(1 for block_id, _ in blocks if block_id.startswith(heading + " #"))
            blocks.append((f"{heading} #{number + 1}", match.group(3)))
    return blocks


def readme_fake() -> FakeUmami:
    fake = FakeUmami(website_id=WEBSITE, website_domain="example.com", password="secret")
    fake.create_api_key(key=CLOUD_KEY)
    return fake


def namespace(fake_transport: FakeTransport) -> dict[str, Any]:
    """Globals for a block: ``import umami`` there gives umami whose new Clients use ``fake_transport``."""

    class Client(umami.Client):
        def __init__(self, transport: Any = None) -> None:
            super().__init__(fake_transport if transport is None else transport)

    on_the_fake = types.ModuleType("umami", umami.__doc__)
    on_the_fake.__dict__.update({**vars(umami), "Client": Client})

    def import_(name: str, *args: Any, **kwargs: Any) -> Any:
        return on_the_fake if name == "umami" else builtins.__import__(name, *args, **kwargs)

    return {"__name__": "__readme__", "__builtins__": {**vars(builtins), "__import__": import_}}


@pytest.fixture
def fake() -> Any:
    served = readme_fake()
    umami.reset()
    umami.set_transport(FakeTransport(served))
    try:
        yield served
    finally:
        umami.reset()
        umami.set_transport(None)


# -- what each block must do ---------------------------------------------------------------------


def quick_start_sync(fake: FakeUmami, ns: dict[str, Any], printed: list[str]) -> None:
    (view,) = fake.page_views(url="/pricing")
    assert view.page_title == "Pricing" and view.hostname == "example.com"
    assert fake.session_of(view).distinct_id == ns["user_id"]  # type: ignore[union-attr]
    assert [event.data for event in fake.custom_events(name="signup")] == [{"plan": "pro"}]
    assert [(row.revenue, row.currency) for row in fake.revenue()] == [(19.99, "EUR")]
    # Only the page view counts in the stats; the event and the revenue come from this machine's IP.
    assert printed[0].startswith("1 1 pageviews=0 visitors=0")
    assert printed[1] == "2 ['example.com']"


def quick_start_async(fake: FakeUmami, ns: dict[str, Any], printed: list[str]) -> None:
    assert len(fake.custom_events(name="signup")) == 1
    assert printed == ["1"]


def identifying_users(fake: FakeUmami, ns: dict[str, Any], printed: list[str]) -> None:
    (session,) = fake.sessions()
    assert (session.distinct_id, session.data) == ("user-42", {"plan": "pro"})
    (upgrade,) = fake.custom_events(name="upgrade")
    assert upgrade.session_id == session.id


def cloud(fake: FakeUmami, ns: dict[str, Any], printed: list[str]) -> None:
    urls = [request.url.split("?")[0] for request in fake.requests]  # websites() asks page by page
    assert urls == ["https://cloud.umami.is/api/send", "https://api.umami.is/v1/eu/websites"]
    send, websites = fake.requests
    assert send.header("x-umami-api-key") is None and websites.header("x-umami-api-key") == CLOUD_KEY
    assert len(fake.custom_events(name="signup")) == 1
    assert not umami.is_logged_in()  # the last line left Cloud mode


def reading_your_numbers(fake: FakeUmami, ns: dict[str, Any], printed: list[str]) -> None:
    assert printed == ["createdAt,urlPath,eventName"]  # a new website: no pages, no days with views, no events
    routes = [request.url.split("?")[0].rsplit("/", 1)[-1] for request in fake.requests]
    assert routes[-3:] == ["metrics", "pageviews", "events"]
    assert "country=FR" in fake.requests[-1].url


def reports(fake: FakeUmami, ns: dict[str, Any], printed: list[str]) -> None:
    # A new website: nobody in the funnel, no sessions, no revenue.
    assert printed == ["/ 0 0", "/pricing 0 0", "signup 0 0", "0 of 0 sessions signed up", "0"]
    routes = [request.url.rsplit("/", 1)[-1] for request in fake.requests]
    assert routes[-3:] == ["funnel", "goal", "revenue"]


def managing(fake: FakeUmami, ns: dict[str, Any], printed: list[str]) -> None:
    assert printed == [ns["share"].slug, "admin team-owner", "ada team-member"]
    blog = fake.store.websites[ns["blog"].id]
    assert (blog.domain, blog.team_id) == ("blog.example.com", ns["team"].id)


def every_operation(fake: FakeUmami, ns: dict[str, Any], printed: list[str]) -> None:
    assert printed == []  # a new website: no pages, no events yet
    paths = [request.url.split("?")[0] for request in fake.requests]
    assert paths[-2:] == [f"https://umami.example.com/api/websites/{WEBSITE}/metrics", f"https://umami.example.com/api/websites/{WEBSITE}/events"]
    assert "type=path" in fake.requests[-2].url and "page=1" in fake.requests[-1].url


def limits(fake: FakeUmami, ns: dict[str, Any], printed: list[str]) -> None:
    assert printed == ["Limits(deadline=5.0, max_body=1000000, max_pages=50)"]
    assert umami.default_client().limits == umami.Limits(5.0, 1_000_000, 50)
    umami.reset()
    assert umami.default_client().limits == umami.Limits()  # reset() forgets them too


def background_sending(fake: FakeUmami, ns: dict[str, Any], printed: list[str]) -> None:
    assert printed == ["{'queued': True}", "True 1"]
    (signup,) = fake.custom_events(name="signup")
    assert signup.payload["ip"] == "203.0.113.7"
    assert any(request.url.endswith("/api/batch") for request in fake.requests)
    umami.disable_background_sending()


def serverless(fake: FakeUmami, ns: dict[str, Any], printed: list[str]) -> None:
    (view,) = fake.page_views(url="/")
    assert view.payload["ip"] == "198.51.100.4"  # delivered before the handler returned (it flushed)
    umami.disable_background_sending()


def choosing_the_transport(fake: FakeUmami, ns: dict[str, Any], printed: list[str]) -> None:
    assert isinstance(ns["client"], umami.Client)
    assert list(fake.requests) == []  # it only chose transports


def mock_transport(fake: FakeUmami, ns: dict[str, Any], printed: list[str]) -> None:
    assert isinstance(ns["mock"], MockTransport) and len(ns["mock"].requests) == 1
    assert list(fake.requests) == []  # the function answered, not the fake


def several_clients(fake: FakeUmami, ns: dict[str, Any], printed: list[str]) -> None:
    (view,) = fake.page_views(url="/cart")
    assert view.hostname == "shop.example" and view.page_title == "Cart"
    assert [request.url for request in fake.requests] == ["https://umami.shop.example/api/send"]


def embedded_umami(fake: FakeUmami, ns: dict[str, Any], printed: list[str]) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", printed[0])
    assert isinstance(ns["fake"], FakeUmami) and isinstance(ns["server"], FakeServer)


# The middleware blocks define an app (or Django settings): the checks serve a request through it,
# from behind the trusted proxy 10.0.0.5, and look at the page view the fake stored.
BROWSER_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
THROUGH_PROXY = {"user-agent": BROWSER_UA, "x-forwarded-for": "198.51.100.66, 203.0.113.7", "host": "example.com"}


def the_page_view(fake: FakeUmami, path: str) -> Any:
    try:
        assert umami.flush(5.0).complete  # the middleware turned background sending on
    finally:
        umami.disable_background_sending()
    (view,) = fake.page_views(url=path)
    return view


def web_fastapi(fake: FakeUmami, ns: dict[str, Any], printed: list[str]) -> None:
    import asyncio

    import httpx

    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(ns["app"], client=("10.0.0.5", 51000))
        async with httpx.AsyncClient(transport=transport, base_url="https://example.com") as client:
            return await client.get("/pricing", headers=THROUGH_PROXY)

    assert asyncio.run(get()).text == "<h1>Pricing</h1>"
    view = the_page_view(fake, "/pricing")
    assert view.payload["ip"] == "203.0.113.7" and view.hostname == "example.com"  # the visitor, not the proxy


def web_flask(fake: FakeUmami, ns: dict[str, Any], printed: list[str]) -> None:
    answer = ns["app"].test_client().get("/account", headers={"user-agent": BROWSER_UA}, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert answer.text == "<h1>Your account</h1>"
    view = the_page_view(fake, "/account")
    assert view.payload["ip"] == "203.0.113.7" and fake.session_of(view).distinct_id == "user-42"  # type: ignore[union-attr]


def web_django(fake: FakeUmami, ns: dict[str, Any], printed: list[str]) -> None:
    from tests.integrations.support import configure_django

    configure_django()  # the tests' views (/pricing among them), without a database
    from django.test import Client, override_settings

    with override_settings(MIDDLEWARE=ns["MIDDLEWARE"], UMAMI_MIDDLEWARE=ns["UMAMI_MIDDLEWARE"]):
        answer = Client(REMOTE_ADDR="10.0.0.5").get("/pricing", headers=THROUGH_PROXY)
    assert answer.status_code == 200
    assert the_page_view(fake, "/pricing").payload["ip"] == "203.0.113.7"


Check = Callable[[FakeUmami, dict[str, Any], list[str]], None]
EXPECTED: dict[str, Check] = {
    "Quick start (sync) #1": quick_start_sync,
    "Quick start (async) #1": quick_start_async,
    "Identifying users #1": identifying_users,
    "Umami Cloud #1": cloud,
    "Reading your numbers #1": reading_your_numbers,
    "Reports #1": reports,
    "Managing users, teams and websites #1": managing,
    "Every operation of Umami's API #1": every_operation,
    "Limits #1": limits,
    "Background sending #1": background_sending,
    "Background sending #2": serverless,
    "Server-side tracking in web apps #1": web_fastapi,
    "Server-side tracking in web apps #2": web_flask,
    "Server-side tracking in web apps #3": web_django,
    "Choosing the transport #1": choosing_the_transport,
    "Choosing the transport #2": mock_transport,
    "Several servers or websites in one process #1": several_clients,
    "The embedded Umami: a demo and your tests without a server #1": embedded_umami,
}
PYTEST_EXAMPLES = [
    "The embedded Umami: a demo and your tests without a server #2",
    "The embedded Umami: a demo and your tests without a server #3",  # Faults: a 503, then the purchase goes through
]


def test_every_block_is_checked() -> None:
    assert [block_id for block_id, _ in python_blocks()] == [*EXPECTED, *PYTEST_EXAMPLES]


@pytest.mark.parametrize("block_id", list(EXPECTED))
def test_block_runs_as_shown(block_id: str, fake: FakeUmami, capsys: pytest.CaptureFixture[str]) -> None:
    code = dict(python_blocks())[block_id]
    ns = namespace(FakeTransport(fake))
    exec(compile(code, f"README.md: {block_id}", "exec"), ns)
    printed = capsys.readouterr().out.splitlines()
    EXPECTED[block_id](fake, ns, printed)


# -- the pytest example --------------------------------------------------------------------------

MY_SHOP = '''
import umami


def checkout(cart):
    """Charges the cart, then reports it to Umami as a purchase."""
    total = sum(price for _, price in cart)
    umami.new_revenue_event(total, 'EUR', event_name='purchase', url='/checkout')
    return total
'''


def run_pytest_example(tmp_path: Path, code: str, my_shop: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "my_shop.py").write_text(textwrap.dedent(my_shop))
    (tmp_path / "test_readme_example.py").write_text(code)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_readme_example.py"]
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("block_id", PYTEST_EXAMPLES)
def test_pytest_example_passes(block_id: str, tmp_path: Path) -> None:
    done = run_pytest_example(tmp_path, dict(python_blocks())[block_id], MY_SHOP)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


@pytest.mark.parametrize("block_id", PYTEST_EXAMPLES)
def test_pytest_example_fails_when_the_shop_reports_something_else(block_id: str, tmp_path: Path) -> None:
    done = run_pytest_example(tmp_path, dict(python_blocks())[block_id], MY_SHOP.replace("total, 'EUR'", "total / 2, 'EUR'"))
    assert done.returncode == 1 and "1 failed" in done.stdout, done.stdout + done.stderr
    assert "assert 124.5 == 249.0" in done.stdout  # the example's own check caught it
