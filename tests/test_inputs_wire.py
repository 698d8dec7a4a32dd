"""A wire checker for the input tests: is a request one that the real Umami 3.1 accepts and stores?

:class:`UmamiWire` is a ``MockTransport`` handler. It checks every request against what the server
does with it (``shared/umami-server.md``, Umami's source) and answers as the real server does
(bodies from ``shared/recorded/``). What it checks:

- the URL parses, is ASCII without spaces or control characters, has a valid host and port, and
  is no longer than 8000 characters; the route exists;
- headers are printable ASCII without CR/LF and without surrounding whitespace (what h11 and the
  other HTTP libraries send), 16 KiB at most in all (Node.js's limit for a request head);
- a body is UTF-8 JSON that ``json.loads`` accepts, without NaN/Infinity and without duplicate keys;
- ``/api/send``: zod's schema (UUID website, string fields, UTF-16 lengths), what ``new URL()``
  accepts, then what PostgreSQL stores without failing: no NUL (also none that Umami decodes from
  '%00'), distinct id of 50 characters, utm/click-id parameters of 255, event data through Umami's
  ``flattenJSON`` (keys and texts of 500 characters, NUMERIC(19, 4) numbers, valid dates), the
  revenue row; JavaScript numbers (integers beyond 2**53 would be changed);
- ``/api/auth/login``: exactly a username and a password, both strings;
- ``.../stats``: a UUID, ``startAt <= endAt`` as integers, a comparison window PostgreSQL can hold,
  known filters whose values have no NUL and no operator the server cannot run.

The tests at the bottom show that the checker accepts the recorded real requests and flags bad ones.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.recorded import exchange, response
from umami_core import Request, Response
from umami_transports.fake.validation import js_number, url_is_valid

__all__ = ["UmamiWire", "check_request"]

_UUID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}"
    r"|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff"
)
#: A route's path after the URL base's own path (if any) and the /api or Cloud /v1[/region] prefix.
_PREFIX = re.compile(r"^(?:/[^?#]*?)?(?:/api|/v1(?:/us|/eu)?)(/.*)$")
_DATETIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{3}(Z|\+([0-9]{2}):([0-9]{2}))?)?")
_FILTER_OPERATOR = re.compile(r"(eq|neq|s|ns|c|dnc|re|nre|t|f|gt|lt|gte|lte|bf|af)\.[^\n\r\u2028\u2029]*")
_RUNNABLE_OPERATORS = {"eq", "neq", "c", "dnc", "re", "nre"}
_FILTERS = {
    "path", "referrer", "title", "query", "os", "browser", "device", "country", "region", "city", "tag", "hostname",
    "distinctId", "language", "event", "utmSource", "utmMedium", "utmCampaign", "utmContent", "utmTerm",
}  # fmt: skip
_TRACKED = (
    "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "gclid", "fbclid", "msclkid", "ttclid", "li_fat_id", "twclid",
)  # fmt: skip
#: The string fields of the payload, with zod's maximum length (UTF-16 code units).
_SEND_STRINGS = {
    "hostname": 100, "language": 35, "screen": 11, "name": 50, "referrer": None, "url": None, "title": None, "ip": None, "id": None,
}  # fmt: skip
#: PostgreSQL's earliest timestamp (4714-11-24 BC) and JavaScript's Date range, in epoch ms.
_POSTGRES_MIN_MS = -210866803200000
_JS_DATE_MAX_MS = 8_640_000_000_000_000
_MAX_SAFE_INTEGER = 2**53


def _js_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class _Duplicate(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise _Duplicate(f"duplicate keys {sorted({key for key in keys if keys.count(key) > 1})!r:.80}")
    return dict(pairs)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _decode_json(body: bytes) -> tuple[Any, list[str]]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [f"the body is not UTF-8: {exc}"]
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant), []
    except ValueError as exc:
        return None, [f"the body is not strict JSON: {exc}"]


def _host_ok(host: str) -> bool:
    """What ``new URL('https://' + host)`` accepts (the fake's approximation), plus WHATWG's 'ends in a number' rule."""
    if not url_is_valid(f"https://{host}/") or not host or "/" in host:
        return False
    name = host.rsplit(":", 1)[0] if not host.startswith("[") else host
    last = name.rstrip(".").rsplit(".", 1)[-1]
    if last.isdigit() or re.fullmatch(r"0[xX][0-9a-fA-F]*", last):
        parts = name.rstrip(".").split(".")
        return len(parts) == 4 and all(part.isdigit() and int(part) <= 255 for part in parts)
    return True


# -- the whole request -------------------------------------------------------------------------


def check_request(request: Request) -> list[str]:
    """Everything wrong with ``request`` for the real server (empty: it is well-formed and stored)."""
    problems = _check_url(request.url) + _check_headers(request.headers)
    body: Any = None
    if request.body is not None:
        body, found = _decode_json(request.body)
        problems += found
    path = urlsplit(request.url).path if not problems else ""
    route = _PREFIX.match(path)
    if route is None:
        return problems or [f"no Umami route at {path!r}"]
    target = route.group(1)
    query = urlsplit(request.url).query
    if (request.method, target) == ("POST", "/send"):
        problems += check_send(body) + _check_user_agent(request)
    elif (request.method, target) == ("POST", "/auth/login"):
        problems += _check_login(body)
    elif (request.method, target) in (("POST", "/auth/verify"), ("GET", "/heartbeat"), ("GET", "/me"), ("GET", "/websites")):
        pass
    elif request.method == "GET" and (match := re.fullmatch(r"/websites/([^/]+)/(stats|active)", target)):
        if not _UUID.fullmatch(match.group(1)):
            problems.append(f"the website id is not a UUID (the server's ::uuid cast fails: 500) — {match.group(1)!r}")
        if match.group(2) == "stats":
            problems += check_stats_query(query)
    else:
        problems.append(f"no Umami route — {request.method} {target!r}")
    return problems


def _check_url(url: str) -> list[str]:
    if not url.isascii() or re.search(r"[\x00-\x20\x7f]", url):
        return [f"the URL has non-ASCII, space or control characters — {url[:80]!r}"]
    if len(url) > 8000:
        return [f"the URL is over 8000 characters — {len(url)}"]
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return [f"the URL does not parse — {exc}"]
    if parts.scheme not in ("http", "https") or not parts.hostname or port == 0:
        return [f"the URL has no http(s) scheme, host or valid port — {url[:80]!r}"]
    if "@" in parts.netloc or not url_is_valid(url):
        return [f"the URL's authority is not valid — {url[:80]!r}"]
    return []


def _check_headers(headers: tuple[tuple[str, str], ...]) -> list[str]:
    problems = []
    size = 0
    for name, value in headers:
        size += len(name) + len(value) + 4
        if not re.fullmatch(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+", name):
            problems.append(f"a header name is not a token — {name!r}")
        if not all(" " <= char <= "~" for char in value) or value != value.strip(" \t"):
            problems.append(f"header {name} is not printable ASCII without surrounding spaces — {value[:60]!r}")
    if size > 16 * 1024:
        problems.append(f"the headers are over 16 KiB (Node.js refuses the request) — {size} bytes")
    return problems


def _check_user_agent(request: Request) -> list[str]:
    problems = []
    if request.header("user-agent") is None:
        problems.append("a send without User-Agent")
    if any(request.header(name) is not None for name in ("authorization", "x-umami-api-key")):
        problems.append("a send carries a credential")
    return problems


def _check_login(body: Any) -> list[str]:
    if not isinstance(body, dict) or set(body) != {"username", "password"}:
        return ["the login body is not exactly {username, password}"]
    if not all(isinstance(value, str) and value for value in body.values()):
        return ["username and password must be non-empty strings"]
    return ["the username has a NUL (PostgreSQL fails)"] if "\x00" in body["username"] else []


# -- /api/send -----------------------------------------------------------------------------------


def check_send(body: Any) -> list[str]:
    """zod's schema of /api/send, then what the route and PostgreSQL do with the payload."""
    if not isinstance(body, dict) or body.get("type") != "event" or not isinstance(body.get("payload"), dict):
        return ["the send body is not {type: 'event', payload: {...}}"]
    payload = body["payload"]
    problems = []
    if not isinstance(payload.get("website"), str) or not _UUID.fullmatch(payload["website"]):
        problems.append(f"payload.website is not a UUID — {payload.get('website')!r:.60}")
    for name, limit in _SEND_STRINGS.items():
        if name not in payload:
            continue
        value = payload[name]
        if not isinstance(value, str):
            problems.append(f"payload.{name} is not a string")
            continue
        if limit is not None and _js_length(value) > limit:
            problems.append(f"payload.{name} is over {limit} UTF-16 code units")
        if name != "ip" and ("\x00" in value or (name in ("url", "referrer", "title") and "%00" in value)):
            problems.append(f"payload.{name} holds a NUL (PostgreSQL fails)")
    if problems:
        return problems
    hostname = payload.get("hostname", "")
    if hostname and not _host_ok(hostname):
        problems.append(f"payload.hostname is no host: new URL(url, 'https://' + hostname) throws — {hostname!r:.60}")
    for name in ("url", "referrer"):
        if name in payload and not url_is_valid(payload[name]):
            problems.append(f"payload.{name} is not a URL zod accepts — {payload[name]!r:.60}")
    if len(payload.get("id", "")) > 50:
        problems.append("payload.id is over 50 characters (session.distinct_id VARCHAR(50))")
    for key, value in parse_qsl(urlsplit(payload.get("url", "")).query, keep_blank_values=True, errors="replace"):
        if key in _TRACKED and len(value) > 255:
            problems.append(f"a url parameter is over 255 characters (VARCHAR(255)) — {key}")
    if "data" in payload:
        problems += _check_data(payload["data"])
    return problems


def _check_data(data: Any) -> list[str]:
    if not isinstance(data, dict):
        return ["payload.data is not a record"]
    problems = _flatten_problems(data, "") + _number_problems(data)
    revenue, currency = data.get("revenue"), data.get("currency")
    currency_truthy = currency not in (None, False, 0, "") and not (isinstance(currency, float) and math.isnan(currency))
    if revenue is not None and js_number(revenue) > 0 and currency_truthy:
        if not isinstance(currency, str) or len(currency) > 10:
            problems.append(f"a revenue row whose currency is no string of at most 10 characters (VARCHAR(10)) — {currency!r:.40}")
        if isinstance(revenue, bool) or not isinstance(revenue, (int, float)) or abs(revenue) >= 10**15:
            problems.append(f"a revenue row whose revenue is no number below 10**15 (NUMERIC(19, 4)) — {revenue!r:.40}")
    return problems


def _flatten_problems(data: dict[str, Any], prefix: str) -> list[str]:
    """Umami's flattenJSON into event_data rows (data_key and string_value VARCHAR(500), NUMERIC(19, 4))."""
    problems = []
    for key, value in data.items():
        flat = prefix + key
        if len(flat) > 500 or "\x00" in flat:
            problems.append(f"a data key is over 500 characters or holds a NUL — {flat[:40]!r}")
        if isinstance(value, dict):
            problems += _flatten_problems(value, flat + ".")
        elif isinstance(value, str):
            date = _DATETIME.fullmatch(value)
            if date is not None and not _valid_js_date(date):
                problems.append(f"a data value looks like a date but is not one (toISOString throws) — {flat[:40]!r}")
            elif date is None and (len(value) > 500 or "\x00" in value):
                problems.append(f"a data string is over 500 characters or holds a NUL — {flat[:40]!r}")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if abs(value) >= 10**15:
                problems.append(f"a data number overflows NUMERIC(19, 4) — {flat[:40]!r} = {value!r:.30}")
        elif isinstance(value, list) or value is None:
            if len(_js_stringify(value)) > 500:
                problems.append(f"a data list is over 500 characters as JSON — {flat[:40]!r}")
    return problems


def _number_problems(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [problem for item in value.values() for problem in _number_problems(item)]
    if isinstance(value, list):
        return [problem for item in value for problem in _number_problems(item)]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_SAFE_INTEGER:
        return [f"an integer is beyond what a JavaScript number holds exactly — {value!r:.30}"]
    return []


def _valid_js_date(match: re.Match[str]) -> bool:
    year, month, day, hour, minute, second = (int(match.group(index)) for index in range(1, 7))
    if match.group(9) is not None and (int(match.group(9)) > 23 or int(match.group(10)) > 59):
        return False
    if hour == 24 and minute == second == 0:
        hour = 0
    try:
        datetime.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return False
    return True


def _js_stringify(value: Any) -> str:
    """JSON.stringify for plain JSON values (numbers as JavaScript writes them)."""
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(key, ensure_ascii=False) + ":" + _js_stringify(item) for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_js_stringify(item) for item in value) + "]"
    if isinstance(value, float) and not isinstance(value, bool):
        return _js_number(value)
    return json.dumps(value, ensure_ascii=False)


def _js_number(value: float) -> str:
    """Number.prototype.toString: plain digits for 1e-7 < |x| < 1e21, otherwise 'd.ddde+n'."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else "null"
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) + int(exponent or 0) - (len(whole + fraction) - len((whole + fraction).lstrip("0")))
    digits = digits.rstrip("0") or "0"
    sign = "-" if value < 0 else ""
    if len(digits) <= point <= 21:
        return sign + digits + "0" * (point - len(digits))
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * -point + digits
    exponent_value = point - 1
    head = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{sign}{head}e{'+' if exponent_value >= 0 else '-'}{abs(exponent_value)}"


# -- stats ----------------------------------------------------------------------------------------


def check_stats_query(query: str) -> list[str]:
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query), errors="strict")
    except (ValueError, UnicodeDecodeError) as exc:
        return [f"the query string does not decode — {exc}"]
    params = dict(pairs)
    if len(params) != len(pairs):
        return ["a query parameter is repeated"]
    problems = []
    try:
        start, end = int(params.pop("startAt")), int(params.pop("endAt"))
    except (KeyError, ValueError):
        return ["startAt/endAt missing or not integers"]
    if not (-_JS_DATE_MAX_MS <= start <= end <= _JS_DATE_MAX_MS):
        problems.append(f"startAt/endAt out of order or outside JavaScript's Date range — {start} / {end}")
    elif start - (end - start) // 60000 * 60000 < _POSTGRES_MIN_MS:
        problems.append("the comparison window starts before PostgreSQL's earliest timestamp (500)")
    for name, value in params.items():
        if name not in _FILTERS:
            problems.append(f"an unknown filter (silently ignored by the server) — {name!r}")
        if "\x00" in value:
            problems.append(f"a filter holds a NUL (PostgreSQL fails) — {name}")
        operator = _FILTER_OPERATOR.fullmatch(value)
        if operator is not None and operator.group(1) not in _RUNNABLE_OPERATORS:
            problems.append(f"a filter uses an operator the server cannot run (500) — {name}={value[:30]!r}")
    return problems


# -- the handler ----------------------------------------------------------------------------------

_ANSWERS = {
    "/send": "036_send_custom_event", "/auth/login": "002_login_ok", "/auth/verify": "008_verify_ok", "/heartbeat": "001_heartbeat",
    "/me": "011_me_ok", "/websites": "027_websites_list_after_create", "stats": "071_stats", "active": "076_active",
}  # fmt: skip


class UmamiWire:
    """A MockTransport handler: checks each request (``problems``) and answers as Umami 3.1 did."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.requests: list[Request] = []

    def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        self.problems += [f"{request.method} {request.url[:100]}: {problem}" for problem in check_request(request)]
        route = _PREFIX.match(urlsplit(request.url).path)
        target = route.group(1) if route else ""
        case = _ANSWERS.get(target) or _ANSWERS.get(target.rsplit("/", 1)[-1]) or "109_api_unknown_route"
        return response(case)


# -- the checker's own tests ----------------------------------------------------------------------


def _request(case: str, **changes: Any) -> Request:
    """The recorded request of ``case`` as the core would build it, with ``changes`` to its JSON body."""
    recorded = exchange(case)["request"]
    body = recorded["body"]
    if isinstance(body, dict):
        body = json.loads(json.dumps(body))
        for path, value in changes.items():
            node = body
            *parents, last = path.split("__")
            for parent in parents:
                node = node[parent]
            node[last] = value
    encoded = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    headers = tuple((name, value) for name, value in recorded["headers"].items() if name.lower() not in ("content-length", "host"))
    return Request(recorded["method"], recorded["url"], headers, encoded)


RECORDED_GOOD = [
    "033_send_pageview", "036_send_custom_event", "037_send_custom_event_with_data", "002_login_ok", "071_stats", "076_active",
    "001_heartbeat", "008_verify_ok", "072_stats_with_filter_path",
]  # fmt: skip


@pytest.mark.parametrize("case", RECORDED_GOOD)
def test_the_checker_accepts_the_recorded_real_requests(case: str) -> None:
    assert check_request(_request(case)) == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"payload__name": "😀" * 26}, "over 50 UTF-16"),
        ({"payload__hostname": "https://example.com"}, "is no host"),
        ({"payload__hostname": "example.1"}, "no host"),
        ({"payload__website": "test-website-id"}, "not a UUID"),
        ({"payload__url": "http://"}, "not a URL"),
        ({"payload__title": "a%00b"}, "NUL"),
        ({"payload__id": "d" * 51}, "over 50 characters"),
        ({"payload__url": "/?utm_source=" + "s" * 256}, "over 255"),
        ({"payload__data": {"s": "x" * 501}}, "over 500 characters"),
        ({"payload__data": {"a" * 300: {"b" * 200: 1}}}, "over 500 characters"),
        ({"payload__data": {"n": 10**15}}, "NUMERIC"),
        ({"payload__data": {"l": [1e16] * 28}}, "as JSON"),  # 28 x '10000000000000000' in JavaScript, 28 x '1e+16' in Python
        ({"payload__data": {"d": "2026-13-01T00:00:00"}}, "not one"),
        ({"payload__data": {"revenue": 5, "currency": "x" * 11}}, "VARCHAR(10)"),
        ({"payload__data": {"big": [2**60]}}, "JavaScript number"),
    ],
)
def test_the_checker_flags_what_the_server_refuses_or_fails_on(changes: dict[str, Any], problem: str) -> None:
    problems = check_request(_request("036_send_custom_event", **changes))
    assert any(problem in found for found in problems), problems


