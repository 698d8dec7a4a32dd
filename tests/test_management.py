"""The typed management methods (users, teams and members, websites, share links, who you are): each
sends what its contract operation says, with only the fields given in an update; answers become
models; passwords never travel in a request that could be re-sent, and the login token echoed by
``getMe`` is kept out of the model."""

from __future__ import annotations

import asyncio
import json
import pickle
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

import umami
import umami_core
from umami.management import Account, Me, ShareLink, Team, TeamMember, Website
from umami_core.operations import BY_ID
from umami_transports import MockTransport

SITE = "978435e2-7ba1-4337-9860-ec31ece2db60"
USER = "0b8a3c3e-5a7e-4f55-9d3c-6b1f0c8f3a11"
TEAM = "7d1c6a2e-0c55-4b0f-8a57-2f0b6c7b9e42"
SHARE = "c2b7e0a4-91f3-4f6e-a1d9-5f1e4d2b8c70"
TOKEN = "tok-SECRET-9"

ACCOUNT = {"id": USER, "username": "ada", "role": "user", "createdAt": "2026-12-01T10:00:00.000Z"}
TEAM_ROW = {"id": TEAM, "name": "Growth", "accessCode": "team_abcdefgh12345678", "logoUrl": None,
            "createdAt": "2026-12-01T10:00:00.000Z", "updatedAt": None, "deletedAt": None}  # fmt: skip
MEMBER = {"id": "m-1", "teamId": TEAM, "userId": USER, "role": "team-member", "createdAt": "2026-12-01T10:00:00.000Z",
          "updatedAt": "2026-12-01T10:00:00.000Z"}  # fmt: skip
SHARE_ROW = {"id": SHARE, "entityId": SITE, "shareType": 1, "name": "Public", "slug": "abcdefgh12345678", "parameters": {},
             "createdAt": "2026-12-01T10:00:00.000Z", "updatedAt": None}  # fmt: skip
SITE_ROW = {"id": SITE, "name": "Shop", "domain": "shop.example.com", "userId": USER}
OK = {"ok": True}


def page(*rows: dict[str, Any]) -> dict[str, Any]:
    return {"data": list(rows), "count": len(rows), "page": 1, "pageSize": 100}


# (method, positional arguments, keyword arguments, operation, expected body, answer, expected result type)
CASES: list[tuple[str, tuple[Any, ...], dict[str, Any], str, Any, Any, type | None]] = [
    ("me", (), {}, "getMe", None, {"token": TOKEN, "user": ACCOUNT, "shareToken": None}, Me),
    ("my_websites", (), {"include_teams": True}, "getMyWebsites", None, page(SITE_ROW), Website),
    ("my_teams", (), {}, "getMyTeams", None, page(TEAM_ROW), Team),
    ("change_password", ("old-password", "new-password"), {}, "updateMyPassword",
     {"currentPassword": "old-password", "newPassword": "new-password"}, ACCOUNT, Account),
    ("user", (USER,), {}, "getUser", None, ACCOUNT, Account),
    ("create_user", ("ada", "a-long-password"), {"role": "view-only"}, "createUser",
     {"username": "ada", "password": "a-long-password", "role": "view-only"}, ACCOUNT, Account),
    ("update_user", (USER,), {"role": "admin"}, "updateUser", {"role": "admin"}, ACCOUNT, Account),
    ("delete_user", (USER,), {}, "deleteUser", None, OK, type(None)),
    ("user_websites", (USER,), {}, "getUserWebsites", None, page(SITE_ROW), Website),
    ("user_teams", (USER,), {}, "getUserTeams", None, page(TEAM_ROW), Team),
    ("teams", (), {}, "getTeams", None, page({**TEAM_ROW, "members": [MEMBER], "_count": {"websites": 2, "members": 1}}), Team),
    ("team", (TEAM,), {}, "getTeam", None, {**TEAM_ROW, "members": [MEMBER]}, Team),
    ("create_team", ("Growth",), {}, "createTeam", {"name": "Growth"}, [TEAM_ROW, {**MEMBER, "role": "team-owner"}], Team),
    ("update_team", (TEAM,), {"access_code": "team_new"}, "updateTeam", {"accessCode": "team_new"}, TEAM_ROW, Team),
    ("delete_team", (TEAM,), {}, "deleteTeam", None, OK, type(None)),
    ("join_team", ("team_abcdefgh12345678",), {}, "joinTeam", {"accessCode": "team_abcdefgh12345678"}, MEMBER, TeamMember),
    ("team_members", (TEAM,), {"search": "ad"}, "getTeamUsers", None, page({**MEMBER, "user": {"id": USER, "username": "ada"}}),
     TeamMember),
    ("team_member", (TEAM, USER), {}, "getTeamUser", None, MEMBER, TeamMember),
    ("add_team_member", (TEAM, USER), {}, "createTeamUser", {"userId": USER, "role": "team-member"}, MEMBER, TeamMember),
    ("update_team_member", (TEAM, USER, "team-manager"), {}, "updateTeamUser", {"role": "team-manager"}, MEMBER, TeamMember),
    ("remove_team_member", (TEAM, USER), {}, "deleteTeamUser", None, OK, type(None)),
    ("team_websites", (TEAM,), {}, "getTeamWebsites", None, page(SITE_ROW), Website),
    ("website", (), {}, "getWebsite", None, SITE_ROW, Website),
    ("create_website", ("Shop", "shop.example.com"), {}, "createWebsite", {"name": "Shop", "domain": "shop.example.com"}, SITE_ROW,
     Website),
    ("update_website", (), {"name": "Shop (EU)"}, "updateWebsite", {"name": "Shop (EU)"}, SITE_ROW, Website),
    ("delete_website", (SITE,), {}, "deleteWebsite", None, OK, type(None)),
    ("reset_website", (SITE,), {}, "resetWebsite", None, OK, type(None)),
    ("website_shares", (), {}, "getWebsiteShares", None, page(SHARE_ROW), ShareLink),
    ("create_website_share", ("Public",), {}, "createWebsiteShare", {"name": "Public"}, SHARE_ROW, ShareLink),
    ("share", (SHARE,), {}, "getShare", None, SHARE_ROW, ShareLink),
    ("update_share", (SHARE, "Public", "our-stats", {"view": "overview"}), {}, "updateShare",
     {"name": "Public", "slug": "our-stats", "parameters": {"view": "overview"}}, SHARE_ROW, ShareLink),
    ("delete_share", (SHARE,), {}, "deleteShare", None, OK, type(None)),
]  # fmt: skip
IDS = [case[0] for case in CASES]


