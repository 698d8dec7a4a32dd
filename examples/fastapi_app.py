"""A FastAPI app whose pages are counted in Umami by the ASGI middleware, from behind a proxy.

    python examples/fastapi_app.py

It starts an embedded Umami (``umami_transports.fake``) on 127.0.0.1, points ``umami`` at it, lets
a few visitors browse the app through httpx's ASGI transport (as if a load balancer at 10.0.0.5
forwarded them), then reads the numbers back from Umami over HTTP. Only pages count: the JSON
endpoint and the health check do not, and the crawler is dropped by Umami's bot check.
"""

from __future__ import annotations

import asyncio
import datetime

import httpx
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

import umami
from umami.integrations.asgi import UmamiMiddleware
from umami_transports.fake import FakeServer

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
#: (visitor's IP, User-Agent, path)
VISITS = [
    ("203.0.113.7", CHROME, "/"),
    ("203.0.113.7", CHROME, "/pricing?utm_source=newsletter"),
    ("203.0.113.7", CHROME, "/api/prices"),
    ("198.51.100.4", FIREFOX, "/"),
    ("198.51.100.4", FIREFOX, "/healthz"),
    ("66.249.66.1", GOOGLEBOT, "/pricing"),
]

app = FastAPI()
app.add_middleware(UmamiMiddleware, trusted_proxies=["10.0.0.0/8"], title=lambda request: TITLES.get(request.path))
TITLES = {"/": "Home", "/pricing": "Pricing"}


@app.get("/", response_class=HTMLResponse)
def home() -> str:
    return "<h1>Home</h1>"


@app.get("/pricing", response_class=HTMLResponse)
def pricing() -> str:
    return "<h1>Pricing</h1>"


@app.get("/api/prices")
def prices() -> dict[str, float]:
    return {"pro": 19.0}


@app.get("/healthz")
def health() -> dict[str, str]:
    return {"status": "ok"}


async def browse() -> None:
    transport = httpx.ASGITransport(app, client=("10.0.0.5", 51000))  # the load balancer
    async with httpx.AsyncClient(transport=transport, base_url="https://shop.example") as client:
        for ip, user_agent, path in VISITS:
            answer = await client.get(path, headers={"user-agent": user_agent, "x-forwarded-for": ip})
            print(f"GET {path} -> {answer.status_code}")


def main() -> None:
    with FakeServer() as server:
        umami.set_url_base(server.url)
        umami.set_website_id(server.fake.website.id)  # type: ignore[union-attr]
        asyncio.run(browse())
        flushed = umami.flush(timeout=5.0)  # the middleware queued the page views; wait for them
        stats = umami.delivery_stats()
        print(f"delivered: {flushed.complete}, events queued {stats.queued}, delivered {stats.delivered}")

        umami.login(server.fake.username, server.fake.password)
        end = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=1)
        start = end - datetime.timedelta(hours=1)
        totals = umami.website_stats(start_at=start, end_at=end)
        print(f"page views: {totals.pageviews}, visitors: {totals.visitors}")
        print("visitors by path:")
        for row in umami.metrics("path", start, end):
            print(f"  {row.x}: {row.y}")
        print("visitor IPs the page views carried:", sorted({str(view.payload.get("ip")) for view in server.fake.page_views()}))
        umami.shutdown()


if __name__ == "__main__":
    main()
