"""What PII redaction removed from a session: the researcher's audit record.

Holds the original values, so it is written only under ``.bristlenose/`` with mode 0600 and
never reaches a provider or the report.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Redaction(BaseModel):
    """One value replaced by a placeholder."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="NAME, EMAIL, PHONE, ADDRESS, CARD, IBAN, DATE_OF_BIRTH, …")
    original: str
    placeholder: str
    where: str = Field(description="'segment', 'speaker' (a speaker's label), 'session' (the session's name) or "
                       "'source' (a file name).")
    segment: int | None = Field(default=None, description="Index of the segment, for 'segment'.")
    speaker: str | None = Field(default=None, description="Speaker code, for 'speaker'.")
    start: int = Field(ge=0, description="Character offset of the value in the original text.")
    end: int = Field(ge=0)
    time_start: float | None = Field(default=None, description="Seconds: start of the first word of the value, "
                                     "when the segment has word timings.")
    time_end: float | None = None


class Redactions(BaseModel):
    """Every redaction of one session (empty when redaction is off)."""

    model_config = ConfigDict(extra="forbid")

    session_id: str
    enabled: bool
    items: list[Redaction] = []
