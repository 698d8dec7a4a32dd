"""umami export (CSV and JSON lines, page by page) and umami send, against the embedded Umami over HTTP."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import umami
from tests.cli.conftest import Cli


def send_views(count: int) -> list[str]:
    paths = [f"/page/{number}" for number in range(count)]
    for number, path in enumerate(paths):
        umami.new_page_view(page_title=f"Page {number}", url=path, ip_address=f"203.0.113.{number % 200}")
    return paths


def event_pages_asked(cli: Cli) -> list[int]:
    """The ``page`` of every request for the events list, in order."""
    asked = []
    for request in cli.server.fake.requests:
        parts = urlsplit(request.url)
        if parts.path.endswith("/events"):
            asked.append(int(parse_qs(parts.query)["page"][0]))
    return asked


def test_export_events_as_csv_fetches_page_after_page(umami_cli: Cli) -> None:
    paths = send_views(25)
    umami.new_event(event_name="signup", url="/signup", custom_data={"plan": "pro"}, ip_address="203.0.113.1")
    text = umami_cli.ok("export", "events", "--page-size", "10")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(row["urlPath"] for row in rows) == sorted([*paths, "/signup"])
    stored = {event.id: event for event in umami_cli.server.fake.events()}
    assert {row["id"] for row in rows} == set(stored)
    (signup,) = [row for row in rows if row["eventName"]]
    assert (signup["eventName"], signup["eventType"], signup["hasData"]) == ("signup", "2", "True")
    assert event_pages_asked(umami_cli) == [1, 2, 3]  # 26 rows, 10 a page: three requests


def test_export_as_json_lines_to_a_file(umami_cli: Cli, tmp_path: Path) -> None:
    paths = send_views(12)
    target = tmp_path / "events.jsonl"
    printed = umami_cli.ok("export", "events", "--format", "jsonl", "--page-size", "5", "--output", str(target))
    assert printed == ""
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert sorted(row["urlPath"] for row in rows) == sorted(paths)
    assert all(row["eventType"] == 1 and row["websiteId"] == umami_cli.server.fake.website_id for row in rows)
    assert event_pages_asked(umami_cli) == [1, 2, 3]
    as_json = [json.loads(line) for line in umami_cli.ok("export", "events", "--json").splitlines()]
    assert sorted(row["id"] for row in as_json) == sorted(row["id"] for row in rows)


def test_export_sessions(umami_cli: Cli) -> None:
    send_views(3)
    rows = list(csv.DictReader(io.StringIO(umami_cli.ok("export", "sessions"))))
    assert sorted(row["id"] for row in rows) == sorted(session.id for session in umami_cli.server.fake.sessions())
    assert len(rows) == 3 and all(row["views"] == "1" for row in rows)


def test_send_a_page_view_and_an_event(umami_cli: Cli) -> None:
    fake = umami_cli.server.fake
    printed = umami_cli.ok("send", "pageview", "https://example.com/pricing", "--title", "Pricing", "--ip", "203.0.113.9")
    (stored,) = fake.page_views(url="/pricing")
    assert (stored.page_title, stored.hostname, stored.payload["ip"]) == ("Pricing", "example.com", "203.0.113.9")
    assert printed.startswith("page view sent: https://example.com/pricing (session ")
    answer = json.loads(umami_cli.ok("send", "event", "signup", "--url", "/signup", "--hostname", "example.com",
                                     "--data", "plan=pro", "--data", "seats=3", "--data-json", '{"trial": true}', "--json"))  # fmt: skip
    (event,) = fake.custom_events(name="signup")
    assert event.data == {"plan": "pro", "seats": 3, "trial": True}
    assert answer["stored"] is True and answer["sessionId"] == event.session_id and "cache" not in answer


def test_send_needs_a_hostname_and_a_website(umami_cli: Cli) -> None:
    result = umami_cli("send", "pageview", "/pricing")
    assert result.exit_code == 1 and "no hostname" in result.stderr
    ok = umami_cli("send", "pageview", "/pricing", env={"UMAMI_HOSTNAME": "example.com"})
    assert ok.exit_code == 0 and len(umami_cli.server.fake.page_views(url="/pricing")) == 1
    result = umami_cli("send", "event", "x", "--hostname", "example.com", env={"UMAMI_WEBSITE_ID": None})
    assert result.exit_code == 1 and "no website id" in result.stderr
