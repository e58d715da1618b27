"""Study-wide records: discovered sessions, participant numbering and merged stage outputs."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bristlenose.models.analysis import Quote, TopicMap
from bristlenose.models.transcript import SourceFile


class SessionSource(BaseModel):
    """A session found in the input folder: its stable id and its files."""

    model_config = ConfigDict(extra="forbid")

    session_id: str
    key: str = Field(description="Normalised file stem that groups the session's files.")
    name: str = Field(description="Readable session name (the stem without download suffixes).")
    transcript: str | None = Field(default=None, description="Transcript file, relative to the input folder.")
    media: list[str] = []

    @property
    def sources(self) -> list[SourceFile]:
        """All input files of the session."""
        found = [SourceFile(path=self.transcript, kind="transcript")] if self.transcript else []
        return found + [SourceFile(path=path, kind="media") for path in self.media]


class SkippedFile(BaseModel):
    """A file in the input folder that is not analysed, and why."""

    model_config = ConfigDict(extra="forbid")

    path: str
    reason: str
    note: bool = False
    """A document the researcher keeps beside the interviews (README, PDF, spreadsheet): listed
    once for the researcher, never in the stakeholder report."""


class ParticipantEntry(BaseModel):
    """Maps a session-local speaker code to its study-wide code."""

    model_config = ConfigDict(extra="forbid")

    session_id: str
    local_code: str
    code: str
    label: str
    role: str


class Participants(BaseModel):
    """Output of ``participants``: study-wide speaker codes, stable once assigned."""

    model_config = ConfigDict(extra="forbid")

    entries: list[ParticipantEntry] = []

    def code_for(self, session_id: str, local_code: str) -> str:
        """Study-wide code of a session's speaker (the local code if unmapped)."""
        for entry in self.entries:
            if entry.session_id == session_id and entry.local_code == local_code:
                return entry.code
        return local_code


class TopicBoundaries(BaseModel):
    """Output of ``topic_boundaries``: every session's topic map, by session id."""

    model_config = ConfigDict(extra="forbid")

    sessions: list[TopicMap] = []


class ExtractedQuotes(BaseModel):
    """Output of ``extracted_quotes``: every session's quotes with study-wide speaker codes."""

    model_config = ConfigDict(extra="forbid")

    quotes: list[Quote] = []
    dropped_unverified: int = 0
