"""The management writes on the fake (users, my password, teams and members, website shares, reset,
transfer), end to end over its in-process transport, with Umami 3.1.0's rules and answer shapes."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from tests.fake.support import Raw
from umami_core import BROWSER_USER_AGENT
from umami_transports.fake import FakeUmami, ManualClock
from umami_transports.fake.ids import jwt_decode, secret

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
NOON_ISO = "2026-03-10T12:00:00.000Z"
NOBODY = "00000000-0000-4000-8000-000000000000"
NOT_OWNER = {"error": {"message": "You must be the owner/manager of this team.", "code": "unauthorized", "status": 401}}
UNAUTHORIZED = {"error": {"message": "Unauthorized", "code": "unauthorized", "status": 401}}
OK = (200, {"ok": True})
Auth = dict[str, str]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOON)


@pytest.fixture
def raw(clock: ManualClock) -> Raw:
    return Raw(FakeUmami(clock=clock))


@pytest.fixture
def admin(raw: Raw) -> Auth:
    return {"Authorization": f"Bearer {raw.token}"}


def login(raw: Raw, username: str, password: str) -> Auth:
    status, body = raw.request("POST", "/api/auth/login", {"username": username, "password": password})
    assert status == 200, body
    return {"Authorization": f"Bearer {body['token']}"}


def post(raw: Raw, path: str, auth: Auth | None, body: Any = None) -> tuple[int, Any]:
    return raw.request("POST", path, {} if body is None else body, auth)


def get(raw: Raw, path: str, auth: Auth | None) -> tuple[int, Any]:
    return raw.request("GET", path, headers=auth)


def delete(raw: Raw, path: str, auth: Auth | None) -> tuple[int, Any]:
    return raw.request("DELETE", path, headers=auth)


def visit(raw: Raw, website_id: str) -> None:
    """One page view of ``website_id`` from a browser."""
    payload = {"website": website_id, "url": "/", "hostname": "example.com", "ip": "203.0.113.7"}
    assert raw.request("POST", "/api/send", {"type": "event", "payload": payload}, {"User-Agent": BROWSER_USER_AGENT})[0] == 200


def zod(**fields: list[str]) -> tuple[int, dict[str, Any]]:
    """The 400 of parseRequest: zod's tree of the failed fields."""
    properties = {name: {"errors": errors} for name, errors in fields.items()}
    return 400, {"error": {"message": "Bad request", "code": "bad-request", "status": 400, "errors": [], "properties": properties}}


def refused(message: str = "Bad request") -> tuple[int, dict[str, Any]]:
    return 400, {"error": {"message": message, "code": "bad-request", "status": 400}}


def not_found(message: str = "Not found", code: str = "not-found") -> tuple[int, dict[str, Any]]:
    return 404, {"error": {"message": message, "code": code, "status": 404}}


# -- users -----------------------------------------------------------------------------------------


def test_an_admin_creates_a_user_who_can_then_log_in(raw: Raw, admin: Auth) -> None:
    status, user = post(raw, "/api/users", admin, {"username": "ann", "password": "secret-1", "role": "user"})
    assert status == 200 and set(user) == {"id", "username", "role"} and user["username"] == "ann" and user["role"] == "user"
    status, verified = raw.request("POST", "/api/auth/verify", headers=login(raw, "ann", "secret-1"))
    assert status == 200 and verified["id"] == user["id"] and verified["isAdmin"] is False
    # A chosen id is stored as PostgreSQL writes a uuid: lower case.
    chosen = post(raw, "/api/users", admin, {"id": NOBODY.upper(), "username": "bob", "password": "secret-2", "role": "view-only"})
    assert chosen == (200, {"id": NOBODY, "username": "bob", "role": "view-only"})
    assert post(raw, "/api/users", admin, {"username": "ann", "password": "another1", "role": "user"}) == refused("User already exists")