def answering(answer: Any) -> tuple[umami.Client, MockTransport]:
    transport = MockTransport(lambda request: umami_core.Response(200, body=json.dumps(answer).encode()))
    client = umami.Client(transport=transport)
    client.set_url_base("https://umami.example.com")
    client.set_website_id(SITE)
    client.set_api_key("umami_" + "k" * 32)
    return client, transport


def expected_path(operation_id: str) -> str:
    values = {"websiteId": SITE, "userId": USER, "teamId": TEAM, "shareId": SHARE}
    path = BY_ID[operation_id].path
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return path


def result_of(outcome: Any) -> list[Any]:
    """The items of an iterator, or the one result in a list."""
    return list(outcome) if hasattr(outcome, "__next__") else [outcome]


@pytest.mark.parametrize(("name", "args", "kwargs", "operation", "body", "answer", "model"), CASES, ids=IDS)
def test_each_method_sends_its_operation_and_returns_its_model(
    name: str, args: tuple[Any, ...], kwargs: dict[str, Any], operation: str, body: Any, answer: Any, model: type
) -> None:
    client, transport = answering(answer)
    results = result_of(getattr(client, name)(*args, **kwargs))

    (request,) = transport.requests
    assert (request.method, urlsplit(request.url).path) == (BY_ID[operation].method, expected_path(operation))
    assert (json.loads(request.body) if request.body else None) == body
    assert results and all(isinstance(result, model) for result in results)


@pytest.mark.parametrize(("name", "args", "kwargs", "operation", "body", "answer", "model"), CASES, ids=IDS)
def test_each_async_twin_sends_the_same(
    name: str, args: tuple[Any, ...], kwargs: dict[str, Any], operation: str, body: Any, answer: Any, model: type
) -> None:
    client, transport = answering(answer)

    async def run() -> list[Any]:
        outcome = getattr(client, name + "_async")(*args, **kwargs)
        if hasattr(outcome, "__anext__"):
            return [item async for item in outcome]
        return [await outcome]

    results = asyncio.run(run())
    (request,) = transport.requests
    assert (request.method, urlsplit(request.url).path) == (BY_ID[operation].method, expected_path(operation))
    assert (json.loads(request.body) if request.body else None) == body
    assert results and all(isinstance(result, model) for result in results)


def test_paged_lists_ask_for_pages_and_pass_their_options() -> None:
    client, transport = answering(page(SITE_ROW))
    assert [site.id for site in client.my_websites(include_teams=True, page_size=25)] == [SITE]
    query = dict(parse_qsl(urlsplit(transport.requests[0].url).query))
    assert query == {"page": "1", "pageSize": "25", "includeTeams": "true"}


def test_me_keeps_no_token_in_its_repr_or_pickle() -> None:
    client, _ = answering({"token": TOKEN, "user": ACCOUNT, "shareToken": None})
    me = client.me()
    assert me.user.username == "ada"
    for text in (repr(me), str(me.model_dump()), pickle.dumps(me).decode("latin-1")):
        assert TOKEN not in text


def test_a_team_row_reads_its_counts() -> None:
    client, _ = answering(page({**TEAM_ROW, "_count": {"websites": 2, "members": 3}}))
    (team,) = client.teams()
    assert team.counts is not None and (team.counts.websites, team.counts.members) == (2, 3)


@pytest.mark.parametrize(
    ("call", "operation"),
    [
        (lambda client: client.create_user("ada", "a-long-password"), "createUser"),
        (lambda client: client.update_user(USER, password="a-long-password"), "updateUser"),
        (lambda client: client.change_password("old-password", "new-password"), "updateMyPassword"),
        (lambda client: client.call("createUser", body={"username": "ada", "password": "p" * 8, "role": "user"}), "createUser"),
    ],
)
def test_a_request_carrying_a_password_is_never_resent_elsewhere(call: Callable[[umami.Client], Any], operation: str) -> None:
    client, transport = answering(ACCOUNT)
    call(client)
    (request,) = transport.requests
    assert request.sensitive, operation


def test_an_update_without_changes_sends_an_empty_body() -> None:
    client, transport = answering(ACCOUNT)
    client.update_user(USER)
    assert json.loads(transport.requests[0].body or b"null") == {}


def test_delete_website_needs_the_id_spelt_out() -> None:
    client, transport = answering(OK)
    with pytest.raises(TypeError):
        client.delete_website()  # type: ignore[call-arg]
    assert transport.requests == []
