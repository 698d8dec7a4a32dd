"""Configuration and login inputs: refused when given (with no secret in the message), or usable later."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

import umami
from tests.test_inputs_wire import UmamiWire
from umami.errors import OperationNotAllowedError, ValidationError
from umami_transports import MockTransport

SITE = "3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
PASSWORD_PART = "pw-SECRET-789"
KEY_PART = "key-SECRET-456"


class Setup:
    def __init__(self) -> None:
        self.wire = UmamiWire()
        self.transport = MockTransport(self.wire)
        self.client = umami.Client(transport=self.transport)


@pytest.fixture
def setup() -> Iterator[Setup]:
    made = Setup()
    yield made
    made.client.close()


def short_id(value: Any) -> str | None:
    """A test id for a huge int (pytest's own would call str() on it, which Python refuses)."""
    return "10**5000" if isinstance(value, int) and value.bit_length() > 10000 else None


def assert_secret_not_shown(error: BaseException, secret: str) -> None:
    for text in (str(error), repr(error), repr(error.args)):
        assert secret not in text
    assert error.__cause__ is None and error.__context__ is None  # nothing chained that could hold it


# -- set_url_base ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://[::1", "not a valid URL"),  # ValueError from urlsplit before
        ("http://umami.example.com:99999", "port"),
        ("http://umami.example.com:0", "port"),
        ("http://umami.example.com:abc", "port"),
        ("https://umami.example.com/?q=1", "query"),
        ("https://umami.example.com/#top", "fragment"),
        ("https://exa mple.com", "spaces"),
        ("https://umami.example.com/a\r\nX-Injected: 1", "line breaks"),
        ("https://bücher.de", "non-ASCII"),
        ("https://umami.example.com\\admin", "characters a URL cannot hold"),
        ("https://umami.example.com:80:80", "brackets"),
        ("https://:8080", "host name is missing"),
        ("ftp://umami.example.com", "HTTP scheme"),
        ("https://umami.example.com/api/", "without '/api'"),
        ("https://\ud800.example.com", "unpaired surrogate"),
        (10**5000, "must not be empty"),
    ],
    ids=short_id,
)
def test_set_url_base_refuses(setup: Setup, url: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        setup.client.set_url_base(url)
    assert setup.client.config.url_base is None


@pytest.mark.parametrize("url", ["https://admin:pw-SECRET-789@umami.example.com", "admin:pw-SECRET-789@umami.example.com",
                                 "https://admin:pw-SECRET-789/x@umami.example.com", "ftp://admin:pw-SECRET-789@h"])  # fmt: skip
def test_set_url_base_refuses_user_info_without_quoting_the_password(setup: Setup, url: str) -> None:
    with pytest.raises(ValidationError, match="user info") as caught:
        setup.client.set_url_base(url)
    assert_secret_not_shown(caught.value, PASSWORD_PART)


@pytest.mark.parametrize(
    ("url", "stored"),
    [
        (" http://127.0.0.1:3000/ ", "http://127.0.0.1:3000"),
        ("https://umami.example.com/analytics/", "https://umami.example.com/analytics"),
        ("http://[::1]:3000", "http://[::1]:3000"),
        ("https://xn--bcher-kva.de", "https://xn--bcher-kva.de"),
        ("https://umami.example.com/a%20b", "https://umami.example.com/a%20b"),
    ],
)
def test_set_url_base_keeps_a_usable_root_url(setup: Setup, url: str, stored: str) -> None:
    setup.client.set_url_base(url)
    assert setup.client.config.url_base == stored
    assert setup.client.heartbeat() is True
    assert setup.wire.problems == []


# -- set_website_id / set_hostname ----------------------------------------------------------------


@pytest.mark.parametrize(("value", "message"), [(42, "must be a string"), ({"id": SITE}, "must be a string"), ("not-a-uuid", "UUID"),
                                                (10**5000, "must be a string"), ("\ud800", "UUID")], ids=short_id)  # fmt: skip
def test_set_website_id_refuses_when_called(setup: Setup, value: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        setup.client.set_website_id(value)
    assert setup.client.config.website_id is None


def test_set_website_id_stores_lower_case_and_blank_clears(setup: Setup) -> None:
    setup.client.set_website_id(SITE.upper())
    assert setup.client.config.website_id == SITE
    setup.client.set_website_id("")
    assert setup.client.config.website_id is None
    setup.client.set_website_id(SITE)
    setup.client.set_website_id(None)  # type: ignore[arg-type]
    assert setup.client.config.website_id is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"host": "example.com"}, "must be a string"),  # AttributeError ('.strip') at the next send before
        (["example.com"], "must be a string"),
        ("https://example.com", "drop the scheme"),
        ("example.com/blog", "without a path"),
        ("example.com\r\nX-Evil: 1", "line breaks"),
        ("example.com:70000", "port"),
        ("h" * 101, "at most 100"),
    ],
)
def test_set_hostname_refuses_when_called(setup: Setup, value: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        setup.client.set_hostname(value)
    assert setup.client.config.hostname is None


def test_set_hostname_is_used_by_sends_and_blank_clears(setup: Setup) -> None:
    setup.client.set_url_base("http://127.0.0.1:3000")
    setup.client.set_website_id(SITE)
    setup.client.set_hostname("shop.example.com:8443")
    setup.client.new_page_view("Home", "/")
    (request,) = setup.transport.requests
    assert json.loads(request.body or b"")["payload"]["hostname"] == "shop.example.com:8443"
    setup.client.set_hostname("  ")
    with pytest.raises(ValidationError, match="hostname must be set"):
        setup.client.new_page_view("Home", "/")


# -- set_cloud_api_key ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        (f"{KEY_PART}\u200b", "non-ASCII"),  # a pasted zero-width space
        (f"\ufeff{KEY_PART}", "non-ASCII"),
        (f"{KEY_PART}é", "non-ASCII"),
        (f"{KEY_PART}\r\nX-Evil: 1", "control character"),
        (f"{KEY_PART}\x00", "control character"),
        (f"{KEY_PART} {KEY_PART}", "a space"),
        (f"{KEY_PART}\ud800", "non-ASCII"),
    ],
)
def test_set_cloud_api_key_refuses_a_key_a_header_cannot_carry_without_quoting_it(setup: Setup, key: str, kind: str) -> None:
    with pytest.raises(ValidationError, match=kind) as caught:
        setup.client.set_cloud_api_key(key)
    assert_secret_not_shown(caught.value, KEY_PART)
    assert not setup.client.config.is_cloud