def test_creating_a_user_checks_the_body_first_then_that_the_caller_is_an_admin(raw: Raw) -> None:
    raw.fake.add_user("ann", "pw-ann-1")
    body = {"username": "x" * 256, "password": "short", "id": "nope"}
    # No credentials at all: the body is still checked first, as parseRequest does.
    assert post(raw, "/api/users", None, body) == zod(
        id=["Invalid UUID"], username=["Too big: expected string to have <=255 characters"],
        password=["Too small: expected string to have >=8 characters"], role=['Invalid option: expected one of "admin"|"user"|"view-only"'],
    )  # fmt: skip
    valid = {"username": "eve", "password": "secret-1", "role": "admin"}
    assert post(raw, "/api/users", None, valid) == (401, UNAUTHORIZED)
    assert post(raw, "/api/users", login(raw, "ann", "pw-ann-1"), valid) == (401, UNAUTHORIZED)
    assert raw.fake.store.user_by_name("eve") is None


def test_updating_a_user(raw: Raw, admin: Auth) -> None:
    ann = raw.fake.add_user("ann", "pw-ann-1")
    raw.fake.add_user("bob", "pw-bob-1")
    as_ann = login(raw, "ann", "pw-ann-1")
    status, updated = post(raw, f"/api/users/{ann.id}", admin, {"username": "anne", "role": "view-only"})
    assert (status, updated) == (200, {"id": ann.id, "username": "anne", "role": "view-only", "createdAt": NOON_ISO})
    # A user changes only their own password: the role and username they send are ignored.
    mine = post(raw, f"/api/users/{ann.id}", as_ann, {"password": "pw-ann-2", "role": "admin", "username": "boss"})
    assert mine[1]["role"] == "view-only"
    assert raw.fake.store.users[ann.id].username == "anne"
    login(raw, "anne", "pw-ann-2")
    assert post(raw, f"/api/users/{raw.fake.admin.id}", as_ann, {"password": "takeover"}) == (401, UNAUTHORIZED)
    assert post(raw, f"/api/users/{ann.id}", admin, {"username": "bob"}) == refused("User already exists")
    assert post(raw, f"/api/users/{NOBODY}", admin, {"role": "user"}) == not_found()
    assert post(raw, f"/api/users/{ann.id}", admin, {"password": 12345678, "role": "root"}) == zod(
        password=["Invalid input: expected string, received number"], role=['Invalid option: expected one of "admin"|"user"|"view-only"']
    )  # fmt: skip


def test_deleting_a_user_deletes_their_websites_and_the_teams_they_own(raw: Raw, admin: Auth) -> None:
    fake = raw.fake
    ann, bob = fake.add_user("ann", "pw-ann-1"), fake.add_user("bob", "pw-bob-1")
    own_site = fake.create_website("Ann's", "ann.example", owner=ann)
    owned, other = fake.add_team("Ann's team", owner=ann), fake.add_team("Bob's team", owner=bob)
    fake.add_team_member(other, ann)
    team_site = fake.create_website("Team site", "team.example", owner=ann, team=owned)
    as_ann = login(raw, "ann", "pw-ann-1")
    visit(raw, own_site.id)
    assert len(fake.events(own_site.id)) == 1

    assert delete(raw, f"/api/users/{ann.id}", as_ann) == (401, UNAUTHORIZED)
    assert delete(raw, f"/api/users/{fake.admin.id}", admin) == refused("You cannot delete yourself.")
    assert delete(raw, f"/api/users/{ann.id}", admin) == OK
    assert ann.id not in fake.store.users and own_site.id not in fake.store.websites and fake.events(own_site.id) == []
    assert owned.id not in fake.store.teams
    assert [member.user_id for member in fake.store.team_users if member.team_id == other.id] == [bob.id]
    # The owned team's website stays, without a team and without its creator (Prisma's SetNull).
    assert (team_site.team_id, team_site.created_by) == (None, None) and team_site.id in fake.store.websites
    assert get(raw, "/api/me", as_ann) == (401, UNAUTHORIZED)  # their token names no user any more
    assert delete(raw, f"/api/users/{ann.id}", admin) == (500, b"")  # Prisma's delete of a missing row


