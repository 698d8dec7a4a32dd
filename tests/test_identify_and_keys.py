"""identify() against the embedded Umami (directly and in the background), and self-hosted API keys
(Umami 3.4+): sent as Bearer, to their server only, never quoted, with a clear error where the
server refuses keys."""

from __future__ import annotations

import json

import pytest

import umami
import umami_core
from tests.secrets_search import secrets_in
from umami import OperationNotAllowedError, ValidationError
from umami.errors import APIError
from umami_transports import MockTransport
from umami_transports.fake import FakeTransport, FakeUmami

KEY = "umami_k3y-SECRET-11"


def on_fake(fake: FakeUmami) -> umami.Client:
    client = umami.Client(transport=FakeTransport(fake))
    client.set_url_base("https://umami.example.com")
    client.set_website_id(fake.website_id)
    client.set_hostname("example.com")
    return client


def test_identify_stores_the_users_data_on_the_session_their_later_events_join() -> None:
    fake = FakeUmami()
    client = on_fake(fake)
    identified = client.identify("user-42", {"plan": "pro", "seats": 3}, ip_address="203.0.113.7")
    event = client.new_event("upgrade", distinct_id="user-42", ip_address="198.51.100.9")  # another IP: the same user

    assert identified["sessionId"] == event["sessionId"]
    (session,) = fake.sessions()
    assert session.distinct_id == "user-42" and session.data == {"plan": "pro", "seats": 3}
    (sent,) = [json.loads(request.body or b"") for request in fake.requests if b'"identify"' in (request.body or b"")]
    assert sent["type"] == "identify" and sent["payload"]["id"] == "user-42"


def test_identify_goes_in_the_background_too() -> None:
    fake = FakeUmami()
    client = on_fake(fake)
    client.enable_background_sending(linger=0.01)
    assert client.identify("user-7", {"plan": "free"}) == {"queued": True}
    assert client.flush(5)
    (session,) = fake.sessions()
    assert session.data == {"plan": "free"}


@pytest.mark.parametrize("distinct_id", [None, "", "   ", True, "x" * 51])
def test_identify_needs_a_distinct_id(distinct_id: object) -> None:
    fake = FakeUmami()
    with pytest.raises(ValidationError):
        on_fake(fake).identify(distinct_id)  # type: ignore[arg-type]
    assert list(fake.requests) == []


def keyed(transport: MockTransport, url: str = "https://umami.example.com") -> umami.Client:
    client = umami.Client(transport=transport)
    client.set_url_base(url)
    client.set_website_id("978435e2-7ba1-4337-9860-ec31ece2db60")
    client.set_api_key(KEY)
    return client


def ok(request: umami_core.Request) -> umami_core.Response:
    return umami_core.Response(200, body=b'{"visitors": 3}')


def test_a_self_hosted_api_key_is_sent_as_bearer_without_a_login() -> None:
    transport = MockTransport(ok)
    client = keyed(transport)
    assert client.is_logged_in()
    assert client.active_users() == 3
    assert transport.requests[0].header("authorization") == f"Bearer {KEY}"
    assert KEY not in repr(client) and KEY not in repr(client.config)


def test_a_key_stays_with_its_server() -> None:
    transport = MockTransport(ok)
    client = keyed(transport)
    client.set_url_base("https://elsewhere.example.com")
    assert not client.is_logged_in()
    with pytest.raises(OperationNotAllowedError):
        client.active_users()
    assert transport.requests == []


def test_an_operation_the_server_refuses_to_keys_says_so() -> None:
    forbidden = b'{"error": {"message": "Forbidden", "code": "forbidden", "status": 403}}'
    client = keyed(MockTransport(lambda request: umami_core.Response(403, body=forbidden)))
    with pytest.raises(APIError, match="refuses some operations to API keys") as caught:
        client.call("updateMyPassword", body={"currentPassword": "a", "newPassword": "b"})
    assert secrets_in(caught.value, (KEY,)) == []


@pytest.mark.parametrize("key", ["", "   ", "umami_abc\u200b", "umami abc", "umami_abc\r\nX: 1"])
def test_a_key_that_cannot_travel_in_a_header_is_refused_unquoted(key: str) -> None:
    client = umami.Client(transport=MockTransport(ok))
    client.set_url_base("https://umami.example.com")
    with pytest.raises(ValidationError) as caught:
        client.set_api_key(key)
    assert "abc" not in str(caught.value)


def test_a_key_needs_a_server_and_is_not_for_cloud() -> None:
    client = umami.Client(transport=MockTransport(ok))
    with pytest.raises(OperationNotAllowedError, match="set_url_base"):
        client.set_api_key(KEY)
    client.set_cloud_api_key("cloud-key")
    with pytest.raises(OperationNotAllowedError, match="set_cloud_api_key"):
        client.set_api_key(KEY)
