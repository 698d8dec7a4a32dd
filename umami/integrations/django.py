"""Django middleware: a page view in Umami for each page a Django project serves, sync or async.

```python
# settings.py
MIDDLEWARE = [
    'umami.integrations.django.UmamiMiddleware',   # first: it then sees every answer
    # ... the others
]
UMAMI_MIDDLEWARE = {'trusted_proxies': ['10.0.0.0/8']}   # options, as for the other middleware
```

The page view is queued once the view's response is ready (the response itself is returned
untouched, streaming ones too), on the request's own thread or event loop. The middleware is
sync- and async-capable: under ASGI it stays async, without a thread hop. In async mode the hooks
run on the event loop, where Django forbids database queries: read a header, a cookie or what an
earlier middleware set on the request rather than ``request.user``, which loads lazily.
"""

from __future__ import annotations

from typing import Any

from umami.integrations._common import EnvironHeaders, RequestInfo, Tracker

__all__ = ["UmamiMiddleware"]


class UmamiMiddleware:
    """Django middleware; its options are the dict ``settings.UMAMI_MIDDLEWARE``.

    The options are those of :class:`umami.integrations.Tracker` (``client``, ``hostname``,
    ``trusted_proxies``, ``proxy_header``, ``methods``, ``statuses``, ``content_types``,
    ``include_paths``, ``exclude_paths``, ``should_track``, ``title``, ``distinct_id``,
    ``custom_data``, ``exclude_query``, ``skip_prefetch``). The hooks receive a
    :class:`~umami.integrations.RequestInfo` whose ``native`` is the ``HttpRequest``.

    Args:
        get_response: The next middleware or the view (Django passes it).
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Any) -> None:
        from asgiref.sync import iscoroutinefunction, markcoroutinefunction
        from django.conf import settings  # type: ignore[import-untyped]

        self.get_response = get_response
        self.tracker = Tracker(**getattr(settings, "UMAMI_MIDDLEWARE", {}))
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:  # Django then awaits this middleware: no thread hop
            markcoroutinefunction(self)

    def __call__(self, request: Any) -> Any:
        if self.is_async:
            return self.__acall__(request)
        response = self.get_response(request)
        if self.tracker.wants_request(request.method, request.path):
            self.tracker.track(lambda: request_info(request), response.status_code, response.get("Content-Type"))
        return response

    async def __acall__(self, request: Any) -> Any:
        response = await self.get_response(request)
        if self.tracker.wants_request(request.method, request.path):
            await self.tracker.track_async(lambda: request_info(request), response.status_code, response.get("Content-Type"))
        return response


def request_info(request: Any) -> RequestInfo:
    """The :class:`RequestInfo` of a Django ``HttpRequest``."""
    meta = request.META
    peer = meta.get("REMOTE_ADDR") or None
    return RequestInfo(request.method, request.path, request.get_full_path(), EnvironHeaders(meta), peer, request)
