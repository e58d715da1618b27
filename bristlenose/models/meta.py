"""Provenance record stored with every target under the ``_meta`` key."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

SCHEMA_VERSION = 1


class OutputMeta(BaseModel):
    """Who made a target, from what, and with which logic.

    ``logic_version`` and ``input_hash`` decide staleness; ``provider`` and ``model`` are
    provenance only (unless the user turns on ``rerun_on_model_change``), so a study can be
    finished on a different provider without paying again for finished sessions. Usage and
    the estimated cost (by the named price table) say what making the target cost; ``cached``
    counts answers served free from the answer journal (not in ``calls`` or ``cost_usd``), and
    ``dropped_unverified`` how much of the answer failed the verbatim check.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: int = SCHEMA_VERSION
    stage: str
    session_id: str | None = None
    logic_version: str
    input_hash: str
    provider: str
    model: str
    completed_at: datetime
    calls: int = 0
    cached: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    price_table: str | None = None
    dropped_unverified: int = 0
    """Proposals the stage dropped because they were not verbatim (quotes)."""
    shaping: str | None = None
    """Digest of the settings that shaped the target beyond its logic (a recording's Whisper
    options), so a target whose record was lost is adopted only while they are unchanged."""