def test_changing_my_password_needs_the_current_one(raw: Raw) -> None:
    ann = raw.fake.add_user("ann", "pw-ann-1")
    as_ann = login(raw, "ann", "pw-ann-1")
    assert post(raw, "/api/me/password", as_ann, {"currentPassword": "wrong", "newPassword": "pw-ann-2"}) == refused(
        "Current password is incorrect"
    )
    assert post(raw, "/api/me/password", None, {"newPassword": "short"}) == zod(
        currentPassword=["Invalid input: expected string, received undefined"],
        newPassword=["Too small: expected string to have >=8 characters"],
    )
    status, body = post(raw, "/api/me/password", as_ann, {"currentPassword": "pw-ann-1", "newPassword": "pw-ann-2"})
    assert (status, body) == (200, {"id": ann.id, "username": "ann", "role": "user", "createdAt": NOON_ISO})
    assert raw.request("POST", "/api/auth/login", {"username": "ann", "password": "pw-ann-1"})[0] == 401
    login(raw, "ann", "pw-ann-2")


# -- teams -----------------------------------------------------------------------------------------


def test_creating_a_team_answers_the_team_and_its_owner(raw: Raw, admin: Auth) -> None:
    ann = raw.fake.add_user("ann", "pw-ann-1")
    raw.fake.add_user("val", "pw-val-1", role="view-only")
    status, created = post(raw, "/api/teams", login(raw, "ann", "pw-ann-1"), {"name": "Growth"})
    assert status == 200 and isinstance(created, list) and len(created) == 2
    team, owner = created
    assert set(team) == {"id", "name", "accessCode", "logoUrl", "createdAt", "updatedAt", "deletedAt"}
    assert team["name"] == "Growth" and re.fullmatch(r"team_[0-9A-Za-z]{16}", team["accessCode"]) and team["deletedAt"] is None
    assert owner == {"id": owner["id"], "teamId": team["id"], "userId": ann.id, "role": "team-owner", "createdAt": NOON_ISO,
                     "updatedAt": NOON_ISO}  # fmt: skip
    # The team's reads see the new rows.
    status, read = get(raw, f"/api/teams/{team['id']}", admin)
    assert status == 200 and read["accessCode"] == team["accessCode"] and [row["userId"] for row in read["members"]] == [ann.id]
    assert get(raw, "/api/teams", login(raw, "ann", "pw-ann-1"))[1]["data"][0]["_count"] == {"websites": 0, "members": 1}
    # An admin may make another user the owner; a view-only user may not create teams.
    assert post(raw, "/api/teams", admin, {"name": "Ops", "ownerId": ann.id})[1][1]["userId"] == ann.id
    assert post(raw, "/api/teams", login(raw, "val", "pw-val-1"), {"name": "Mine"}) == (401, UNAUTHORIZED)
    assert post(raw, "/api/teams", None, {"name": "x" * 51, "ownerId": "ann"}) == zod(
        name=["Too big: expected string to have <=50 characters"], ownerId=["Invalid UUID"]
    )


def test_joining_a_team_with_its_access_code(raw: Raw) -> None:
    fake = raw.fake
    team = fake.add_team("Growth", owner=fake.add_user("ann", "pw-ann-1"))
    bob = fake.add_user("bob", "pw-bob-1")
    as_bob = login(raw, "bob", "pw-bob-1")
    assert post(raw, "/api/teams/join", as_bob, {"accessCode": "team_nope"}) == not_found("Team not found.", "team-not-found")
    status, member = post(raw, "/api/teams/join", as_bob, {"accessCode": team.access_code})
    assert (status, member) == (200, {"id": member["id"], "teamId": team.id, "userId": bob.id, "role": "team-member",
                                      "createdAt": NOON_ISO, "updatedAt": NOON_ISO})  # fmt: skip
    assert post(raw, "/api/teams/join", as_bob, {"accessCode": team.access_code}) == refused("User is already a team member.")
    assert [row["user"]["username"] for row in get(raw, f"/api/teams/{team.id}/users", as_bob)[1]["data"]] == ["ann", "bob"]
    assert post(raw, "/api/teams/join", None, {"accessCode": None}) == zod(accessCode=["Invalid input: expected string, received null"])


