"""A Flask app whose pages are counted in Umami by the WSGI middleware, with the logged-in user.

    python examples/flask_app.py

It starts an embedded Umami (``umami_transports.fake``) on 127.0.0.1, points ``umami`` at it, lets
a few visitors browse the app through Flask's test client, then reads the numbers back from Umami
over HTTP. The ``distinct_id`` hook reads ``flask.g``, set by the view as a login would: the user's
two page views from two addresses are one visitor in Umami.
"""

from __future__ import annotations

import datetime

import flask

import umami
from umami.integrations.wsgi import UmamiMiddleware
from umami_transports.fake import FakeServer

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1"
)
#: (visitor's IP, User-Agent, path, logged-in user)
VISITS = [
    ("203.0.113.7", CHROME, "/", None),
    ("203.0.113.7", CHROME, "/account", "user-42"),
    ("198.51.100.4", SAFARI, "/account", "user-42"),  # the same user, from a phone
    ("198.51.100.9", SAFARI, "/", None),
    ("198.51.100.9", SAFARI, "/static/app.css", None),
]

app = flask.Flask(__name__)
app.wsgi_app = UmamiMiddleware(  # type: ignore[method-assign]
    app.wsgi_app,
    distinct_id=lambda request: flask.g.get("user_id"),
    title=lambda request: flask.request.endpoint,
)


@app.get("/")
def home() -> str:
    return "<h1>Home</h1>"


@app.get("/account")
def account() -> str:
    flask.g.user_id = flask.request.headers.get("X-Demo-User")  # your login code knows who it is
    return "<h1>Your account</h1>"


@app.get("/static/app.css")
def stylesheet() -> flask.Response:
    return flask.Response("h1 { color: teal }", mimetype="text/html")  # mislabelled, yet not counted: a static path


def main() -> None:
    with FakeServer() as server:
        umami.set_url_base(server.url)
        umami.set_website_id(server.fake.website.id)  # type: ignore[union-attr]
        client = app.test_client()
        for ip, user_agent, path, user in VISITS:
            headers = {"User-Agent": user_agent, **({"X-Demo-User": user} if user else {})}
            answer = client.get(path, headers=headers, environ_base={"REMOTE_ADDR": ip}, base_url="https://shop.example")
            print(f"GET {path} -> {answer.status_code}")
        flushed = umami.flush(timeout=5.0)  # the middleware queued the page views; wait for them
        stats = umami.delivery_stats()
        print(f"delivered: {flushed.complete}, events queued {stats.queued}, delivered {stats.delivered}")

        umami.login(server.fake.username, server.fake.password)
        end = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=1)
        start = end - datetime.timedelta(hours=1)
        totals = umami.website_stats(start_at=start, end_at=end)
        print(f"page views: {totals.pageviews}, visitors: {totals.visitors}")
        print("visitors by page title:")
        for row in umami.metrics("title", start, end):
            print(f"  {row.x}: {row.y}")
        umami.shutdown()


if __name__ == "__main__":
    main()
