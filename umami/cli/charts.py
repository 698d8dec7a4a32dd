"""Terminal charts drawn with block characters: a column chart of a series (page views over
visitors), and the bars of a top-N table. Plain text, with styles that show only on a terminal."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text

__all__ = ["BOTH", "VIEWS_ONLY", "VISITORS_ONLY", "Bucket", "bar", "series_chart"]

#: A cell where both series reach, where only page views reach, where only visitors reach.
BOTH, VIEWS_ONLY, VISITORS_ONLY = "█", "▒", "░"
_STYLES = {BOTH: "cyan", VIEWS_ONLY: "blue", VISITORS_ONLY: "magenta"}


@dataclass(frozen=True)
class Bucket:
    """One bucket of a series: its label on the x axis, its page views and visitors."""

    label: str
    views: int
    visitors: int


def bar(value: int, largest: int, width: int) -> str:
    """A horizontal bar of ``value`` scaled to ``largest`` over ``width`` cells, in eighths of a cell."""
    if largest <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(value / largest * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")


def _height(value: int, top: int, rows: int) -> int:
    # A bucket with any traffic gets at least one cell: an empty column must mean no traffic.
    return 0 if value <= 0 else max(1, round(value / top * rows))


def _cell(row: int, views: int, visitors: int) -> str:
    if row <= views and row <= visitors:
        return BOTH
    if row <= views:
        return VIEWS_ONLY
    return VISITORS_ONLY if row <= visitors else " "


def _styled(line: str) -> Text:
    line = line.rstrip()
    text = Text(line)
    for index, char in enumerate(line):
        style = _STYLES.get(char)
        if style:
            text.stylize(style, index, index + 1)
    return text


def series_chart(data: Sequence[Bucket], *, rows: int = 8, width: int = 100) -> list[Text]:
    """A column per bucket (page views ▒ over visitors █), a y axis with its scale and an x axis
    with a tick per bucket and as many labels as fit; one line per bucket when columns do not fit."""
    if not data:
        return [Text("(no buckets in this range)")]
    top = max(max(item.views, item.visitors) for item in data) or 1
    scale = len(f"{top:,}")
    room = width - scale - 2
    # Columns as wide as fits (up to 6) with a gap; one cell without a gap; else a line per bucket.
    gap = 1 if 2 * len(data) <= room else 0
    column = min(6, room // len(data) - gap)
    if column < 1:
        return _rows_chart(data, top, width)
    lines: list[Text] = []
    heights = [(_height(item.views, top, rows), _height(item.visitors, top, rows)) for item in data]
    for row in range(rows, 0, -1):
        value = math.ceil(top * row / rows)
        label = f"{value:>{scale},}" if row in (rows, math.ceil(rows / 2)) else " " * scale
        cells = "".join(" " * gap + _cell(row, views, visitors) * column for views, visitors in heights)
        lines.append(_styled(f"{label} ┤{cells}"))
    lines.append(Text(f"{0:>{scale}} ┼" + ("─" * gap + "┴" + "─" * (column - 1)) * len(data)))
    lines.append(Text(" " * (scale + 2) + _x_labels([item.label for item in data], column + gap, gap)))
    return lines


def _x_labels(labels: Sequence[str], step: int, offset: int) -> str:
    """The labels under their ticks, skipping those that would overlap the one before."""
    line = ""
    for index, label in enumerate(labels):
        position = index * step + offset
        if position >= len(line) + (1 if line else 0):
            line = line.ljust(position) + label
    return line


def _rows_chart(data: Sequence[Bucket], top: int, width: int) -> list[Text]:
    label_width = max(len(item.label) for item in data)
    count_width = len(f"{top:,}")
    room = max(10, width - label_width - 2 * count_width - 8)
    lines = []
    for item in data:
        views, visitors = round(item.views / top * room), round(item.visitors / top * room)
        cells = "".join(_cell(cell, views, visitors) for cell in range(1, max(views, visitors) + 1))
        lines.append(_styled(f"{item.label:<{label_width}} │{cells} {item.views:,} / {item.visitors:,}"))
    return lines