def test_updating_and_deleting_a_team(raw: Raw, admin: Auth, clock: ManualClock) -> None:
    fake = raw.fake
    ann, mia, vic = fake.add_user("ann", "pw-ann-1"), fake.add_user("mia", "pw-mia-1"), fake.add_user("vic", "pw-vic-1")
    fake.add_user("eve", "pw-eve-1")
    team = fake.add_team("Growth", owner=ann)
    fake.add_team_member(team, mia, "team-manager")
    fake.add_team_member(team, vic, "team-view-only")
    site = fake.create_website("Team site", "team.example", owner=ann, team=team)
    as_ann, as_mia, as_vic = login(raw, "ann", "pw-ann-1"), login(raw, "mia", "pw-mia-1"), login(raw, "vic", "pw-vic-1")
    clock.advance(minutes=1)

    status, updated = post(raw, f"/api/teams/{team.id}", as_mia, {"name": "Growth 2", "accessCode": "team_custom"})
    assert status == 200 and (updated["name"], updated["accessCode"]) == ("Growth 2", "team_custom")
    assert updated["updatedAt"] == "2026-03-10T12:01:00.000Z"
    assert set(updated) == {"id", "name", "accessCode", "logoUrl", "createdAt", "updatedAt", "deletedAt"}
    assert post(raw, f"/api/teams/{team.id}", as_vic, {"name": "Mine"}) == (401, NOT_OWNER)
    assert post(raw, f"/api/teams/{team.id}", login(raw, "eve", "pw-eve-1"), {"name": "Mine"}) == (401, NOT_OWNER)
    assert post(raw, f"/api/teams/{team.id}", None, {"name": 5}) == zod(name=["Invalid input: expected string, received number"])
    assert post(raw, f"/api/teams/{NOBODY}", admin, {"name": "x"}) == (500, b"")  # Prisma's update of a missing row
    assert team.name == "Growth 2"

    assert delete(raw, f"/api/teams/{team.id}", as_mia) == (401, NOT_OWNER)  # managers may not delete
    assert delete(raw, f"/api/teams/{team.id}", as_ann) == OK
    assert get(raw, f"/api/teams/{team.id}", admin) == not_found("Team not found.")
    assert get(raw, "/api/teams", as_vic)[1]["count"] == 0
    assert site.id in fake.store.websites and site.team_id is None


def test_deleting_a_team_in_cloud_mode_only_marks_it(clock: ManualClock) -> None:
    raw = Raw(FakeUmami(clock=clock, cloud_mode=True))
    team = raw.fake.add_team("Growth")
    assert delete(raw, f"/api/teams/{team.id}", {"Authorization": f"Bearer {raw.token}"}) == OK
    assert raw.fake.store.teams[team.id].deleted_at == NOON and raw.get("/api/teams")[1]["count"] == 0


