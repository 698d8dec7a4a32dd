"""What every middleware shares: which requests count, who the visitor is, and the page view sent.

The framework modules only translate their request and response into :class:`RequestInfo`, a
status and a content type; everything else is here, without any framework.
"""

from __future__ import annotations

import fnmatch
import functools
import logging
import re
import threading
import time
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import umami
from umami.integrations._visitor import TrustedProxies, client_ip, hostname_from_host, language_from, referrer_from
from umami_core.sending import Event, page_view
from umami_core.validation import check_custom_data, check_hostname, check_revenue_data

if TYPE_CHECKING:
    import ipaddress

    from umami_core import Config

__all__ = ["DEFAULT_EXCLUDED_PATHS", "EnvironHeaders", "RequestInfo", "Tracker", "decoded_wsgi", "media_type", "page_url"]

logger = logging.getLogger("umami.integrations")

#: Paths never counted unless you pass ``exclude_paths`` yourself: static files and health checks.
DEFAULT_EXCLUDED_PATHS: tuple[str, ...] = (
    "/static/*", "/assets/*", "/media/*", "/_next/*", "/favicon.ico", "/robots.txt", "/sitemap.xml", "/manifest.json",
    "/apple-touch-icon*", "/.well-known/*",
    "/health", "/health/*", "/healthz", "/healthcheck", "/ready", "/readyz", "/live", "/livez", "/ping", "/status", "/metrics",
    "*.css", "*.js", "*.mjs", "*.map", "*.png", "*.jpg", "*.jpeg", "*.gif", "*.svg", "*.webp", "*.avif", "*.ico", "*.bmp",
    "*.woff", "*.woff2", "*.ttf", "*.otf", "*.eot", "*.mp4", "*.webm", "*.mp3", "*.wasm", "*.json", "*.xml", "*.txt",
)  # fmt: skip

PathPattern = str | re.Pattern[str]
Hook = Callable[["RequestInfo"], Any]

_enabling = threading.Lock()


class RequestInfo:
    """A request as the middleware sees it, the same for every framework; what the hooks receive.

    Attributes:
        method: The HTTP method, in upper case.
        path: The path, percent-decoded (what the path patterns match).
        url: The page URL sent to Umami: the path as the browser sent it, and ``?query`` if any.
        headers: The request headers by lower-case name (``info.headers.get('user-agent')``).
        client: The socket peer's address (the last proxy's, behind a proxy), or None.
        native: The framework's own request: the ASGI ``scope``, the WSGI ``environ`` or the
            Django ``HttpRequest`` (for ``request.user``, ``scope['state']``, ``flask.g``...).
    """

    __slots__ = ("client", "headers", "method", "native", "path", "url")

    def __init__(self, method: str, path: str, url: str, headers: Mapping[str, str], client: str | None, native: Any) -> None:
        self.method, self.path, self.url, self.headers, self.client, self.native = method, path, url, headers, client, native

    @property
    def cookies(self) -> dict[str, str]:
        """The ``Cookie`` header as a dict (parsed on each access: hooks rarely need it)."""
        cookies: dict[str, str] = {}
        for pair in (self.headers.get("cookie") or "").split(";"):
            name, sep, value = pair.partition("=")
            if sep and name.strip():
                cookies.setdefault(name.strip(), value.strip().strip('"'))
        return cookies

    def __repr__(self) -> str:
        return f"RequestInfo({self.method} {self.url!r}, client={self.client!r})"


def decoded_wsgi(wsgi_text: str) -> str:
    """A WSGI "bytes as latin-1" string as text (UTF-8)."""
    if wsgi_text.isascii():
        return wsgi_text
    return wsgi_text.encode("latin-1").decode("utf-8", "replace")


@functools.lru_cache(maxsize=256)  # the same few header names are asked for on every request
def _environ_key(name: str) -> str:
    key = name.upper().replace("-", "_")
    return key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + key


