"""What each landed target holds, recorded when it lands, so reading state costs nothing.

The progress lines, ``doit status`` and the manifest used to parse every target of the
study to count quotes or read a ``_meta``: 70 % of a no-op run over 1,000 sessions. Here
each target's ``_meta``, a few counts of its payload and its (size, mtime_ns) go into
``.bristlenose/index.sqlite`` right after the target's atomic rename (in the same place the
manifest is told). A row is believed only while the file still has that size and mtime, so
the index can never claim more than is on disk: a target written but not yet indexed (a
kill between the two), edited or deleted is read from the file itself, as before.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bristlenose.models import OutputMeta, Role, ScreenClusters, SessionQuotes, ThemeGroups, TopicMap, Transcript

INDEX_NAME = "index.sqlite"
CROSS = ""  # the session column of a cross-session stage


def counts_of(payload: BaseModel) -> dict[str, int]:
    """The numbers the progress lines show of one target, taken while it is in memory."""
    if isinstance(payload, Transcript):
        transcribed = not any(s.kind == "transcript" for s in payload.sources)
        return {"ok": int(not payload.error), "transcribed": int(transcribed),
                "participants": sum(1 for s in payload.speakers if s.role is Role.PARTICIPANT)}
    if isinstance(payload, TopicMap):
        return {"boundaries": len(payload.boundaries)}
    if isinstance(payload, SessionQuotes):
        return {"quotes": len(payload.quotes)}
    if isinstance(payload, ScreenClusters):
        return {"sections": len(payload.clusters)}
    if isinstance(payload, ThemeGroups):
        return {"themes": len(payload.themes)}
    return {}


@dataclass(frozen=True)
class Entry:
    """One indexed target: its provenance and counts, valid while the file has ``signature``."""

    signature: tuple[int, int]
    meta_json: str
    counts: dict[str, int]

    @property
    def meta(self) -> OutputMeta:
        """The target's ``_meta`` (parsed on demand: the progress lines need only the counts)."""
        return OutputMeta.model_validate_json(self.meta_json)


def signature_of(path: Path) -> tuple[int, int] | None:
    """(size, mtime_ns) of a file, or None when it is missing."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


class TargetIndex:
    """``index.sqlite``: one row per (stage, session) target; committed per row (WAL)."""

    def __init__(self, state_dir: Path, *, read_only: bool = False) -> None:
        self.path = state_dir / INDEX_NAME
        self.read_only = read_only
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None:
            if self.read_only:
                if not self.path.exists():
                    return None
                self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
                self._db.execute("pragma journal_mode=wal")
                self._db.execute("pragma synchronous=normal")
                self._db.execute("create table if not exists targets (stage text not null, session text not null, "
                                 "size integer, mtime_ns integer, meta text, counts text, "
                                 "primary key (stage, session))")
        return self._db

    def landed(self, stage: str, session_id: str | None, target: Path, meta: OutputMeta,
               counts: dict[str, int]) -> None:
        """Record a target that is on disk now (call after its rename, never before)."""
        found = signature_of(target)
        if found is None or self.read_only:
            return
        with self._lock:
            db = self._connect()
            assert db is not None
            db.execute("insert or replace into targets values (?, ?, ?, ?, ?, ?)",
                       (stage, session_id or CROSS, found[0], found[1], meta.model_dump_json(), json.dumps(counts)))

    def entries(self, stage: str) -> dict[str, tuple[tuple[int, int], str, str]]:
        """Raw rows of one stage by session (one query; validated by :meth:`fresh`)."""
        with self._lock:
            try:
                db = self._connect()
                rows = db.execute("select session, size, mtime_ns, meta, counts from targets where stage = ?",
                                  (stage,)).fetchall() if db is not None else []
            except sqlite3.DatabaseError:
                rows = []
        return {session: ((size, mtime), meta, counts) for session, size, mtime, meta, counts in rows}

    def fresh(self, stage: str, targets: Iterable[tuple[str | None, Path]]) -> dict[str | None, Entry]:
        """Entries whose target file still has the recorded size and mtime; others are left out."""
        rows = self.entries(stage)
        found: dict[str | None, Entry] = {}
        for session_id, path in targets:
            row = rows.get(session_id or CROSS)
            if row is None or signature_of(path) != row[0]:
                continue
            found[session_id] = Entry(row[0], row[1], json.loads(row[2]))
        return found

    def close(self) -> None:
        """Close the connection (the data is already committed)."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def entry_from_target(path: Path, model: type[BaseModel]) -> Entry | None:
    """An entry read from the target itself: for targets the index does not know (yet)."""
    from bristlenose.pipeline.targets import TargetError, read_target

    before = signature_of(path)
    try:
        meta, payload = read_target(path, model)
    except TargetError:
        return None
    return Entry(before, meta.model_dump_json(), counts_of(payload)) if before is not None else None


def lookup(index: TargetIndex, stage: str, model: type[BaseModel],
           targets: list[tuple[str | None, Path]], adopt: bool = False) -> dict[str | None, Entry]:
    """Every valid target among ``targets``: from the index, else from the file (recorded back
    when ``adopt``, so the next read is free)."""
    found = index.fresh(stage, targets)
    for session_id, path in targets:
        if session_id in found:
            continue
        entry = entry_from_target(path, model)
        if entry is None:
            continue
        found[session_id] = entry
        if adopt:
            index.landed(stage, session_id, path, entry.meta, entry.counts)
    return found


def payload_counts(stage_counts: dict[Any, Entry], key: str) -> int:
    """The sum of one count over entries."""
    return sum(entry.counts.get(key, 0) for entry in stage_counts.values())
