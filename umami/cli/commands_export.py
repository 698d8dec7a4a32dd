"""``umami export``: every event or session of a range, as CSV or JSON lines, page by page."""

from __future__ import annotations

import contextlib
import csv
import json
import sys
from collections.abc import Iterator
from typing import IO, Any

import click
from pydantic import BaseModel
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from umami.cli.connect import reader, require_website
from umami.cli.options import State, filter_options, range_options, website_option
from umami.cli.output import err_console, is_terminal
from umami.cli.periods import Range

__all__ = ["COMMANDS"]


@contextlib.contextmanager
def _destination(output: str | None) -> Iterator[IO[str]]:
    if output is None or output == "-":
        yield sys.stdout
        return
    with open(output, "w", encoding="utf-8", newline="") as file:
        yield file


def _columns(kind: str) -> list[str]:
    from umami.analytics import EventRow, SessionRow

    return list((EventRow if kind == "events" else SessionRow).model_fields)


@click.command(
    epilog="""\b
Examples:
  umami export events --since 30d > events.csv
  umami export sessions --from 2026-11-01 --to 2026-11-30 --format jsonl --output sessions.jsonl
  umami export events --filter event=signup --json | jq .urlPath"""
)
@click.argument("kind", type=click.Choice(["events", "sessions"]))
@website_option
@range_options
@click.option(
    "--format",
    "form",
    type=click.Choice(["csv", "jsonl"]),
    default="csv",
    show_default=True,
    help="CSV with a header, or a JSON object per line.",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format jsonl.")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
@click.option("--page-size", type=click.IntRange(1, 1000), default=200, show_default=True, help="Rows fetched per request.")
@filter_options
@click.pass_obj
def export(
    state: State,
    kind: str,
    website: str | None,
    period: Range,
    form: str,
    as_json: bool,
    output: str | None,
    page_size: int,
    filters: dict[str, str],
) -> None:
    """Every event (page views and custom events) or session of a range, as CSV or JSON lines.

    Rows are fetched a page at a time and written as they come: memory stays small whatever the
    range. A progress line shows on a terminal (on stderr), never when piped.
    """
    settings = state.settings(website)
    website_id = require_website(settings)
    client = reader(settings, state.timeout)
    fetch = client.events if kind == "events" else client.sessions
    rows: Iterator[BaseModel] = fetch(period.start, period.end, website_id=website_id, page_size=page_size, **filters)
    jsonl = as_json or form == "jsonl"
    # A progress line only where a person watches it, and not over the rows themselves.
    show = is_terminal(sys.stderr) and (output not in (None, "-") or not is_terminal(sys.stdout))
    with _destination(output) as destination, _progress(show, kind) as advance:
        writer = None if jsonl else csv.DictWriter(destination, fieldnames=_columns(kind), extrasaction="ignore")
        if writer is not None:
            writer.writeheader()
        for row in rows:
            data: dict[str, Any] = row.model_dump(mode="json")
            if writer is None:
                destination.write(json.dumps(data, ensure_ascii=False) + "\n")
            else:
                writer.writerow(data)
            advance()


@contextlib.contextmanager
def _progress(show: bool, kind: str) -> Iterator[Any]:
    if not show:
        yield lambda: None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,} rows"),
        TimeElapsedColumn(),
        console=err_console(),
        transient=True,
    ) as progress:
        task = progress.add_task(f"Exporting {kind}", total=None)
        yield lambda: progress.advance(task)


COMMANDS = [export]
