"""Geometry of the report's inline SVG charts, computed here so the template only draws.

Sizes are SVG user units; the SVG scales to its box, and every number is also written as
text so a chart never needs its colours to be read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

WIDTH = 480
TONES = ("friction", "neutral", "positive")
MAX_LABEL = 40


@dataclass(frozen=True)
class Bar:
    """One horizontal bar, or one tone's part of a stacked bar."""

    x: float
    y: float
    width: float
    height: float
    tone: str
    count: int


@dataclass(frozen=True)
class ChartRow:
    """A labelled row of a chart: its bars and the number written beside them."""

    label: str
    short_label: str
    label_x: float
    label_y: float
    bars: tuple[Bar, ...]
    value: str
    value_x: float
    value_y: float


@dataclass(frozen=True)
class Chart:
    """A whole chart: its size and rows."""

    width: int
    height: int
    rows: tuple[ChartRow, ...]


def sentiment_chart(counts: Iterable[tuple[str, int, str]]) -> Chart:
    """One bar per sentiment (label, count, tone), label on the left and count on the right."""
    items = list(counts)
    row, bar_height, label_width, value_width = 26, 16, 104, 36
    scale = (WIDTH - label_width - value_width - 8) / max((n for _, n, _ in items), default=1)
    rows = tuple(
        ChartRow(
            label=label,
            short_label=_short(label),
            label_x=label_width - 8,
            label_y=i * row + 17,
            bars=(Bar(label_width, i * row + 5, max(count * scale, 2), bar_height, tone, count),),
            value=str(count),
            value_x=label_width + count * scale + 6,
            value_y=i * row + 17,
        )
        for i, (label, count, tone) in enumerate(items)
    )
    return Chart(WIDTH, len(items) * row + 4, rows)


def stacked_chart(groups: Iterable[tuple[str, dict[str, int]]]) -> Chart:
    """One stacked bar per group (friction, neutral, positive), label above it; bar length is
    the group's number of quotes, so both volume and mix show."""
    items = list(groups)
    row, bar_height = 42, 14
    scale = WIDTH / max((sum(tones.values()) for _, tones in items), default=1)
    rows = []
    for i, (label, tones) in enumerate(items):
        top = i * row
        x = 0.0
        bars = []
        for tone in TONES:
            count = tones.get(tone, 0)
            if count:
                bars.append(Bar(x, top + 20, count * scale, bar_height, tone, count))
                x += count * scale
        total = sum(tones.values())
        rows.append(ChartRow(
            label=label,
            short_label=_short(label),
            label_x=0,
            label_y=top + 14,
            bars=tuple(bars),
            value=f"{tones.get('friction', 0)} of {total} friction points",
            value_x=WIDTH,
            value_y=top + 14,
        ))
    return Chart(WIDTH, len(items) * row, tuple(rows))


def _short(label: str) -> str:
    """A label cut to fit beside its numbers; the full label stays in the SVG's title."""
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"
