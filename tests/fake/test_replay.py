"""Fidelity: every exchange recorded from a real Umami 3.1 (tests/data/recorded/) replayed against the fake.

All exchanges are replayed in their recorded order against ONE fake, so state builds up as it did on
the real server (the website created in 018 is the one 033 sends to, the one deleted in 031 is the
one 050 fails on). Ids and tokens the real server returned are mapped to the fake's as they appear;
the fake's clock is set to each exchange's recorded ``Date``. Each case then checks the status code
and the shape of the body (keys, and JSON value types, recursively), and a few the numbers too.
Both ways of running the fake are replayed: in process (FakeTransport) and over real HTTP (FakeServer).
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import pytest

from tests.recorded import RECORDED
from umami_core import Request
from umami_transports.fake import FakeServer, FakeTransport, FakeUmami, ManualClock

CASES = sorted(path.stem for path in RECORDED.glob("[0-9]*.json"))
ID_KEYS = ("token", "id", "cache", "sessionId", "visitId", "userId", "createdBy")


@dataclass
class Replayed:
    recorded: dict[str, Any]
    status: int
    body: bytes
    content_type: str

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class Replayer:
    """Sends the recorded requests, rewritten with the fake's ids and tokens."""

    def __init__(self, send: Any, clock: ManualClock) -> None:
        self.send, self.clock = send, clock
        self.ids: dict[str, str] = {}

    def rewrite(self, text: str) -> str:
        for real, ours in self.ids.items():
            if real in text:
                text = text.replace(real, ours)
            elif len(real) > 40 and real[:-4] in text:  # a token with its last characters tampered with
                text = text.replace(real[:-4], ours[:-4])
        return text

    def learn(self, real: Any, ours: Any) -> None:
        """Map the real server's ids and tokens to the fake's, by walking both answers side by side."""
        if isinstance(real, dict) and isinstance(ours, dict):
            for key, value in real.items():
                if key in ID_KEYS and isinstance(value, str) and isinstance(ours.get(key), str) and value != ours[key]:
                    self.ids.setdefault(value, ours[key])
                self.learn(value, ours.get(key))
        elif isinstance(real, list) and isinstance(ours, list):
            for real_item, our_item in zip(real, ours, strict=False):
                self.learn(real_item, our_item)

    def replay(self, exchange: dict[str, Any]) -> Replayed:
        request, recorded = exchange["request"], exchange["response"]
        self.clock.set(parsedate_to_datetime(recorded["headers"]["Date"]))
        body = request["body"]
        raw = None if body is None else self.rewrite(body if isinstance(body, str) else json.dumps(body)).encode()
        headers = [
            (name, self.rewrite(value)) for name, value in request["headers"].items() if name.lower() not in ("host", "content-length")
        ]
        status, content_type, answer = self.send(request["method"], self.rewrite(request["path"]), headers, raw)
        replayed = Replayed(exchange, status, answer, content_type)
        if recorded["body_is_json"] and content_type.startswith("application/json"):
            self.learn(recorded["body"], replayed.json)
        return replayed


def _in_process(fake: FakeUmami) -> Any:
    transport = FakeTransport(fake)

    def send(method: str, path: str, headers: list[tuple[str, str]], body: bytes | None) -> tuple[int, str, bytes]:
        response = transport.send(Request(method, "http://127.0.0.1:3000" + path, tuple(headers), body))
        return response.status_code, response.header("content-type") or "", response.body

    return send


def _over_http(server: FakeServer) -> Any:
    def send(method: str, path: str, headers: list[tuple[str, str]], body: bytes | None) -> tuple[int, str, bytes]:
        connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=dict(headers))
            response = connection.getresponse()
            return response.status, response.getheader("Content-Type") or "", response.read()
        finally:
            connection.close()

    return send


@pytest.fixture(scope="module", params=["in-process", "http"])
def replayed(request: pytest.FixtureRequest) -> Any:
    clock = ManualClock()
    fake = FakeUmami(clock=clock, create_website=False)
    server = FakeServer(fake).start() if request.param == "http" else None
    replayer = Replayer(_over_http(server) if server else _in_process(fake), clock)
    try:
        yield {case: replayer.replay(json.loads((RECORDED / f"{case}.json").read_text())) for case in CASES}
    finally:
        if server:
            server.stop()


def shape(value: Any) -> Any:
    """The JSON type of ``value``, recursively: dict keys kept, a list as the set of its items' shapes."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return ("list", frozenset(json.dumps(shape(item), sort_keys=True, default=sorted) for item in value))
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return "number" if isinstance(value, (int, float)) else "string"


def test_every_recorded_exchange_is_replayed() -> None:
    assert len(CASES) >= 100, f"expected the recorded exchanges in {RECORDED}"


@pytest.mark.parametrize("case", CASES)
def test_same_status_and_shape(replayed: dict[str, Replayed], case: str) -> None:
    result = replayed[case]
    recorded = result.recorded["response"]
    assert result.status == recorded["status"], result.body[:300]
    if recorded["body_is_json"]:
        assert result.content_type.startswith("application/json")
        assert shape(result.json) == shape(recorded["body"]), result.body[:600]
    elif recorded["body"]:
        assert result.content_type.startswith("text/html") and result.body.startswith(b"<!DOCTYPE html")
    else:
        assert result.body == b""


NUMBERS = [case for case in CASES if case[:3] in {"071", "072", "075", "076", "095", "096", "097"} or "_metrics_" in case]


@pytest.mark.parametrize("case", NUMBERS)
def test_same_numbers(replayed: dict[str, Replayed], case: str) -> None:
    """Stats, active visitors, metrics and series agree with the real server (but totaltime, whose
    sub-second spans the recorded Date headers cannot reproduce)."""
    ours, real = replayed[case].json, replayed[case].recorded["response"]["body"]
    if isinstance(real, dict) and "totaltime" in real:
        for block in (ours, real, ours["comparison"], real["comparison"]):
            block.pop("totaltime")
    if isinstance(real, list):  # metrics: ties come in no particular order
        ours, real = sorted(ours, key=lambda row: (-row["y"], row["x"])), sorted(real, key=lambda row: (-row["y"], row["x"]))
    assert ours == real


def test_shape_tells_types_keys_and_nulls_apart() -> None:
    assert shape({"a": 1, "b": [{"x": "p", "y": 2}]}) == shape({"a": 7, "b": [{"x": "q", "y": 5}, {"x": "r", "y": 1}]})
    assert shape({"a": 1}) != shape({"a": "1"})
    assert shape({"a": 1}) != shape({"a": 1, "b": None})
    assert shape({"a": None}) != shape({"a": "x"})
    assert shape([{"x": "p"}]) != shape([{"x": "p"}, {"x": None}])
