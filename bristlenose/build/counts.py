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

from bristlenose.build.index import Entry, TargetIndex, lookup, payload_counts
from bristlenose.build.layout import Layout
from bristlenose.models import ScreenClusters, SessionQuotes, ThemeGroups, TopicMap, Transcript
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

    index: TargetIndex | None = None

    @_once
    def transcripts(self) -> tuple[int, int]:
        """Sessions whose transcript was read, and whose recording was transcribed, without error."""
        done = [e for e in self._each("transcript", Transcript).values() if e.counts.get("ok")]
        transcribed = sum(1 for e in done if e.counts.get("transcribed"))
        return len(done) - transcribed, transcribed

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

    def report_path(self) -> Path:
        """Where the HTML report is."""
        return self.layout.output_dir / report_filename(self.project)

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
