"""Where every file of a run lives, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

@dataclass(frozen=True)
class Layout:
    """Paths under an output folder (see DESIGN.md, "Targets")."""

    output_dir: Path

    @cached_property
    def state_dir(self) -> Path:
        """Hidden folder holding everything but the report."""
        return self.output_dir / ".bristlenose"

    @property
    def dep_file(self) -> Path:
        """doit's dependency state (our durable SQLite backend)."""
        return self.state_dir / "doit.sqlite"

    @property
    def fingerprints(self) -> Path:
        """Content digests of big inputs by size and mtime (see ``fingerprint.py``)."""
        return self.state_dir / "fingerprints.sqlite"

    @property
    def registry(self) -> Path:
        """Persisted session-id assignment."""
        return self.state_dir / "sessions.json"

    @property
    def logs_dir(self) -> Path:
        """Logs that may hold transcript text stay here, never in the console."""
        return self.state_dir / "logs"

    def session_target(self, stage: str, session_id: str) -> Path:
        """``sessions/<id>/<stage>.json``."""
        return _joined(self.state_dir, "sessions", session_id, f"{stage}.json")

    def attributed(self, session_id: str) -> Path:
        """The transcript with its final speaker roles (``speakers:sN``), before redaction."""
        return self.session_target("speakers", session_id)

    def redacted(self, session_id: str) -> Path:
        """The attributed transcript with personal data replaced when ``redact_pii`` is on, else
        the same transcript (``redact:sN``): what analysis and the report read."""
        return self.session_target("redact", session_id)

    def redactions(self, session_id: str) -> Path:
        """The audit record of redacted values (mode 0600; never part of the report)."""
        return self.state_dir / "sessions" / session_id / "redactions.json"

    def redacted_recording(self, session_id: str) -> Path:
        """The session's recording with redacted stretches silenced, beside the report it plays in."""
        return self.output_dir / "recordings" / f"{session_id}-redacted.m4a"

    def intermediate(self, name: str) -> Path:
        """``intermediate/<name>.json`` (merges and cross-session stages)."""
        return _joined(self.state_dir, "intermediate", f"{name}.json")


@cache
def _joined(folder: Path, *parts: str) -> Path:
    """A path under ``folder``, made once: task creation asks for each target several times,
    and pathlib joins were a third of a no-op run over 1,000 sessions."""
    return folder.joinpath(*parts)
