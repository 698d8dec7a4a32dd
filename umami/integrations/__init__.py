"""Server-side page views from web apps: middleware for ASGI, WSGI and Django.

Each middleware records a page view in Umami for every request that counts (by default a
successful ``GET`` answered with ``text/html``), with the visitor's own IP address, User-Agent,
referrer and language, and never slows or breaks the app: events go through background sending
and any failure of tracking is logged (logger ``umami.integrations``) and swallowed.

- :mod:`umami.integrations.asgi`: ``UmamiMiddleware(app, **options)`` for Starlette, FastAPI or
  any ASGI app.
- :mod:`umami.integrations.wsgi`: ``UmamiMiddleware(app, **options)`` for Flask or any WSGI app.
- :mod:`umami.integrations.django`: ``UmamiMiddleware`` for Django (sync and async), its options
  in ``settings.UMAMI_MIDDLEWARE``.

The options are the same everywhere; see :class:`Tracker`. Nothing here imports a web framework:
``import umami`` does not import this package, and each middleware imports only what it needs.
"""

from umami.integrations._common import DEFAULT_EXCLUDED_PATHS, RequestInfo, Tracker

__all__ = ["DEFAULT_EXCLUDED_PATHS", "RequestInfo", "Tracker"]