@pytest.mark.parametrize(
    ("request_", "problem"),
    [
        (Request("POST", "http://127.0.0.1:3000/api/send", (("User-Agent", "a\r\nb"),), b"{}"), "printable ASCII"),
        (Request("POST", "http://127.0.0.1:3000/api/send", (("User-Agent", "ok"),), b'{"a":1,"a":2}'), "duplicate keys"),
        (Request("POST", "http://127.0.0.1:3000/api/send", (("User-Agent", "ok"),), b'{"a":NaN}'), "not strict JSON"),
        (Request("POST", "http://127.0.0.1:3000/api/send", (("User-Agent", "ok"),), b'{"a":"\xed\xa0\x80"}'), "not UTF-8"),
        (Request("GET", "http://[::1/api/heartbeat"), "does not parse"),
        (Request("GET", "http://127.0.0.1:3000/api/websites/3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b/stats?startAt=1&endAt=2&referrer=t.co"),
         "cannot run"),
        (Request("GET", "http://127.0.0.1:3000/api/websites/3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b/stats?startAt=2&endAt=1"), "out of order"),
    ],
)  # fmt: skip
def test_the_checker_flags_malformed_requests(request_: Request, problem: str) -> None:
    assert any(problem in found for found in check_request(request_)), check_request(request_)


@pytest.mark.parametrize(("number", "text"), [(1e21, "1e+21"), (1e20, "100000000000000000000"), (1e-7, "1e-7"), (1.5e-6, "0.0000015"),
                                              (-123.456, "-123.456"), (100.0, "100"), (2.5e-300, "2.5e-300")])  # fmt: skip
def test_the_checker_writes_numbers_as_javascript_does(number: float, text: str) -> None:
    assert _js_number(number) == text
