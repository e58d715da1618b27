"""The answer journal: every raw LLM answer, kept the moment it arrives, keyed by its request.

An answer is paid for when it arrives, not when its target is written, so it is journaled
first — before it is parsed, validated or turned into a target. A later identical request
(same provider, model, prompts, schema and token limit) is answered from here with no call:
a run killed at any instant, a redone merge, or a cross-session prompt that did not change
never buys the same answer twice.

SQLite in WAL mode with ``synchronous=FULL``: a committed answer survives SIGKILL and power
loss, a torn last write is rolled back by SQLite itself. The file holds transcript text, so
it is created mode 0600 (SQLite gives its ``-wal``/``-shm`` files the same mode). It stays
bounded: on open, answers older than ``max_age_days`` go, then the oldest until the file is
under ``max_bytes``; one answer per request key is kept (a newer one replaces it).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

JOURNAL_NAME = "llm-journal.sqlite"
DAY = 86400.0


@dataclass(frozen=True)
class Answer:
    """One journaled answer: the forced tool's arguments and what the call used."""

    arguments: Any
    tokens_in: int
    tokens_out: int
    truncated: bool


def request_key(provider: str, model: str, task: str, system: str, user: str, schema: dict[str, Any],
                max_tokens: int) -> str:
    """sha256 of the whole request: any change to what would be sent is a different key."""
    whole = json.dumps([provider, model, task, system, user, schema, max_tokens], sort_keys=True,
                       ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(whole.encode("utf-8")).hexdigest()


class AnswerJournal:
    """Append-and-look-up store of answers, shared by a run's threads."""

    def __init__(self, path: Path, max_bytes: int, max_age_days: float) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.max_age_days = max_age_days
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        """Opened (and compacted) on first use, so runs without LLM calls never create it."""
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
            os.chmod(self.path, 0o600)
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            conn.execute("pragma auto_vacuum=incremental")
            conn.execute("pragma journal_mode=wal")
            conn.execute("pragma synchronous=full")
            # small columns first: compaction reads them without touching the answers' overflow pages
            conn.execute("create table if not exists answers (key text primary key, at real not null,"
                          " size integer not null, task text not null, tokens_in integer not null,"
                          " tokens_out integer not null, truncated integer not null, arguments text not null)")
            conn.execute("create index if not exists answers_at on answers (at)")
            self._conn = conn
            self._compact(conn)
        return self._conn

    def get(self, key: str) -> Answer | None:
        """The answer journaled for ``key``, if any."""
        with self._lock:
            row = self._db().execute("select arguments, tokens_in, tokens_out, truncated from answers where key=?",
                                     (key,)).fetchone()
        if row is None:
            return None
        return Answer(json.loads(row[0]), row[1], row[2], bool(row[3]))

    def put(self, key: str, task: str, answer: Answer) -> None:
        """Journal an answer durably (fsynced by SQLite's commit) before anyone reads it."""
        text = json.dumps(answer.arguments)
        with self._lock:
            self._db().execute("insert or replace into answers values (?, ?, ?, ?, ?, ?, ?, ?)",
                               (key, time.time(), len(text), task, answer.tokens_in, answer.tokens_out,
                                int(answer.truncated), text))

    def discard(self, keys: list[str]) -> None:
        """Drop answers that were rejected (malformed, failed a quality check): never serve them again."""
        if not keys:
            return
        with self._lock:
            self._db().executemany("delete from answers where key=?", [(k,) for k in keys])

    def _compact(self, conn: sqlite3.Connection) -> None:
        """Drop answers past their age, then the oldest beyond the size cap."""
        dropped = conn.execute("delete from answers where at < ?", (time.time() - self.max_age_days * DAY,)).rowcount
        total = conn.execute("select coalesce(sum(size), 0) from answers").fetchone()[0]
        if total > self.max_bytes:
            excess = total - self.max_bytes
            rows = conn.execute("select key, size from answers order by at").fetchall()
            doomed: list[tuple[str]] = []
            for key, size in rows:
                if excess <= 0:
                    break
                doomed.append((key,))
                excess -= size
            conn.executemany("delete from answers where key=?", doomed)
            dropped += len(doomed)
        if dropped:
            conn.execute("pragma incremental_vacuum")
            conn.execute("pragma wal_checkpoint(truncate)")

    def close(self) -> None:
        """Close the database (the WAL is checkpointed by SQLite)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def journal_size(state_dir: Path) -> tuple[int, int]:
    """(answers, bytes on disk) of a study's journal, read without opening it for writing."""
    path = state_dir / JOURNAL_NAME
    if not path.exists():
        return 0, 0
    size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            count = conn.execute("select count(*) from answers").fetchone()[0]
    except sqlite3.Error:
        count = 0
    return count, size
