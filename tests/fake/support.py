"""Talking to a FakeUmami in process with raw requests, as any HTTP client would."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from umami_core import BROWSER_USER_AGENT, Request
from umami_transports.fake import FakeTransport, FakeUmami

CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
BASE = "http://127.0.0.1:3000"


class Raw:
    """Requests to the fake: ``raw.send(payload)``, ``raw.get(path, **query)``, answers as (status, JSON or bytes)."""

    def __init__(self, fake: FakeUmami, client_ip: str | None = "127.0.0.1") -> None:
        self.fake, self.transport = fake, FakeTransport(fake, client_ip=client_ip)
        self._token: str | None = None

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None, raw: bytes | None = None
    ) -> tuple[int, Any]:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        all_headers = {"Content-Type": "application/json", **(headers or {})} if data is not None else dict(headers or {})
        response = self.transport.send(Request(method, BASE + path, tuple(all_headers.items()), data))
        if (response.header("content-type") or "").startswith("application/json"):
            return response.status_code, json.loads(response.body)
        return response.status_code, response.body

    def send(self, payload: dict[str, Any], kind: str = "event", ua: str = BROWSER_USER_AGENT, **headers: str) -> tuple[int, Any]:
        body = {"type": kind, "payload": {"website": self.fake.website_id, **payload}}
        return self.request(
            "POST", "/api/send", body, {"User-Agent": ua, **{name.replace("_", "-"): value for name, value in headers.items()}}
        )

    @property
    def token(self) -> str:
        if self._token is None:
            status, body = self.request("POST", "/api/auth/login", {"username": self.fake.username, "password": self.fake.password})
            assert status == 200
            self._token = body["token"]
        return self._token

    def get(self, url_path: str, /, **query: Any) -> tuple[int, Any]:
        url = url_path + ("?" + urlencode(query) if query else "")
        return self.request("GET", url, headers={"Authorization": f"Bearer {self.token}"})

    def site(self, route: str, /, **query: Any) -> tuple[int, Any]:
        return self.get(f"/api/websites/{self.fake.website_id}/{route}", **query)
