"""What the middleware tests share: browsers' User-Agents, waiting for delivery, Django's settings."""

from __future__ import annotations

import umami
from umami_transports.fake import FakeUmami

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
VISITOR = "203.0.113.7"
PROXY = "10.0.0.5"
#: A browser's headers, as the tests' visitor sends them.
BROWSER = {"user-agent": CHROME, "referer": "https://search.example/?q=shoes", "accept-language": "fr-CH, fr;q=0.9, en;q=0.8"}


def delivered(fake: FakeUmami, client: umami.Client | None = None) -> list[str]:
    """The stored page views' paths (with ``?query``), once everything queued is delivered."""
    flushed = (client or umami.default_client()).flush(10.0)
    assert flushed.complete, flushed
    return [view.url_path + (f"?{view.url_query}" if view.url_query else "") for view in fake.page_views()]


def configure_django() -> None:
    """Django's settings for the tests (once per process): no database, the middleware first, the
    tests' views; each test sets the middleware's options with override_settings(UMAMI_MIDDLEWARE=...)."""
    from django.conf import settings

    if settings.configured:
        return
    settings.configure(
        DEBUG=False,
        SECRET_KEY="tests-only",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF="tests.integrations.django_urls",
        MIDDLEWARE=["umami.integrations.django.UmamiMiddleware"],
        INSTALLED_APPS=[],
        DATABASES={},
        USE_TZ=True,
    )
    import django

    django.setup()