def test_adding_changing_and_removing_members(raw: Raw, admin: Auth) -> None:
    fake = raw.fake
    ann, mia, vic, bob = (fake.add_user(name, f"pw-{name}-1") for name in ("ann", "mia", "vic", "bob"))
    team = fake.add_team("Growth", owner=ann)
    fake.add_team_member(team, mia, "team-manager")
    fake.add_team_member(team, vic, "team-view-only")
    as_mia, as_vic, as_bob = (login(raw, name, f"pw-{name}-1") for name in ("mia", "vic", "bob"))
    members = f"/api/teams/{team.id}/users"

    status, added = post(raw, members, as_mia, {"userId": bob.id, "role": "team-member"})
    assert (status, added) == (200, {"id": added["id"], "teamId": team.id, "userId": bob.id, "role": "team-member",
                                     "createdAt": NOON_ISO, "updatedAt": NOON_ISO})  # fmt: skip
    assert post(raw, members, as_mia, {"userId": bob.id, "role": "team-member"}) == refused("User is already a member of the Team.")
    assert post(raw, members, as_vic, {"userId": NOBODY, "role": "team-member"}) == (401, NOT_OWNER)
    assert post(raw, members, None, {"userId": "bob", "role": "team-owner"}) == zod(
        userId=["Invalid UUID"], role=['Invalid option: expected one of "team-member"|"team-view-only"|"team-manager"']
    )  # fmt: skip
    assert get(raw, f"{members}/{bob.id}", as_mia)[1]["role"] == "team-member"  # the member's row reads it back

    status, changed = post(raw, f"{members}/{bob.id}", as_mia, {"role": "team-view-only"})
    assert status == 200 and (changed["id"], changed["role"]) == (added["id"], "team-view-only")
    assert post(raw, f"{members}/{bob.id}", as_vic, {"role": "team-manager"}) == (401, NOT_OWNER)
    assert post(raw, f"{members}/{fake.admin.id}", admin, {"role": "team-manager"}) == refused("The User does not exists on this team.")
    assert post(raw, f"{members}/{bob.id}", as_mia, {}) == zod(
        role=['Invalid option: expected one of "team-member"|"team-view-only"|"team-manager"']
    )

    assert delete(raw, f"{members}/{mia.id}", as_vic) == (401, NOT_OWNER)  # a view-only member removes no one else
    assert delete(raw, f"{members}/{vic.id}", as_vic) == OK  # but may leave
    assert delete(raw, f"{members}/{bob.id}", as_mia) == OK
    assert delete(raw, f"{members}/{bob.id}", as_mia) == refused("The User does not exists on this team.")
    assert [row["userId"] for row in get(raw, members, admin)[1]["data"]] == [ann.id, mia.id]
    assert get(raw, f"/api/teams/{team.id}", as_bob) == (401, UNAUTHORIZED)  # no longer a member


# -- websites: reset, transfer ---------------------------------------------------------------------


def day() -> dict[str, int]:
    start = NOON - timedelta(hours=12)
    return {"startAt": int(start.timestamp() * 1000), "endAt": int((start + timedelta(days=1)).timestamp() * 1000)}


def test_reset_empties_the_stats_and_keeps_the_website(raw: Raw, admin: Auth, clock: ManualClock) -> None:
    fake = raw.fake
    ann, vic = fake.add_user("ann", "pw-ann-1"), fake.add_user("vic", "pw-vic-1")
    team = fake.add_team("Growth", owner=ann)
    fake.add_team_member(team, vic, "team-view-only")
    site = fake.create_website("Team site", "team.example", owner=ann, team=team)
    visit(raw, site.id)
    raw.send({"url": "/", "ip": "203.0.113.9"})
    stats = f"/api/websites/{site.id}/stats?startAt={day()['startAt']}&endAt={day()['endAt']}"
    assert get(raw, stats, admin)[1]["pageviews"] == 1
    clock.advance(minutes=5)

    assert post(raw, f"/api/websites/{site.id}/reset", login(raw, "vic", "pw-vic-1")) == (401, UNAUTHORIZED)
    assert post(raw, f"/api/websites/{site.id}/reset", login(raw, "ann", "pw-ann-1")) == OK
    assert get(raw, stats, admin)[1]["pageviews"] == 0 and fake.events(site.id) == [] and fake.sessions(site.id) == []
    status, kept = get(raw, f"/api/websites/{site.id}", admin)
    assert status == 200 and kept["name"] == "Team site" and kept["resetAt"] == "2026-03-10T12:05:00.000Z"
    assert len(fake.events(fake.website_id)) == 1  # another website's data stays
    assert post(raw, f"/api/websites/{NOBODY}/reset", admin) == (500, b"")  # Prisma's update of a missing row