def test_set_cloud_api_key_strips_the_key_and_sends_it_as_is(setup: Setup) -> None:
    setup.client.set_cloud_api_key(f"  {KEY_PART}\n")
    assert setup.client.verify_token() is True
    (request,) = setup.transport.requests
    assert request.header("x-umami-api-key") == KEY_PART
    assert setup.wire.problems == []


@pytest.mark.parametrize("region", [10**5000, "EU", ["us"], b"us"], ids=short_id)
def test_set_cloud_api_key_refuses_a_bad_region_with_a_validation_error(setup: Setup, region: Any) -> None:
    with pytest.raises(ValidationError, match="region must be"):
        setup.client.set_cloud_api_key(KEY_PART, region)


# -- login ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("admin", f"{PASSWORD_PART}\ud800", "password contains an unpaired surrogate"),  # UnicodeEncodeError holding the password before
        ("admin", f"\udcff{PASSWORD_PART}", "password contains an unpaired surrogate"),
        ("ad\udcffmin", PASSWORD_PART, "username contains an unpaired surrogate"),
        ("ad\x00min", PASSWORD_PART, "NUL"),
        ("admin", 12345678, "Password cannot be empty"),
    ],
)
def test_login_refuses_input_it_cannot_send_without_quoting_the_password(setup: Setup, username: Any, password: Any, message: str) -> None:
    setup.client.set_url_base("http://127.0.0.1:3000")
    with pytest.raises(ValidationError, match=message) as caught:
        setup.client.login(username, password)
    assert_secret_not_shown(caught.value, PASSWORD_PART)
    assert setup.transport.requests == []


def test_login_sends_any_encodable_password_as_given(setup: Setup) -> None:
    setup.client.set_url_base("http://127.0.0.1:3000")
    setup.client.login("admin", f" {PASSWORD_PART} 😀\x00\n")
    (request,) = setup.transport.requests
    assert json.loads(request.body or b"") == {"username": "admin", "password": f" {PASSWORD_PART} 😀\x00\n"}
    assert setup.wire.problems == []


def test_login_in_cloud_mode_is_still_not_allowed_whatever_the_input(setup: Setup) -> None:
    setup.client.set_cloud_api_key(KEY_PART)
    with pytest.raises(OperationNotAllowedError):
        setup.client.login("admin", "\ud800")
