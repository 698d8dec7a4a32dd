"""Users, teams and the caller's lists on the fake, with Umami 3.1's permissions and shapes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fake.support import Raw
from umami_transports.fake import FakeUmami


@pytest.fixture
def raw() -> Raw:
    return Raw(FakeUmami())


def login(raw: Raw, username: str, password: str) -> dict[str, str]:
    status, body = raw.request("POST", "/api/auth/login", {"username": username, "password": password})
    assert status == 200
    return {"Authorization": f"Bearer {body['token']}"}


def get(raw: Raw, path: str, auth: dict[str, str], **query: Any) -> tuple[int, Any]:
    suffix = "?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else ""
    return raw.request("GET", path + suffix, headers=auth)


def test_a_team_its_members_and_websites(raw: Raw) -> None:
    fake = raw.fake
    ann, bob = fake.add_user("ann", "pw"), fake.add_user("bob", "pw")
    team = fake.add_team("Growth", owner=ann)
    fake.add_team_member(team, bob, "team-view-only")
    site = fake.create_website("Team site", "team.example", owner=ann, team=team)
    as_ann, as_bob = login(raw, "ann", "pw"), login(raw, "bob", "pw")

    status, teams = get(raw, "/api/teams", as_bob)
    assert status == 200 and teams["count"] == 1 and set(teams) == {"data", "count", "page", "pageSize"}
    row = teams["data"][0]
    assert (row["name"], row["accessCode"][:5], row["_count"]) == ("Growth", "team_", {"websites": 1, "members": 2})
    assert [(member["role"], member["user"]["username"]) for member in row["members"]] == [("team-owner", "ann"), ("team-view-only", "bob")]
    assert get(raw, "/api/me/teams", as_bob)[1]["data"] == teams["data"]

    status, one = get(raw, f"/api/teams/{team.id}", as_bob)
    assert status == 200 and [member["userId"] for member in one["members"]] == [ann.id, bob.id] and "user" not in one["members"][0]
    assert get(raw, f"/api/teams/{team.id}/users", as_bob, search="an")[1]["count"] == 1
    assert get(raw, f"/api/teams/{team.id}/websites", as_bob)[1]["data"][0]["createUser"] == {"id": ann.id, "username": "ann"}
    # Bob may view the team's website (canViewWebsite), but only an owner or manager may read a member's row.
    assert get(raw, f"/api/websites/{site.id}/active", as_bob) == (200, {"visitors": 0})
    assert get(raw, f"/api/teams/{team.id}/users/{ann.id}", as_bob)[1]["error"]["message"] == "You must be the owner/manager of this team."
    assert get(raw, f"/api/teams/{team.id}/users/{bob.id}", as_ann)[1]["role"] == "team-view-only"
    # Login and verify list the user's teams.
    assert raw.request("POST", "/api/auth/verify", headers=as_bob)[1]["teams"] == [{"id": team.id, "name": "Growth", "logoUrl": None}]

    fake.add_user("eve", "pw")
    as_eve = login(raw, "eve", "pw")
    assert get(raw, f"/api/teams/{team.id}", as_eve)[0] == 401
    assert get(raw, f"/api/teams/{team.id}/users", as_eve)[1]["error"]["message"] == "You must be a member of this team."
    assert get(raw, "/api/teams/00000000-0000-4000-8000-000000000000", {"Authorization": f"Bearer {raw.token}"}) == (
        404, {"error": {"message": "Team not found.", "code": "not-found", "status": 404}}
    )  # fmt: skip


def test_users_and_my_websites(raw: Raw) -> None:
    fake, admin = raw.fake, {"Authorization": f"Bearer {raw.token}"}
    ann = fake.add_user("ann", "pw")
    team = fake.add_team("Ops", owner=ann)
    fake.create_website("Ann's", "ann.example", owner=ann)
    fake.create_website("Ops", "ops.example", owner=ann, team=team)
    as_ann = login(raw, "ann", "pw")

    status, user = get(raw, f"/api/users/{ann.id}", as_ann)
    assert status == 200 and user | {"createdAt": None} == {"id": ann.id, "username": "ann", "role": "user", "createdAt": None}
    assert get(raw, f"/api/users/{fake.admin.id}", as_ann)[0] == 401  # only themself
    assert get(raw, "/api/users/00000000-0000-4000-8000-000000000000", admin) == (200, None)
    mine = get(raw, "/api/me/websites", as_ann)[1]
    assert [site["name"] for site in mine["data"]] == ["Ann's"] and mine["data"][0]["user"]["username"] == "ann"
    with_teams = get(raw, "/api/me/websites", as_ann, includeTeams="1")[1]
    assert [site["name"] for site in with_teams["data"]] == ["Ops", "Ann's"] and "user" not in with_teams["data"][0]
    assert get(raw, f"/api/users/{ann.id}/websites", admin, search="ANN")[1]["count"] == 1
    assert get(raw, f"/api/users/{ann.id}/teams", admin)[1]["data"][0]["name"] == "Ops"
    assert get(raw, "/api/users", admin) == (405, b"")  # 3.1 has only POST /api/users: Next.js answers a bare 405


def test_admin_lists(raw: Raw) -> None:
    fake, admin = raw.fake, {"Authorization": f"Bearer {raw.token}"}
    fake.add_user("ann", "pw")
    users = get(raw, "/api/admin/users", admin)[1]
    assert users["orderBy"] == "createdAt" and users["count"] == 2
    assert {row["username"]: row["_count"] for row in users["data"]} == {"admin": {"websites": 1}, "ann": {"websites": 0}}
    assert "password" not in users["data"][0]
    assert get(raw, "/api/admin/websites", admin)[1]["data"][0]["user"]["username"] == "admin"
    assert get(raw, "/api/admin/teams", admin)[1] == {"data": [], "count": 0, "page": 1, "pageSize": 20}
    assert get(raw, "/api/admin/users", login(raw, "ann", "pw"))[0] == 401
    assert get(raw, "/api/admin/users", admin, pageSize=0)[0] == 400
