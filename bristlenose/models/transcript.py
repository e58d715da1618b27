"""A session's transcript: who spoke, what they said, and when."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict, Field


class Role(str, Enum):
    """Who a speaker is in the session; only participants are quoted."""

    MODERATOR = "moderator"
    PARTICIPANT = "participant"
    OBSERVER = "observer"

    @property
    def prefix(self) -> str:
        """Letter of the speaker codes of this role (``m1``, ``p1``, ``o1``)."""
        return self.value[0]


class Speaker(BaseModel):
    """A person in one session.

    ``code`` is local to the session (``m1``, ``p1``, ``p2``, ``o1``); study-wide participant
    numbers are assigned later, in the ``participants`` merge, so that per-session work
    never depends on other sessions.
    """

    model_config = ConfigDict(extra="forbid")

    code: str
    label: str = Field(description="The name or label the source file gives this speaker.")
    role: Role
    name: str | None = Field(default=None, description="The person's name where the speaker-role pass found "
                             "it in what was said and the label is not a name (``Speaker B``).")


class Word(BaseModel):
    """One recognised word with its timing: kept so playback and quotes can be word-exact."""

    model_config = ConfigDict(extra="forbid")

    start: float = Field(ge=0)
    end: float = Field(ge=0)
    text: str = Field(description="The word as Whisper wrote it, with its leading space and punctuation.")
    probability: float = Field(ge=0, le=1)


class Segment(BaseModel):
    """One speaker turn (or caption cue) with its own speaker and timecode."""

    model_config = ConfigDict(extra="forbid")

    index: int = Field(ge=0)
    start: float = Field(ge=0, description="Seconds from the start of the session.")
    end: float | None = Field(default=None, ge=0)
    speaker: str = Field(description="Session-local speaker code.")
    text: str
    words: list[Word] = Field(default=[], description="Word timings of a transcribed recording; empty for files.")


class SourceFile(BaseModel):
    """An input file of a session, relative to the input folder."""

    model_config = ConfigDict(extra="forbid")

    path: str
    kind: str = Field(description="'transcript' or 'media'.")


VOICE_LABELS = ("Speaker A", "Speaker B", "Speaker C", "Speaker D")
"""Labels of the voices diarisation tells apart, by first speech (here, so code that reads
labels need not import the numpy-based diariser)."""


class Diarisation(BaseModel):
    """How the speakers of a transcribed recording were told apart, and how surely."""

    model_config = ConfigDict(extra="forbid")

    method: str = Field(description="'voice/N' for voice diarisation.")
    speakers: int = Field(ge=0, description="Voices found.")
    confidence: float = Field(ge=0, le=1, description="Share of speech time attributed to a voice with a clear "
                              "margin over the next best.")
    silhouette: float = Field(default=0.0, description="How well the voices separate (-1 to 1; 0 for one voice).")


class Transcript(BaseModel):
    """Output of ``transcript:sN``.

    A source that cannot be read is a *named outcome*, not a crash: ``error`` says what is
    wrong with which file, and the session contributes nothing downstream until the file
    changes.
    """

    model_config = ConfigDict(extra="forbid")

    session_id: str
    name: str
    sources: list[SourceFile]
    speakers: list[Speaker] = []
    segments: list[Segment] = []
    error: str | None = None
    note: str | None = Field(default=None, description="An outcome worth knowing that is not an error, e.g. "
                             "'no speech found in x.wav'.")
    diarisation: Diarisation | None = Field(default=None, description="For a transcribed recording: how its "
                                            "speakers were told apart.")

    @property
    def duration(self) -> float:
        """Seconds from the start to the end of the last segment."""
        if not self.segments:
            return 0.0
        last = self.segments[-1]
        return last.end if last.end is not None else last.start

    def speaker(self, code: str) -> Speaker | None:
        """The speaker with this session-local code, if any."""
        return next((s for s in self.speakers if s.code == code), None)

    def role_of(self, code: str) -> Role | None:
        """Role of the speaker with this code, if known."""
        found = self.speaker(code)
        return found.role if found else None
