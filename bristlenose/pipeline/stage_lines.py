"""The words of a run's progress: what each stage did, in one line, from the counts on disk.

The reporter (``reporter.py``) follows doit's task events; this module turns one stage's
outcomes and the study's counts into the line a researcher reads.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bristlenose.pipeline.counts import StudyCounts
from bristlenose.pipeline.heartbeat import format_seconds, plural

OK, PARTIAL, FAILED = "✓", "⚠", "✗"
STAGE_ORDER = ("transcript", "speakers", "redact", "redact_media", "topics", "quotes", "clusters", "themes", "render")


@dataclass
class StageProgress:
    """What happened to one stage's tasks in this run."""

    tasks: set[str]
    had_target: set[str] = field(default_factory=set)
    executed: set[str] = field(default_factory=set)
    cached: set[str] = field(default_factory=set)
    failed: dict[str, str] = field(default_factory=dict)
    started: float | None = None
    finished: float | None = None
    printed: bool = False

    @property
    def settled(self) -> bool:
        """Every task of the stage has an outcome (each task has one, so counting suffices: a
        set union per settled task made a 1,000-session no-op quadratic)."""
        return len(self.executed) + len(self.cached) + len(self.failed) >= len(self.tasks)


def transcripts_line(read: int, transcribed: int) -> str:
    """``Read 4 transcripts``, and ``· transcribed 2 recordings`` when there were any."""
    line = f"Read {plural(read, 'transcript')}"
    return f"{line} · transcribed {plural(transcribed, 'recording')}" if transcribed else line


def describe(counts: StudyCounts) -> dict[str, Callable[[], str]]:
    """The words of each stage's line, from the targets on disk."""
    return {
        "transcript": lambda: transcripts_line(*counts.transcripts()),
        "speakers": lambda: f"Identified {plural(counts.participants(), 'participant')}",
        "redact": counts.redactions_line,
        "redact_media": lambda: f"Silenced personal data in {plural(counts.redacted_recordings(), 'recording')}",
        "topics": lambda: f"Segmented {plural(counts.topic_boundaries(), 'topic boundary', 'topic boundaries')}",
        "quotes": lambda: f"Extracted {plural(counts.quotes(), 'quote')}",
        "clusters": lambda: f"Grouped quotes into {plural(counts.sections(), 'section')}",
        "themes": lambda: f"Found {plural(counts.themes(), 'theme')}",
        "render": lambda: f"Rendered report  {counts.report_path()}",
    }


def stage_line(stage: str, progress: StageProgress, text: str, why_empty: str, unreadable: int) -> str:
    """`` ✓ Extracted 31 quotes (2 new sessions)   4.1s``: the stage's glyph, its words (``text``),
    why it is empty, its unreadable sessions and how many sessions it did, and its time."""
    per_session = any(":" in name for name in progress.tasks)
    total = len(progress.tasks)
    done = len(progress.executed) + len(progress.cached)
    glyph = OK if done == total else (PARTIAL if done else FAILED)
    if stage == "render" and not done:
        return f" {glyph} No report written"
    notes = [why_empty] if why_empty and done else []
    if unreadable:
        glyph = FAILED if unreadable >= total else (PARTIAL if glyph == OK else glyph)
        notes.append(f"{unreadable} unreadable")
    if per_session and done < total:
        notes.append(f"{done}/{total} sessions")
    if not progress.executed and progress.cached and done == total:
        notes.append("cached")
    elif per_session and progress.executed and progress.cached:
        redone = len(progress.executed & progress.had_target)
        new = len(progress.executed) - redone
        notes.append(", ".join(part for part in (plural(new, "new session") if new else "",
                                                  f"{redone} redone" if redone else "") if part))
    if notes:
        text += f" ({', '.join(notes)})"
    elapsed = ""
    if progress.executed and progress.started is not None:
        elapsed = format_seconds((progress.finished or time.monotonic()) - progress.started)
    return f" {glyph} {text:<46}  {elapsed}".rstrip()


def counts_summary(counts: StudyCounts) -> str:
    """``   4 participants · 5 sections · 5 themes · 31 quotes``: the study as the report has it."""
    return "   " + " · ".join([plural(counts.participants(), "participant"), plural(counts.sections(), "section"),
                               plural(counts.themes(), "theme"), plural(counts.quotes(), "quote")])
