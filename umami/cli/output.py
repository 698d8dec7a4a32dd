"""Writing results: JSON when asked, else text; styled on a terminal, plain when piped (no colour,
no progress bar, no live refresh)."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Sequence
from typing import Any

import click
from rich.console import Console
from rich.text import Text

__all__ = ["Column", "emit_json", "err_console", "is_terminal", "out_console", "table", "width"]


def is_terminal(stream: Any) -> bool:
    """Whether ``stream`` is an interactive terminal (a pipe, a file or a test runner is not)."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def out_console() -> Console:
    """A console on stdout: colours only on a terminal, lines never wrapped or cut."""
    return Console(file=sys.stdout, soft_wrap=True, highlight=False, emoji=False, markup=False)


def err_console() -> Console:
    """A console on stderr (notes, progress) that never mixes into the output on stdout."""
    return Console(file=sys.stderr, soft_wrap=True, highlight=False, emoji=False, markup=False)


def width() -> int:
    """The terminal's width, or 100 when output is piped."""
    return shutil.get_terminal_size((100, 24)).columns if is_terminal(sys.stdout) else 100


def emit_json(value: Any) -> None:
    """``value`` as indented JSON on stdout (never styled, so that it parses)."""
    click.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


class Column:
    """A column of a table: its heading, whether it is right-aligned (numbers), its style."""

    def __init__(self, heading: str, *, right: bool = False, style: str | None = None) -> None:
        self.heading, self.right, self.style = heading, right, style


def table(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> list[Text]:
    """Aligned columns two spaces apart, a bold heading; plain text that cut and awk can read."""
    widths = [max([len(column.heading), *(len(row[index]) for row in rows)]) for index, column in enumerate(columns)]

    def line(cells: Sequence[str], heading: bool) -> Text:
        text = Text(style="bold" if heading else "")
        for index, (column, cell) in enumerate(zip(columns, cells, strict=True)):
            last = index == len(columns) - 1
            padded = cell.rjust(widths[index]) if column.right else (cell if last else cell.ljust(widths[index]))
            text.append(padded, style=None if heading else column.style)
            if not last:
                text.append("  ")
        return text

    lines = [line([column.heading for column in columns], True), *(line(row, False) for row in rows)]
    for text in lines:
        text.rstrip()
    return lines
