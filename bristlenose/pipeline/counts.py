"""Numbers about the study, read from the targets on disk (never from what a run intended).

Counts come from the target index (``index.py``), recorded when each target landed and
believed only while the file is unchanged; a target the index does not know is read
itself once, and recorded, so a no-op run over a large study reads no targets at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from bristlenose.pipeline.index import Entry, TargetIndex, lookup, payload_counts
from bristlenose.pipeline.layout import Layout
from bristlenose.pipeline.targets import TargetError, read_payload
from bristlenose.models import Redactions, ScreenClusters, SessionQuotes, ThemeGroups, TopicMap, Transcript
from bristlenose.report import report_filename


F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M", bound=BaseModel)


def _once(method: F) -> F:
    """Count once per run: a stage's count is asked for only after the stage is over, and a
    large study should not be read again for the summary."""

    @wraps(method)
    def counted(self: StudyCounts) -> Any:
        if method.__name__ not in self.memo:
            self.memo[method.__name__] = method(self)
        return self.memo[method.__name__]

    return counted  # type: ignore[return-value]


@dataclass
class StudyCounts:
    """Counts over the current sessions' targets; a missing or damaged target counts as nothing."""

    layout: Layout
    project: str
    session_ids: Callable[[], list[str]]
    redacting: bool = False
    memo: dict[str, Any] = field(default_factory=dict)

    index: TargetIndex | None = None

    @_once
    def _transcripts(self) -> dict[str | None, Entry]:
        """The transcript targets, looked up once for the read count and the unreadable list."""
        return self._each("transcript", Transcript)

    @_once
    def transcripts(self) -> tuple[int, int]:
        """Sessions whose transcript was read, and whose recording was transcribed, without error."""
        done = [e for e in self._transcripts().values() if e.counts.get("ok")]
        transcribed = sum(1 for e in done if e.counts.get("transcribed"))
        return len(done) - transcribed, transcribed

    @_once
    def unreadable(self) -> list[str]:
        """``s3: empty.vtt: the file is empty`` for each session whose source could not be read
        (only those targets are opened, for their error)."""
        failed = [sid for sid, e in self._transcripts().items() if not e.counts.get("ok")]
        found = ((sid, self._read(self.layout.session_target("transcript", sid), Transcript)) for sid in failed)
        return [f"{sid}: {transcript.error}" for sid, transcript in found if transcript is not None and transcript.error]

    @_once
    def participants(self) -> int:
        """Participants across sessions, after the speaker-role pass."""
        return payload_counts(self._each("speakers", Transcript), "participants")

    @_once
    def topic_boundaries(self) -> int:
        """Topic boundaries across sessions."""
        return payload_counts(self._each("topics", TopicMap), "boundaries")

    @_once
    def quotes(self) -> int:
        """Quotes across sessions."""
        return payload_counts(self._each("quotes", SessionQuotes), "quotes")

    @_once
    def sections(self) -> int:
        """Sections (screen clusters) of the report."""
        return payload_counts(self._cross("clusters", "screen_clusters", ScreenClusters), "sections")

    @_once
    def themes(self) -> int:
        """Themes of the report."""
        return payload_counts(self._cross("themes", "theme_groups", ThemeGroups), "themes")

    @_once
    def sections_note(self) -> str:
        """Why the report has no sections, when it has none (the target is opened only then)."""
        if self.sections():
            return ""
        clusters = self._read(self.layout.intermediate("screen_clusters"), ScreenClusters)
        return clusters.note if clusters and not clusters.clusters else ""

    @_once
    def themes_note(self) -> str:
        """Why the report has no themes, when it has none (the target is opened only then)."""
        if self.themes():
            return ""
        groups = self._read(self.layout.intermediate("theme_groups"), ThemeGroups)
        return groups.note if groups and not groups.themes else ""

    def report_path(self) -> Path:
        """Where the HTML report is."""
        return self.layout.output_dir / report_filename(self.project)

    @_once
    def redactions_line(self) -> str:
        """How many values redaction replaced, from the audit records (which it never prints);
        empty when redaction is off, so the progress shows no line for it (and a study that
        does not redact reads none of them)."""
        if not self.redacting:
            return ""
        records = []
        for sid in self.session_ids():
            try:
                records.append(Redactions.model_validate_json(self.layout.redactions(sid).read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
        if not any(r.enabled for r in records):
            return ""
        return f"Redacted {sum(len(r.items) for r in records)} personal-data items"

    @_once
    def redacted_recordings(self) -> int:
        """Recordings with a redacted copy on disk."""
        return sum(1 for sid in self.session_ids() if self.layout.redacted_recording(sid).exists())

    def _index(self) -> TargetIndex:
        if self.index is None:
            self.index = TargetIndex(self.layout.state_dir)
        return self.index

    def _each(self, stage: str, model: type[M]) -> dict[str | None, Entry]:
        targets: list[tuple[str | None, Path]] = [(sid, self.layout.session_target(stage, sid))
                                                  for sid in self.session_ids()]
        return lookup(self._index(), stage, model, targets, adopt=True)

    def _cross(self, stage: str, name: str, model: type[M]) -> dict[str | None, Entry]:
        return lookup(self._index(), stage, model, [(None, self.layout.intermediate(name))], adopt=True)

    @staticmethod
    def _read(path: Path, model: type[M]) -> M | None:
        try:
            return read_payload(path, model)
        except TargetError:
            return None