def test_transferring_a_website_between_a_user_and_a_team(raw: Raw, admin: Auth, clock: ManualClock) -> None:
    fake = raw.fake
    ann, mia = fake.add_user("ann", "pw-ann-1"), fake.add_user("mia", "pw-mia-1")
    team = fake.add_team("Growth", owner=ann)
    fake.add_team_member(team, mia, "team-manager")
    site = fake.create_website("Ann's", "ann.example", owner=ann)
    as_ann, as_mia = login(raw, "ann", "pw-ann-1"), login(raw, "mia", "pw-mia-1")
    transfer = f"/api/websites/{site.id}/transfer"
    clock.advance(minutes=1)

    assert post(raw, transfer, as_mia, {"teamId": team.id}) == (401, UNAUTHORIZED)  # only the website's owner gives it away
    assert post(raw, transfer, admin, {"teamId": team.id}) == (401, UNAUTHORIZED)  # admins are not exempt
    status, moved = post(raw, transfer, as_ann, {"teamId": team.id})
    assert status == 200 and (moved["userId"], moved["teamId"], moved["updatedAt"]) == (None, team.id, "2026-03-10T12:01:00.000Z")
    assert "shareId" not in moved and get(raw, f"/api/teams/{team.id}/websites", as_mia)[1]["count"] == 1
    # Back to a user: only a team owner, and only to themself.
    assert post(raw, transfer, as_mia, {"userId": mia.id}) == (401, UNAUTHORIZED)
    assert post(raw, transfer, as_ann, {"userId": mia.id}) == (401, UNAUTHORIZED)
    assert post(raw, transfer, as_ann, {"userId": ann.id})[1]["userId"] == ann.id and site.team_id is None
    assert post(raw, transfer, as_ann, {}) == refused()
    assert post(raw, transfer, None, {"teamId": "growth"}) == zod(teamId=["Invalid UUID"])


# -- shares ----------------------------------------------------------------------------------------


def test_a_website_share_is_read_back_by_id_and_by_slug(raw: Raw, admin: Auth, clock: ManualClock) -> None:
    fake = raw.fake
    shares = f"/api/websites/{fake.website_id}/shares"
    status, share = post(raw, shares, admin, {"name": "Public", "parameters": {"overview": True}})
    assert status == 200 and re.fullmatch(r"[0-9A-Za-z]{16}", share["slug"])
    assert share == {"id": share["id"], "entityId": fake.website_id, "name": "Public", "shareType": 1, "slug": share["slug"],
                     "parameters": {"overview": True}, "createdAt": NOON_ISO, "updatedAt": NOON_ISO}  # fmt: skip
    assert get(raw, f"/api/share/id/{share['id']}", admin) == (200, share)
    assert get(raw, shares, admin) == (200, {"data": [share], "count": 1, "page": 1, "pageSize": 20})
    assert get(raw, f"/api/websites/{fake.website_id}", admin)[1]["shareId"] == share["slug"]  # the newest share's slug

    status, opened = get(raw, f"/api/share/{share['slug']}", None)  # no credentials needed
    assert status == 200 and list(opened) == ["shareId", "shareType", "parameters", "websiteId", "token"]
    assert (opened["shareId"], opened["websiteId"], opened["parameters"]) == (share["id"], fake.website_id, {"overview": True})
    claims = jwt_decode(opened["token"], secret(fake.context.app_secret))
    assert claims is not None and claims["websiteId"] == fake.website_id and claims["iat"] == int(NOON.timestamp())

    clock.advance(minutes=1)
    status, changed = post(raw, f"/api/share/id/{share['id']}", admin, {"name": "Renamed", "slug": "my-site", "parameters": {}})
    assert status == 200 and (changed["slug"], changed["createdAt"]) == ("my-site", NOON_ISO)
    assert changed["updatedAt"] == "2026-03-10T12:01:00.000Z"
    assert get(raw, f"/api/share/{share['slug']}", None) == not_found() and get(raw, "/api/share/my-site", None)[0] == 200

    assert delete(raw, f"/api/share/id/{share['id']}", admin) == OK
    assert get(raw, "/api/share/my-site", None) == not_found() and get(raw, shares, admin)[1]["count"] == 0
    assert get(raw, f"/api/websites/{fake.website_id}", admin)[1]["shareId"] is None
    # A share id that is not stored: reading or deleting reads a property of null; changing it is a 404.
    assert get(raw, f"/api/share/id/{share['id']}", admin) == (500, b"")
    assert delete(raw, f"/api/share/id/{share['id']}", admin) == (500, b"")
    assert post(raw, f"/api/share/id/{share['id']}", admin, {"name": "x", "slug": "y", "parameters": {}}) == not_found()


