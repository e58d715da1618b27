"""Stable session ids: ``s1, s2, …`` assigned once per session key and persisted.

Ids name build targets (``quotes:s3``), so adding, removing or renaming another recording
must never renumber a session. Entries are never deleted: a removed session keeps its id
reserved (and gets it back if its file returns), so a number is never reused.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from bristlenose.ingest.errors import RegistryError

REGISTRY_VERSION = 1
_ID = re.compile(r"s([1-9]\d*)")


def assign_session_ids(keys: list[str], registry_path: Path) -> dict[str, str]:
    """Session id of each key, keeping every id already given and numbering new keys in order."""
    known = _load(registry_path)
    assigned = dict(known)
    next_number = max((_number(sid) for sid in known.values()), default=0) + 1
    for key in sorted(set(keys) - known.keys()):
        assigned[key] = f"s{next_number}"
        next_number += 1
    if assigned != known or not registry_path.exists():
        _write(registry_path, assigned)
    return {key: assigned[key] for key in keys}


def _load(path: Path) -> dict[str, str]:
    """The persisted key → id map; empty when there is none yet."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise RegistryError(f"cannot read the session registry {path}: {error}") from error
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise _corrupt(path, f"not valid JSON: {error}") from error
    sessions = data.get("sessions") if isinstance(data, dict) else None
    if not isinstance(sessions, dict):
        raise _corrupt(path, "no 'sessions' mapping")
    bad = [f"{key!r}: {sid!r}" for key, sid in sessions.items() if not (isinstance(sid, str) and _ID.fullmatch(sid))]
    if bad:
        raise _corrupt(path, f"invalid session ids {', '.join(bad)}")
    if len(set(sessions.values())) != len(sessions):
        raise _corrupt(path, "two sessions share an id")
    return sessions


def _corrupt(path: Path, problem: str) -> RegistryError:
    """The error for a damaged registry, with what the user can do about it."""
    return RegistryError(
        f"session registry {path} is damaged ({problem}); restore it or delete it "
        "(deleting renumbers the sessions and redoes their analysis)"
    )


def _number(session_id: str) -> int:
    """The number in a validated ``sN``."""
    return int(session_id[1:])


def _write(path: Path, sessions: dict[str, str]) -> None:
    """Replace the registry atomically, so a crash leaves the old or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = dict(sorted(sessions.items(), key=lambda item: _number(item[1])))
    text = json.dumps({"version": REGISTRY_VERSION, "sessions": ordered}, indent=2, ensure_ascii=False) + "\n"
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
