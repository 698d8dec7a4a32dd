"""The WSGI middleware with Flask, through Flask's test client (and as raw WSGI where the protocol
itself is checked), against the embedded Umami."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import flask
import pytest

import umami
from tests.integrations.support import BROWSER, CHROME, PROXY, VISITOR, delivered
from umami.integrations.wsgi import UmamiMiddleware
from umami_transports.fake import FakeUmami, Faults

PAGE = "<h1>Welcome</h1>"


def flask_app(**options: Any) -> flask.Flask:
    app = flask.Flask(__name__)

    @app.get("/")
    @app.get("/pricing")
    @app.get("/static-like.css")
    def page() -> str:
        return PAGE

    @app.get("/api")
    def api() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/missing")
    def missing() -> tuple[str, int]:
        return "<h1>Not here</h1>", 404

    @app.get("/account")
    def account() -> str:
        flask.g.user_id = "user-42"  # as a login decorator would
        return PAGE

    @app.get("/stream")
    def stream() -> flask.Response:
        def chunks() -> Iterator[str]:
            for number in range(3):
                yield f"<p>{number}</p>"

        return flask.Response(flask.stream_with_context(chunks()), mimetype="text/html")

    app.wsgi_app = UmamiMiddleware(app.wsgi_app, **options)  # type: ignore[method-assign]
    return app


def fetch(app: flask.Flask, *paths: str, peer: str = VISITOR, headers: dict[str, str] | None = None) -> list[Any]:
    client = app.test_client()
    return [client.get(path, headers={**BROWSER, **(headers or {})}, environ_base={"REMOTE_ADDR": peer}, base_url="http://shop.example")
            for path in paths]  # fmt: skip


def test_page_views_arrive_with_the_visitor(any_fake: FakeUmami) -> None:
    answers = fetch(flask_app(), "/pricing?plan=pro", "/api", "/missing", "/static-like.css")

    assert [answer.status_code for answer in answers] == [200, 200, 404, 200]
    assert answers[0].text == PAGE and answers[1].json == {"ok": True}
    assert delivered(any_fake) == ["/pricing?plan=pro"]
    (view,) = any_fake.page_views()
    seen = (view.payload["ip"], view.hostname, view.referrer_domain, view.payload["userAgent"])
    assert seen == (VISITOR, "shop.example", "search.example", CHROME)
    assert any_fake.session_of(view).language == "fr-CH"  # type: ignore[union-attr]


def test_forwarded_for_is_believed_from_trusted_proxies_only(fake: FakeUmami) -> None:
    forwarded = {"X-Forwarded-For": f"198.51.100.66, {VISITOR}"}
    fetch(flask_app(trusted_proxies=["10.0.0.0/8"]), "/", peer=PROXY, headers=forwarded)
    fetch(flask_app(), "/pricing", peer=PROXY, headers=forwarded)

    delivered(fake)
    assert {view.url_path: view.payload["ip"] for view in fake.page_views()} == {"/": VISITOR, "/pricing": PROXY}


def test_hooks_run_in_the_request_context(fake: FakeUmami) -> None:
    app = flask_app(distinct_id=lambda info: flask.g.get("user_id"), title=lambda info: flask.request.endpoint)
    fetch(app, "/account", "/pricing")

    delivered(fake)
    seen = {view.url_path: (view.page_title, fake.session_of(view).distinct_id) for view in fake.page_views()}  # type: ignore[union-attr]
    assert seen == {"/account": ("account", "user-42"), "/pricing": ("page", None)}


def test_streaming_responses_arrive_whole(fake: FakeUmami) -> None:
    (answer,) = fetch(flask_app(), "/stream")
    assert answer.text == "<p>0</p><p>1</p><p>2</p>"
    assert delivered(fake) == ["/stream"]


def test_the_apps_iterable_is_returned_as_it_is(fake: FakeUmami) -> None:
    """Never read, never wrapped: the very object the app returned, still unread when tracked."""
    produced: list[str] = []
    returned: list[Any] = []

    def chunks() -> Iterator[bytes]:
        produced.append("first")
        yield b"<p>first</p>"
        produced.append("last")
        yield b"<p>last</p>"

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        start_response("200 OK", [("Content-Type", "text/html")])
        returned.append(chunks())
        return returned[0]

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/news", "QUERY_STRING": "", "REMOTE_ADDR": VISITOR, "HTTP_USER_AGENT": CHROME}
    statuses: list[str] = []
    body = UmamiMiddleware(app)(environ, lambda status, headers, exc_info=None: statuses.append(status))

    assert body is returned[0] and produced == []
    assert delivered(fake) == ["/news"]  # tracked at start_response, before any of the body was produced
    assert list(body) == [b"<p>first</p>", b"<p>last</p>"] and statuses == ["200 OK"]


@pytest.mark.umami_fake(faults=Faults(reset_rate=1.0))
def test_a_failing_umami_fails_no_request(fake: FakeUmami) -> None:
    answers = fetch(flask_app(), *["/"] * 20)

    assert [(answer.status_code, answer.text) for answer in answers] == [(200, PAGE)] * 20
    assert umami.delivery_stats().queued == 20
    assert not umami.flush(0.5).complete and fake.page_views() == []
    assert fake.fault_counts.resets >= 1
    umami.shutdown(0.1)


def test_a_failing_hook_is_logged_and_the_app_answers(fake: FakeUmami, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="umami.integrations"):
        answers = fetch(flask_app(custom_data=lambda info: {"not json": object()}), "/", "/")

    assert [answer.text for answer in answers] == [PAGE, PAGE]
    (record,) = [record for record in caplog.records if record.name == "umami.integrations"]
    assert isinstance(record.exc_info[1], umami.ValidationError)  # type: ignore[index]
    assert delivered(fake) == []