class EnvironHeaders(Mapping[str, str]):
    """The request headers of a WSGI environ (or Django's ``request.META``) by lower-case name, read on demand."""

    __slots__ = ("environ",)

    def __init__(self, environ: Mapping[str, Any]) -> None:
        self.environ = environ

    def __getitem__(self, name: str) -> str:
        value = self.environ[_environ_key(name)]
        if not isinstance(value, str):
            raise KeyError(name)
        return decoded_wsgi(value)

    def get(self, name: str, default: Any = None) -> Any:  # the hot path: no KeyError raised and caught
        value = self.environ.get(_environ_key(name))
        return decoded_wsgi(value) if isinstance(value, str) else default

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and isinstance(self.environ.get(_environ_key(name)), str)

    def __iter__(self) -> Iterator[str]:
        for key, value in self.environ.items():
            if isinstance(value, str) and (key.startswith("HTTP_") or key in ("CONTENT_TYPE", "CONTENT_LENGTH")):
                yield key.removeprefix("HTTP_").replace("_", "-").lower()

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _path_matcher(patterns: Iterable[PathPattern]) -> Callable[[str], bool]:
    """One test for many patterns: shell globs (``'/static/*'``, ``'*.css'``; ``*`` also crosses
    '/') match the whole path, compiled regexes are searched in it."""
    patterns = list(patterns)
    globs = [fnmatch.translate(pattern) for pattern in patterns if isinstance(pattern, str)]
    regexes = [pattern for pattern in patterns if not isinstance(pattern, str)]
    if any(not isinstance(pattern, re.Pattern) for pattern in regexes):
        raise TypeError("Path patterns must be strings (shell globs) or compiled regexes (re.compile(...)).")
    combined = re.compile("|".join(globs)) if globs else None

    def matches(path: str) -> bool:
        return bool((combined is not None and combined.match(path)) or any(regex.search(path) for regex in regexes))

    return matches


