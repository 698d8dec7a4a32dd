"""WSGI middleware: a page view in Umami for each page a WSGI app serves (Flask, Bottle, Pyramid...).

```python
from flask import Flask
from umami.integrations.wsgi import UmamiMiddleware

app = Flask(__name__)
app.wsgi_app = UmamiMiddleware(app.wsgi_app, trusted_proxies=['10.0.0.0/8'])
```

The middleware only watches the app's call of ``start_response`` (status and ``Content-Type``),
queues the page view right after it, and returns the app's iterable as it is: never read, never
wrapped (``wsgi.file_wrapper`` and streaming keep working). In Flask, ``start_response`` is called
inside the request context, so the hooks may use ``flask.g`` and ``flask.session``. No framework
is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from umami.integrations._common import EnvironHeaders, RequestInfo, Tracker, decoded_wsgi, page_url

__all__ = ["UmamiMiddleware"]

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]


class UmamiMiddleware:
    """Wraps a WSGI app: each request that counts becomes a page view in Umami.

    Args:
        app: The WSGI application (in Flask, ``app.wsgi_app``).
        **options: The options of :class:`umami.integrations.Tracker` (``client``, ``hostname``,
            ``trusted_proxies``, ``proxy_header``, ``methods``, ``statuses``, ``content_types``,
            ``include_paths``, ``exclude_paths``, ``should_track``, ``title``, ``distinct_id``,
            ``custom_data``, ``exclude_query``, ``skip_prefetch``). The hooks receive a
            :class:`~umami.integrations.RequestInfo` whose ``native`` is the WSGI environ.
    """

    def __init__(self, app: WSGIApp, **options: Any) -> None:
        self.app = app
        self.tracker = Tracker(**options)

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = decoded_wsgi(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""))
        if not self.tracker.wants_request(environ.get("REQUEST_METHOD", "GET"), path):
            return self.app(environ, start_response)
        tracker = self.tracker
        tracked = False

        def observed(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            nonlocal tracked
            write = start_response(status, headers, exc_info) if exc_info is not None else start_response(status, headers)
            if not tracked:  # a second call (an error after the first) cannot undo the first
                tracked = True
                tracker.track(lambda: request_info(environ, path), _status_code(status), _content_type(headers))
            return write

        return self.app(environ, observed)


def _status_code(status: str) -> int:
    try:
        return int(status[:3])
    except ValueError:
        return 0


def _content_type(headers: list[tuple[str, str]]) -> str | None:
    for name, value in headers:
        if name.lower() == "content-type":
            return value
    return None


def request_info(environ: Mapping[str, Any], path: str) -> RequestInfo:
    """The :class:`RequestInfo` of a WSGI environ (``path``: the decoded SCRIPT_NAME + PATH_INFO)."""
    raw_path = (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")).encode("latin-1")
    url = page_url(raw_path, environ.get("QUERY_STRING", "").encode("latin-1"), encoded=False)
    method, peer = environ.get("REQUEST_METHOD", "GET"), environ.get("REMOTE_ADDR") or None
    return RequestInfo(method, path, url, EnvironHeaders(environ), peer, environ)
