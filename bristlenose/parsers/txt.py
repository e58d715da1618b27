"""Our plain-text transcript format: ``[MM:SS] [label] text``, one turn per line.

Hand-written or exported transcripts may leave out the label (``[01:02] text``: a
``Name: `` prefix is then honoured, and a line with neither keeps the speaker before it)
and may wrap a turn over several lines: a line without a timestamp continues the turn
before it. Text before the first timestamp is a header; platform notices and footers
(:mod:`bristlenose.parsers.boilerplate`) are not speech.
"""

from __future__ import annotations

import re

from bristlenose.parsers.base import ParseError, RawSegment, clean_text, split_speaker_prefixes
from bristlenose.parsers.boilerplate import is_boilerplate

_LINE = re.compile(r"\[(?P<time>\d+:\d{2}(?::\d{2})?(?:\.\d+)?)\]\s*(?:\[(?P<label>[^\]]*)\])?\s*(?P<text>.*)")


def parse_txt(text: str) -> list[RawSegment]:
    """Segments of a ``[MM:SS] [label] text`` transcript, one per timestamped line."""
    turns: list[tuple[float, str | None, list[str]]] = []
    for line in text.splitlines():
        match = _LINE.fullmatch(line.strip())
        if is_boilerplate(match["text"] if match else line):
            continue
        if match:
            label = clean_text(match["label"]) if match["label"] is not None else None
            turns.append((_seconds(match["time"]), label, [clean_text(match["text"])]))
        elif turns and line.strip():
            turns[-1][2].append(clean_text(line))
    if not turns:
        raise ParseError("no timestamped lines (expected lines like '[00:12] [p1] text')")
    unlabelled = [" ".join(words).strip() for _, label, words in turns if label is None]
    prefixes = iter(split_speaker_prefixes(unlabelled))
    segments: list[RawSegment] = []
    speaker = ""
    for start, label, words in turns:
        found, body = (label, " ".join(words).strip()) if label is not None else next(prefixes)
        speaker = found if found is not None else speaker
        if body and not is_boilerplate(body):
            segments.append(RawSegment(start=start, end=None, speaker=speaker, text=body))
    return segments


def format_txt(segments: list[tuple[float, str, str]]) -> str:
    """Lines of ``(start, code, text)`` turns in the format :func:`parse_txt` reads."""
    return "".join(f"[{_stamp(start)}] [{code}] {clean_text(text)}\n" for start, code, text in segments)


def _stamp(seconds: float) -> str:
    """``MM:SS``, or ``HH:MM:SS`` from an hour on; whole seconds, rounded down."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _seconds(stamp: str) -> float:
    """``MM:SS`` or ``HH:MM:SS`` (optionally with a fraction) in seconds."""
    total = 0.0
    for part in stamp.split(":"):
        total = total * 60 + float(part)
    return total
