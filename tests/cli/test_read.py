"""The reading commands against the embedded Umami over HTTP: websites, stats, chart, top, realtime."""

from __future__ import annotations

import datetime
import json

import pytest

import umami
from tests.cli.conftest import Cli, lines, no_escapes
from umami_transports.fake import ManualClock

NOW = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def view(path: str, ip: str) -> None:
    umami.new_page_view(page_title=path.strip("/") or "Home", url=path, ip_address=ip)


def test_websites_lists_the_fakes_site_as_text_and_json(umami_cli: Cli) -> None:
    fake = umami_cli.server.fake
    other = fake.create_website("Shop", "shop.example")
    text = umami_cli.ok("websites")
    assert lines(text)[0].split() == ["id", "name", "domain", "created"]
    assert any(line.split()[:3] == [fake.website_id, "Example", "example.com"] for line in lines(text))
    assert any(line.split()[:3] == [other.id, "Shop", "shop.example"] for line in lines(text))
    listed = json.loads(umami_cli.ok("websites", "--json"))
    assert sorted(site["id"] for site in listed) == sorted([fake.website_id, other.id])
    assert no_escapes(text)


def test_stats_counts_page_views_and_visitors(umami_cli: Cli) -> None:
    for path, ip in [("/", "203.0.113.1"), ("/pricing", "203.0.113.1"), ("/", "203.0.113.2")]:
        view(path, ip)
    umami.new_event(event_name="signup", ip_address="203.0.113.2")  # events do not count in the stats
    data = json.loads(umami_cli.ok("stats", "--json"))
    assert (data["stats"]["pageviews"], data["stats"]["visitors"], data["stats"]["visits"]) == (3, 2, 2)
    assert data["previous"]["pageviews"] == 0 and data["change"]["pageviews"] is None  # nothing before: no percentage
    rows = {line.split("  ")[0]: line.split() for line in lines(umami_cli.ok("stats"))[2:]}
    assert rows["page views"][2:4] == ["3", "0"] and rows["visitors"][1:3] == ["2", "0"]
    assert rows["bounce rate"][2] == "50.0%"  # one visit of two saw a single page


@pytest.mark.umami_fake(clock=ManualClock(NOW - datetime.timedelta(days=10)))
def test_stats_shows_the_change_against_the_previous_period(umami_cli: Cli) -> None:
    clock = umami_cli.server.fake.clock
    assert isinstance(clock, ManualClock)
    for number in range(2):  # ten days ago: the previous 7 days of a 7-day range
        view("/", f"203.0.113.{number}")
    clock.set(NOW)
    for number in range(5):
        view("/", f"203.0.113.{number + 10}")
    data = json.loads(umami_cli.ok("stats", "--since", "7d", "--json"))
    assert (data["stats"]["pageviews"], data["previous"]["pageviews"]) == (5, 2)
    assert data["change"]["pageviews"] == 150.0
    page_views = next(line for line in lines(umami_cli.ok("stats", "--since", "7d")) if line.startswith("page views"))
    assert page_views.split()[-1] == "+150.0%"
    none = json.loads(umami_cli.ok("stats", "--compare", "none", "--json"))
    assert none["previous"] is None and "previous" not in umami_cli.ok("stats", "--compare", "none")


@pytest.mark.umami_fake(clock=ManualClock(NOW - datetime.timedelta(days=3)))
def test_chart_has_a_column_and_a_label_per_day(umami_cli: Cli) -> None:
    clock = umami_cli.server.fake.clock
    assert isinstance(clock, ManualClock)
    view("/", "203.0.113.1")
    view("/a", "203.0.113.1")
    clock.set(NOW)
    view("/", "203.0.113.2")
    data = json.loads(umami_cli.ok("chart", "--since", "7d", "--unit", "day", "--json"))
    days = [NOW.date() - datetime.timedelta(days=back) for back in range(7, -1, -1)]
    assert [bucket["start"] for bucket in data["buckets"]] == [f"{day} 00:00:00" for day in days]
    counts = {bucket["start"][:10]: (bucket["pageviews"], bucket["visitors"]) for bucket in data["buckets"] if bucket["pageviews"]}
    assert counts == {str(days[4]): (2, 1), str(days[7]): (1, 1)}
    text = lines(umami_cli.ok("chart", "--since", "7d", "--unit", "day"))
    axis = next(line for line in text if "┼" in line)
    assert axis.count("┴") == 8
    labels = text[text.index(axis) + 1].split()
    assert labels == [f"{day:%m-%d}" for day in days]  # every day fits at 100 columns
    assert text[-1] == "8 days · 3 page views · 2 visitors counted per day"
    assert any("▒" in line for line in text) and any("█" in line for line in text)