class Tracker:
    """The options of a middleware, and the work it does per request; every middleware takes these.

    By default a page view is sent for each ``GET`` answered with a 2xx status and a ``text/html``
    body, except static files and health checks (:data:`DEFAULT_EXCLUDED_PATHS`), browser
    prefetches and requests without a User-Agent. Every condition must hold.

    Args:
        client: The ``umami.Client`` to send with (default: ``umami.default_client()``, the one the
            module-level functions configure). Its background sending is enabled on first use if
            the app did not enable it, so that tracking never waits for Umami.
        hostname: The hostname sent to Umami. Default: the request's ``Host`` header without the
            port (as Umami's tracker script sends ``location.hostname``), else the client's
            ``set_hostname()``.
        trusted_proxies: Addresses or CIDR networks of your reverse proxies / load balancers.
            Only when the socket peer is one of them is ``proxy_header`` read, right to left,
            skipping trusted hops. None by default: the peer is the visitor.
        proxy_header: ``'X-Forwarded-For'`` (the default) or ``'Forwarded'`` (RFC 7239); the
            header your proxy sets (one only: a header it does not set is the visitor's to forge).
        methods: The HTTP methods counted.
        statuses: The response statuses counted (``range(200, 300)``).
        content_types: The response media types counted (``text/html``); None: any.
        include_paths: If given, only paths matching one of these count: shell globs
            (``'/blog/*'``) or compiled regexes (``re.compile(r'^/docs/')``, searched).
        exclude_paths: Paths that never count (globs or regexes); :data:`DEFAULT_EXCLUDED_PATHS` by
            default. Add yours with ``exclude_paths=(*DEFAULT_EXCLUDED_PATHS, '/admin/*')``.
        should_track: ``should_track(request_info, status, content_type) -> bool``, an extra
            condition (``content_type`` is the media type in lower case, '' if none).
        title: ``title(request_info) -> str | None``: the page title (default '': the server
            does not read the page).
        distinct_id: ``distinct_id(request_info) -> str | int | None``: the user's id, if known.
        custom_data: ``custom_data(request_info) -> dict | None``: data stored with the page view.
        exclude_query: Send the path without its query string (the tracker's ``data-exclude-search``).
        skip_prefetch: Do not count browser prefetches (``Sec-Purpose: prefetch``).
        flush_timeout: Seconds the ASGI middleware waits at lifespan shutdown for queued events.

    Raises:
        ValidationError: If ``hostname`` is not a host.
        ValueError: If a trusted proxy is not an address or network, or ``proxy_header`` is unknown.
    """

    def __init__(
        self,
        *,
        client: umami.Client | None = None,
        hostname: str | None = None,
        trusted_proxies: Iterable[str | ipaddress.IPv4Network | ipaddress.IPv6Network] = (),
        proxy_header: str = "X-Forwarded-For",
        methods: Iterable[str] = ("GET",),
        statuses: Container[int] = range(200, 300),
        content_types: Iterable[str] | None = ("text/html",),
        include_paths: Iterable[PathPattern] | None = None,
        exclude_paths: Iterable[PathPattern] = DEFAULT_EXCLUDED_PATHS,
        should_track: Callable[[RequestInfo, int, str], bool] | None = None,
        title: Hook | None = None,
        distinct_id: Hook | None = None,
        custom_data: Hook | None = None,
        exclude_query: bool = False,
        skip_prefetch: bool = True,
        flush_timeout: float = 5.0,
    ) -> None:
        self.client = client
        self.hostname = check_hostname(hostname) if hostname else None
        self.trusted_proxies = TrustedProxies(trusted_proxies)
        header = proxy_header.lower()
        if header not in ("x-forwarded-for", "forwarded"):
            raise ValueError(f"proxy_header must be 'X-Forwarded-For' or 'Forwarded', got {proxy_header!r}.")
        self.proxy_header = header
        self.methods = frozenset(method.upper() for method in methods)
        self.statuses = statuses
        self.content_types = None if content_types is None else frozenset(kind.lower() for kind in content_types)
        included = _path_matcher(include_paths) if include_paths is not None else None
        excluded = _path_matcher(exclude_paths)
        # Paths come again and again: remember the verdict (bounded).
        self.path_counts = functools.lru_cache(maxsize=4096)(lambda path: (included is None or included(path)) and not excluded(path))
        self.should_track, self.title, self.distinct_id, self.custom_data = should_track, title, distinct_id, custom_data
        self.exclude_query, self.skip_prefetch, self.flush_timeout = exclude_query, skip_prefetch, flush_timeout
        self._last_report = -1e9
        self._unreported = 0

    # -- the decision, in the order of its cost ------------------------------------------------------

    def wants_request(self, method: str, path: str) -> bool:
        """Whether a request may count, before it is answered (method and path only)."""
        return method in self.methods and bool(self.path_counts(path))

    def wants_response(self, status: int, content_type: str) -> bool:
        """Whether the answer counts (status and media type; ``content_type`` as :func:`media_type` gives it)."""
        return status in self.statuses and (self.content_types is None or content_type in self.content_types)

    # -- sending -------------------------------------------------------------------------------------

    def track(self, info: Callable[[], RequestInfo], status: int, content_type: str | None) -> None:
        """Queue the page view of a request whose answer started, if it counts; never raises."""
        try:
            prepared = self._prepare(info, status, media_type(content_type))
            if prepared is not None:
                client, config, event = prepared
                client._deliver(config, event)
        except Exception:  # noqa: BLE001 - tracking must never break the app: logged (rate-limited) instead
            self._report_failure()

    async def track_async(self, info: Callable[[], RequestInfo], status: int, content_type: str | None) -> None:
        """:meth:`track` for async apps: a full queue in ``when_full='block'`` mode waits in a thread."""
        try:
            prepared = self._prepare(info, status, media_type(content_type))
            if prepared is not None:
                client, config, event = prepared
                await client._deliver_async(config, event)
        except Exception:  # noqa: BLE001 - as in track()
            self._report_failure()

    async def flush_async(self) -> None:
        """Wait (at most ``flush_timeout``) until the events queued so far are delivered; never raises."""
        try:
            flushed = await self.sending_client(enable=False).flush_async(self.flush_timeout)
            if not flushed.complete:
                logger.warning("umami: %d events still queued after %.1f s at shutdown.", flushed.pending, self.flush_timeout)
        except Exception:  # shutting down must go on
            logger.warning("umami: flushing the queued page views failed.", exc_info=True)

    def sending_client(self, *, enable: bool = True) -> umami.Client:
        """The client page views go through, its background sending enabled (with ``enable``)."""
        client = self.client if self.client is not None else umami.default_client()
        if enable and client._sender is None:
            with _enabling:
                if client._sender is None:
                    client.enable_background_sending()
                    logger.info("umami: background sending enabled for the middleware's page views.")
        return client

    def _prepare(self, make_info: Callable[[], RequestInfo], status: int, content_type: str) -> tuple[umami.Client, Config, Event] | None:
        if not self.wants_response(status, content_type):
            return None
        info = make_info()
        headers = info.headers
        if self.skip_prefetch and "prefetch" in (headers.get("sec-purpose") or headers.get("purpose") or ""):
            return None
        user_agent = headers.get("user-agent")
        if not user_agent or not user_agent.isascii() or not user_agent.isprintable():
            return None  # no browser sends that; Umami would count it as one visitor of the server
        if self.should_track is not None and not self.should_track(info, status, content_type):
            return None
        client = self.sending_client()
        config = client._config
        forwarded = headers.get(self.proxy_header) if self.trusted_proxies else None
        event = page_view(
            config,
            (self.title(info) or "") if self.title is not None else "",
            info.url.partition("?")[0] if self.exclude_query else info.url,
            self.hostname or hostname_from_host(headers.get("host")),
            None,
            referrer_from(headers.get("referer")),
            language_from(headers.get("accept-language")),
            "",  # the screen is unknown on the server; Umami then guesses the device from the User-Agent
            user_agent,
            client_ip(info.client, forwarded, self.trusted_proxies, rfc7239=self.proxy_header == "forwarded"),
            self.distinct_id(info) if self.distinct_id is not None else None,
        )
        data = self.custom_data(info) if self.custom_data is not None else None
        if data:
            # Umami stores a page view's data as it stores an event's (saveEvent: `if (eventData)`).
            event = Event({**event.payload, "data": check_revenue_data(check_custom_data(data))}, event.user_agent)
        return client, config, event

    def _report_failure(self) -> None:
        """Log the failure with its traceback, at most one every 10 s (a broken setting fails every request)."""
        now = time.monotonic()
        if now - self._last_report < 10:
            self._unreported += 1
            return
        skipped, self._unreported, self._last_report = self._unreported, 0, now
        more = f" ({skipped} more failures since the last report)" if skipped else ""
        logger.warning("umami: a page view could not be tracked%s; the app's answer is not affected.", more, exc_info=True)


# What stays as it is in a URL's path (RFC 3986 pchar and '/').
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_NEEDS_QUOTING = re.compile(rb"[^A-Za-z0-9/:@!$&'()*+,;=\-._~]")


def page_url(path: bytes, query: bytes, *, encoded: bool) -> str:
    """The URL sent to Umami: the path, percent-encoded (``encoded``: it already is, as on the
    wire), then ``?query`` (always as on the wire)."""
    if (encoded and path.isascii()) or not _NEEDS_QUOTING.search(path):
        url = path.decode("ascii")
    else:
        url = quote(path, safe=_PATH_SAFE + "%" if encoded else _PATH_SAFE)
    if query:
        url += "?" + (query.decode("ascii") if query.isascii() else quote(query, safe=_PATH_SAFE + "%?"))
    return url


def media_type(content_type: str | None) -> str:
    """``'text/html; charset=utf-8'`` -> ``'text/html'``; '' for None."""
    if not content_type:
        return ""
    return content_type.partition(";")[0].strip().lower()
