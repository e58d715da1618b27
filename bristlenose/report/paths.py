"""Relative paths of the report's outputs, shared by links and by the output mapping."""

from __future__ import annotations

import re

MARKDOWN_PATH = "report.md"
CSV_PATH = "quotes.csv"
SESSIONS_DIR = "sessions"

_SAFE_SESSION_ID = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9_-]*\Z")


def transcript_path(session_id: str) -> str:
    """Path of a session's transcript page; refuses ids that could escape the output folder."""
    if not _SAFE_SESSION_ID.match(session_id):
        raise ValueError(f"session id {session_id!r} is not usable in a file name")
    return f"{SESSIONS_DIR}/transcript_{session_id}.html"


def segment_anchor(segment_index: int) -> str:
    """Fragment id of a transcript segment, stable across renders: ``t-<index>``."""
    return f"t-{segment_index}"