def test_chart_by_hour_has_24_buckets_in_a_day(umami_cli: Cli) -> None:
    view("/", "203.0.113.1")
    today = NOW.date()
    data = json.loads(umami_cli.ok("chart", "--from", str(today), "--to", str(today), "--unit", "hour", "--json"))
    assert len(data["buckets"]) == 24
    assert [bucket["pageviews"] for bucket in data["buckets"] if bucket["pageviews"]] == [1]
    axis = next(
        line for line in umami_cli.ok("chart", "--from", str(today), "--to", str(today), "--unit", "hour").splitlines() if "┼" in line
    )
    assert axis.count("┴") == 24


def test_top_lists_the_values_largest_first_with_bars(umami_cli: Cli) -> None:
    for path, count in [("/b", 2), ("/a", 3), ("/c", 1)]:
        for number in range(count):
            view(path, f"203.0.113.{number}")
    data = json.loads(umami_cli.ok("top", "path", "--json"))
    assert [(row["value"], row["count"]) for row in data["rows"]] == [("/a", 3), ("/b", 2), ("/c", 1)]
    rows = lines(umami_cli.ok("top", "path"))[2:]
    assert [row.split()[:3] for row in rows] == [["1", "/a", "3"], ["2", "/b", "2"], ["3", "/c", "1"]]
    bars = [row.split()[-1] for row in rows]
    assert len(bars[0]) > len(bars[1]) > len(bars[2]) and set(bars[0]) == {"█"}
    assert len(lines(umami_cli.ok("top", "pages", "-n", "2"))) == 4  # title, heading and two rows; 'pages' means path


def test_top_of_an_unknown_metric_says_which_exist(umami_cli: Cli) -> None:
    result = umami_cli("top", "colour")
    assert result.exit_code != 0 and "unknown metric type 'colour'" in result.stderr and "referrer" in result.stderr


def test_filters_narrow_the_numbers(umami_cli: Cli) -> None:
    view("/a", "203.0.113.1")
    view("/b", "203.0.113.2")
    data = json.loads(umami_cli.ok("stats", "--filter", "path=/a", "--json"))
    assert data["stats"]["pageviews"] == 1
    assert [row["value"] for row in json.loads(umami_cli.ok("top", "path", "--filter", "path=/b", "--json"))["rows"]] == ["/b"]
    result = umami_cli("top", "path", "--filter", "colour=red")
    assert result.exit_code == 2 and "unknown filter 'colour'" in result.stderr


def test_realtime_shows_active_visitors_and_the_latest_events(umami_cli: Cli) -> None:
    view("/", "203.0.113.1")
    view("/pricing", "203.0.113.2")
    umami.new_event(event_name="signup", url="/signup", ip_address="203.0.113.2")
    data = json.loads(umami_cli.ok("realtime", "--json"))
    assert data["active_visitors"] == 2
    assert [(event["type"], event["urlPath"]) for event in data["latest"]] == [
        ("event", "/signup"),
        ("pageview", "/pricing"),
        ("pageview", "/"),
    ]
    text = lines(umami_cli.ok("realtime", "-n", "2"))
    assert text[0] == "Active visitors (last 5 minutes): 2"
    assert [row.split()[1:3] for row in text[-2:]] == [["event", "signup"], ["view", "/pricing"]]


def test_dates_are_checked_before_any_request(umami_cli: Cli) -> None:
    before = len(umami_cli.server.fake.requests)
    for args, message in [
        (["stats", "--since", "7x"], "--since '7x'"),
        (["stats", "--from", "yesterday"], "--from 'yesterday'"),
        (["stats", "--from", "2026-02-02", "--to", "2026-02-01"], "the range is empty"),
        (["stats", "--since", "7d", "--from", "2026-02-01"], "either --since or --from/--to"),
        (["chart", "--tz", "Mars/Olympus"], "unknown time zone"),
    ]:
        result = umami_cli(*args)
        assert result.exit_code == 1 and message in result.stderr, (args, result.stderr)
    assert len(umami_cli.server.fake.requests) == before
