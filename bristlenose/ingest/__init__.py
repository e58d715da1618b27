"""Input folder → sessions with stable ids, plus the files that were left out and why."""

from __future__ import annotations

from pathlib import Path

from bristlenose.ingest.discover import Discovery, SessionFiles, discover, nothing_to_analyse
from bristlenose.ingest.errors import IngestError, RegistryError
from bristlenose.ingest.naming import session_key
from bristlenose.ingest.registry import assign_session_ids
from bristlenose.models import SessionSource, SkippedFile

__all__ = [
    "Discovery",
    "IngestError",
    "RegistryError",
    "SessionFiles",
    "assign_session_ids",
    "discover",
    "find_sessions",
    "nothing_to_analyse",
    "session_key",
]


def find_sessions(
    input_dir: Path, output_dir: Path, registry_path: Path
) -> tuple[list[SessionSource], list[SkippedFile]]:
    """Sessions of the input folder in id order (``s1, s2, …``), and the skipped files.

    Raises IngestError when the input folder does not exist, and its subclass RegistryError
    when the persisted ids cannot be trusted.
    """
    found = discover(input_dir, output_dir)
    ids = assign_session_ids([group.key for group in found.groups], registry_path)
    sessions = [
        SessionSource(session_id=ids[group.key], key=group.key, name=group.name,
                      transcript=group.transcript, media=group.media)
        for group in found.groups
    ]
    return sorted(sessions, key=lambda session: int(session.session_id[1:])), found.skipped
