"""Numbers about the study, read from the targets on disk (never from what a run intended)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from bristlenose.build.layout import Layout
from bristlenose.build.targets import TargetError, read_payload
from bristlenose.models import Redactions, Role, ScreenClusters, SessionQuotes, ThemeGroups, TopicMap, Transcript
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
    memo: dict[str, Any] = field(default_factory=dict)

    @_once
    def _transcript_outcomes(self) -> list[tuple[str, str | None, bool]]:
        """(session id, error, transcribed from a recording) of each transcript target: read once."""
        return [(t.session_id, t.error, not any(s.kind == "transcript" for s in t.sources))
                for t in self._each("transcript", Transcript)]

    def transcripts(self) -> tuple[int, int]:
        """Sessions whose transcript was read, and whose recording was transcribed, without error."""
        done = [transcribed for _, error, transcribed in self._transcript_outcomes() if not error]
        return len(done) - sum(done), sum(done)

    def unreadable(self) -> list[str]:
        """``s3: empty.vtt: the file is empty`` for each session whose source could not be read."""
        return [f"{sid}: {error}" for sid, error, _ in self._transcript_outcomes() if error]

    @_once
    def participants(self) -> int:
        """Participants across sessions, after the speaker-role pass."""
        return sum(1 for t in self._each("speakers", Transcript) for s in t.speakers if s.role is Role.PARTICIPANT)

    @_once
    def topic_boundaries(self) -> int:
        """Topic boundaries across sessions."""
        return sum(len(m.boundaries) for m in self._each("topics", TopicMap))

    @_once
    def quotes(self) -> int:
        """Quotes across sessions."""
        return sum(len(q.quotes) for q in self._each("quotes", SessionQuotes))

    @_once
    def sections(self) -> int:
        """Sections (screen clusters) of the report."""
        clusters = self._read(self.layout.intermediate("screen_clusters"), ScreenClusters)
        return len(clusters.clusters) if clusters else 0

    @_once
    def themes(self) -> int:
        """Themes of the report."""
        groups = self._read(self.layout.intermediate("theme_groups"), ThemeGroups)
        return len(groups.themes) if groups else 0

    @_once
    def sections_note(self) -> str:
        """Why the report has no sections, when it has none."""
        clusters = self._read(self.layout.intermediate("screen_clusters"), ScreenClusters)
        return clusters.note if clusters and not clusters.clusters else ""

    @_once
    def themes_note(self) -> str:
        """Why the report has no themes, when it has none."""
        groups = self._read(self.layout.intermediate("theme_groups"), ThemeGroups)
        return groups.note if groups and not groups.themes else ""

    def report_path(self) -> Path:
        """Where the HTML report is."""
        return self.layout.output_dir / report_filename(self.project)

    @_once
    def redactions_line(self) -> str:
        """How many values redaction replaced, from the audit records (which it never prints);
        empty when redaction is off, so the progress shows no line for it."""
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

    def _each(self, stage: str, model: type[M]) -> list[M]:
        found = (self._read(self.layout.session_target(stage, sid), model) for sid in self.session_ids())
        return [payload for payload in found if payload is not None]

    @staticmethod
    def _read(path: Path, model: type[M]) -> M | None:
        try:
            return read_payload(path, model)
        except TargetError:
            return None
