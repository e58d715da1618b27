"""What speech recognition hears in a recording, before anyone is told apart.

Whisper gives one undivided stream of timed text; the voice-activity detector gives the
stretches of speech between silences. Splitting that into speaker turns is analysis
(``analysis/turns.py``), so it stays a pure function over this model.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bristlenose.models.transcript import Word


class RecognisedSegment(BaseModel):
    """A stretch of text Whisper decoded in one window, with its words."""

    model_config = ConfigDict(extra="forbid")

    start: float = Field(ge=0)
    end: float = Field(ge=0)
    text: str
    words: list[Word] = []


class SpeechSpan(BaseModel):
    """Seconds of continuous speech: silences longer than the turn pause separate spans."""

    model_config = ConfigDict(extra="forbid")

    start: float = Field(ge=0)
    end: float = Field(ge=0)


class Recognition(BaseModel):
    """A recording's speech: the decoded text and where the silences are."""

    model_config = ConfigDict(extra="forbid")

    recording: str = Field(description="The recording, relative to the input folder.")
    duration: float = Field(ge=0, description="Seconds of audio decoded.")
    segments: list[RecognisedSegment] = []
    speech: list[SpeechSpan] = []
    warning: str | None = Field(default=None, description="Something wrong with the file that still left audio "
                                "to transcribe, e.g. a truncated download.")
