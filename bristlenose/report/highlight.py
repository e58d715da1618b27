"""Quoted words inside a transcript segment, so a transcript page can mark exactly what was
quoted rather than the whole turn."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class TextPart:
    """A run of a segment's text, quoted or not."""

    text: str
    quoted: bool


def split_quoted(text: str, quotes: Iterable[str]) -> tuple[TextPart, ...]:
    """``text`` cut into runs, overlapping quotes merged; quotes not found in it are ignored
    (quotes are verbatim slices of their segment, so this only happens to hand-made data)."""
    spans: list[tuple[int, int]] = []
    for quoted in quotes:
        at = text.find(quoted)
        if quoted and at >= 0:
            spans.append((at, at + len(quoted)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    parts: list[TextPart] = []
    position = 0
    for start, end in merged:
        if start > position:
            parts.append(TextPart(text[position:start], False))
        parts.append(TextPart(text[start:end], True))
        position = end
    if position < len(text):
        parts.append(TextPart(text[position:], False))
    return tuple(parts)