def test_share_permissions_and_validation(raw: Raw, admin: Auth) -> None:
    fake = raw.fake
    ann, vic = fake.add_user("ann", "pw-ann-1"), fake.add_user("vic", "pw-vic-1")
    fake.add_user("eve", "pw-eve-1")
    team = fake.add_team("Growth", owner=ann)
    fake.add_team_member(team, vic, "team-view-only")
    site = fake.create_website("Team site", "team.example", owner=ann, team=team)
    as_ann, as_vic, as_eve = (login(raw, name, f"pw-{name}-1") for name in ("ann", "vic", "eve"))
    shares = f"/api/websites/{site.id}/shares"

    assert post(raw, shares, as_vic, {"name": "Mine"}) == (401, UNAUTHORIZED)  # view-only: no website:update
    status, share = post(raw, shares, as_ann, {"name": "Public"})
    assert status == 200 and share["parameters"] == {}
    by_id = f"/api/share/id/{share['id']}"
    assert get(raw, by_id, as_vic) == (200, share) and get(raw, shares, as_vic)[1]["count"] == 1  # any member may view
    assert get(raw, by_id, as_eve) == (401, UNAUTHORIZED) and get(raw, shares, as_eve) == (401, UNAUTHORIZED)
    assert post(raw, by_id, as_vic, {"name": "x", "slug": "y", "parameters": {}}) == (401, UNAUTHORIZED)
    assert delete(raw, by_id, as_vic) == (401, UNAUTHORIZED) and fake.store.share(share["id"]) is not None

    assert post(raw, shares, None, {"name": "x" * 201, "parameters": []}) == zod(
        name=["Too big: expected string to have <=200 characters"], parameters=["Invalid input: expected record, received array"]
    )  # fmt: skip
    assert post(raw, by_id, None, {"name": "x"}) == zod(
        slug=["Invalid input: expected string, received undefined"], parameters=["Invalid input: expected record, received undefined"]
    )  # fmt: skip


def test_creating_a_share_of_any_entity(raw: Raw, admin: Auth) -> None:
    fake = raw.fake
    body = {"entityId": fake.website_id, "shareType": "1", "name": "Chosen", "slug": "chosen", "parameters": {"events": True}}
    status, share = post(raw, "/api/share", admin, body)
    assert status == 200 and (share["slug"], share["shareType"], share["entityId"]) == ("chosen", 1, fake.website_id)
    assert get(raw, "/api/share/chosen", None)[1]["shareId"] == share["id"]
    assert post(raw, "/api/share", admin, body) == (500, b"")  # the slug is unique: Prisma's error, unhandled
    fake.add_user("eve", "pw-eve-1")
    assert post(raw, "/api/share", login(raw, "eve", "pw-eve-1"), {**body, "slug": "other"}) == (401, UNAUTHORIZED)
    assert post(raw, "/api/share", None, {"name": "x"}) == zod(
        entityId=["Invalid input: expected string, received undefined"], shareType=["Invalid input: expected number, received NaN"],
        parameters=["Invalid input: expected record, received undefined"],
    )  # fmt: skip


