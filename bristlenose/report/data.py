"""Everything the report is rendered from, gathered by the build layer."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from bristlenose.models import (
    ExtractedQuotes,
    Participants,
    ScreenClusters,
    SkippedFile,
    ThemeGroups,
    TopicBoundaries,
    Transcript,
)


class Provenance(BaseModel):
    """Which provider and model analysed a session."""

    model_config = ConfigDict(frozen=True)

    provider: str
    model: str


class ReportInput(BaseModel):
    """The merged study; rendering is a pure function of this.

    ``input_dir`` and ``output_dir`` place the report relative to the recordings it plays;
    ``provenance`` is per session (its quotes), ``stage_provenance`` per cross-session stage
    (``clusters``, ``themes``).
    """

    project: str
    input_dir: Path
    output_dir: Path
    generated_at: datetime
    transcripts: list[Transcript]
    skipped: list[SkippedFile] = []
    participants: Participants
    topics: TopicBoundaries
    quotes: ExtractedQuotes
    clusters: ScreenClusters
    themes: ThemeGroups
    provenance: dict[str, Provenance] = {}
    stage_provenance: dict[str, Provenance] = {}
    names: dict[str, dict[str, str]] = {}
    """Session id → speaker label → the name the researcher gave in the people file."""
    codes_only: bool = False
    """An anonymous report: speakers are shown by their codes only, with no name or label."""