def test_a_website_share_id_is_a_share(raw: Raw, admin: Auth) -> None:
    """3.1 keeps a website's ``shareId`` as a row of the share table: creating, updating and deleting the
    website create and delete those rows."""
    status, site = post(raw, "/api/websites", admin, {"name": "Public", "domain": "public.example", "shareId": "public-stats"})
    assert status == 200 and site["shareId"] == "public-stats"
    assert get(raw, "/api/share/public-stats", None)[1]["websiteId"] == site["id"]
    assert get(raw, f"/api/websites/{site['id']}/shares", admin)[1]["data"][0]["parameters"] == {"overview": True, "events": True}
    other = post(raw, "/api/websites", admin, {"name": "Other", "domain": "other.example"})[1]
    assert post(raw, f"/api/websites/{other['id']}", admin, {"shareId": "public-stats"}) == refused("That share ID is already taken.")
    assert post(raw, f"/api/websites/{site['id']}", admin, {"shareId": None})[1]["shareId"] is None
    assert get(raw, "/api/share/public-stats", None) == not_found()
    post(raw, f"/api/websites/{site['id']}", admin, {"shareId": "again"})
    assert delete(raw, f"/api/websites/{site['id']}", admin) == OK
    assert raw.fake.store.share_by_slug("again") is None


def test_changing_a_team_website_needs_a_team_role_that_may(raw: Raw) -> None:
    """``canUpdateWebsite``/``canDeleteWebsite``: a team-view-only member may view the team's website, not change it."""
    fake = raw.fake
    ann, vic, max_ = fake.add_user("ann", "pw-ann-1"), fake.add_user("vic", "pw-vic-1"), fake.add_user("max", "pw-max-1")
    team = fake.add_team("Growth", owner=ann)
    fake.add_team_member(team, vic, "team-view-only")
    fake.add_team_member(team, max_, "team-member")
    site = fake.create_website("Team site", "team.example", owner=ann, team=team)
    as_vic, as_max = login(raw, "vic", "pw-vic-1"), login(raw, "max", "pw-max-1")
    assert get(raw, f"/api/websites/{site.id}", as_vic)[1]["name"] == "Team site"
    assert post(raw, f"/api/websites/{site.id}", as_vic, {"name": "Mine"}) == (401, UNAUTHORIZED)
    assert delete(raw, f"/api/websites/{site.id}", as_vic) == (401, UNAUTHORIZED) and site.name == "Team site"
    assert post(raw, f"/api/websites/{site.id}", as_max, {"name": "Renamed"})[1]["name"] == "Renamed"
    assert delete(raw, f"/api/websites/{site.id}", as_max) == OK and site.id not in fake.store.websites


def test_a_team_website_is_created_by_a_member_whose_role_may(raw: Raw, admin: Auth) -> None:
    fake = raw.fake
    team = fake.add_team("Growth", owner=fake.add_user("ann", "pw-ann-1"))
    fake.add_user("vic", "pw-vic-1")
    post(raw, f"/api/teams/{team.id}/users", admin, {"userId": fake.store.user_by_name("vic").id, "role": "team-view-only"})  # type: ignore[union-attr]
    body = {"name": "Blog", "domain": "blog.example.com", "teamId": team.id}
    status, site = post(raw, "/api/websites", login(raw, "ann", "pw-ann-1"), body)
    assert status == 200 and (site["teamId"], site["userId"]) == (team.id, None)  # the team's, not its creator's
    assert [row["id"] for row in get(raw, f"/api/teams/{team.id}/websites", admin)[1]["data"]] == [site["id"]]
    assert post(raw, "/api/websites", login(raw, "vic", "pw-vic-1"), body) == (401, UNAUTHORIZED)  # a view-only member may not
    assert post(raw, "/api/websites", admin, body)[0] == 200  # an admin may, member or not
