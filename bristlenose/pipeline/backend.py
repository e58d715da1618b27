"""A doit dependency backend that survives SIGTERM and SIGKILL.

doit's own backends keep state in memory and write it once, at the end of a run, so a run
killed from outside loses the bookkeeping of every task it finished. This one keeps one row
per task in SQLite (WAL) and commits as soon as a task's record is complete: doit's
``save_success`` ends every success with the ``deps:`` key, so a task counts as done in the
database exactly when its whole record is there. Removals commit at once and leave a
tombstone (when the task was forgotten), so the up-to-date check can tell a target that was
never recorded (killed between its rename and the commit: adopted) from one the user forgot
with ``doit forget`` (redone). ``forget --all`` leaves one tombstone for every task.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

# doit writes this key last when it saves a successful task, and ``ignore:`` on `doit ignore`.
_RECORD_COMPLETE_KEYS = frozenset({"deps:", "ignore:"})
ALL_TASKS = "*"
"""Tombstone name of ``doit forget --all``."""


class DurableSqliteDB:
    """doit ``BACKEND`` plugin: same interface as doit's ``SqliteDB``, durable per task."""

    desc = "bristlenose: SQLite, committed after every task (survives SIGTERM/SIGKILL)"

    def __init__(self, name: str, codec: Any, *, module_name: str | None = None) -> None:
        self.name = name
        self.codec = codec
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(name, check_same_thread=False, isolation_level=None)
        try:
            self._conn.execute("pragma journal_mode=wal")
            self._conn.execute("pragma synchronous=normal")
            self._conn.execute("create table if not exists doit (task_id text primary key, task_data text not null)")
            self._conn.execute("create table if not exists forgotten (task_id text primary key, at real not null)")
            rows = self._conn.execute("select task_id, task_data from doit").fetchall()
            tombstones = self._conn.execute("select task_id, at from forgotten").fetchall()
        except sqlite3.DatabaseError as exc:
            from doit.dependency import DatabaseException

            raise DatabaseException(
                f"the dependency state {name!r} is damaged ({exc}); delete it to start afresh"
                " (finished targets stay on disk, but their tasks will run again)"
            ) from exc
        self._raw: dict[str, str] = dict(rows)
        """Rows as stored, decoded on first use (``doit list`` reads none of them)."""
        self._cache: dict[str, dict[str, Any]] = {}
        self._dirty: set[str] = set()
        self._forgotten: dict[str, float] = dict(tombstones)
        self._changed = False

    def get(self, task_id: str, dependency: str) -> Any:
        """Value stored for ``task_id``'s ``dependency``, or None."""
        with self._lock:
            return (self._decoded(task_id) or {}).get(dependency)

    def set(self, task_id: str, dependency: str, value: Any) -> None:
        """Store a value; the task's row is committed once its record is complete."""
        with self._lock:
            record = self._decoded(task_id)
            if record is None:
                record = self._cache[task_id] = {}
            record[dependency] = value
            self._dirty.add(task_id)
            if dependency in _RECORD_COMPLETE_KEYS:
                self._write(task_id)

    def in_(self, task_id: str) -> bool:
        """Whether anything is stored for ``task_id``."""
        with self._lock:
            return task_id in self._cache or task_id in self._raw

    def remove(self, task_id: str) -> None:
        """Forget a task (``doit forget``), durably."""
        with self._lock:
            self._changing()
            self._cache.pop(task_id, None)
            self._raw.pop(task_id, None)
            self._dirty.discard(task_id)
            self._conn.execute("delete from doit where task_id=?", (task_id,))
            self._tombstone(task_id)

    def remove_all(self) -> None:
        """Forget every task, durably."""
        with self._lock:
            self._changing()
            self._cache.clear()
            self._raw.clear()
            self._dirty.clear()
            self._conn.execute("delete from doit")
            self._tombstone(ALL_TASKS)

    def forgotten_at(self, task_id: str) -> float | None:
        """When ``task_id`` (or every task) was last forgotten, as a Unix time; None if never."""
        with self._lock:
            times = [t for t in (self._forgotten.get(task_id), self._forgotten.get(ALL_TASKS)) if t is not None]
        return max(times) if times else None

    def _changing(self) -> None:
        """Before the first change of this process: a recorded no-op no longer describes the state."""
        if not self._changed:
            from bristlenose.pipeline import shortcut

            shortcut.forget(Path(self.name).parent)
            self._changed = True

    def _tombstone(self, task_id: str) -> None:
        now = time.time()
        self._forgotten[task_id] = now
        self._conn.execute("insert or replace into forgotten (task_id, at) values (?, ?)", (task_id, now))

    def dump(self) -> None:
        """End of run (or Ctrl+C): commit what is left and close."""
        with self._lock:
            for task_id in sorted(self._dirty):
                self._write(task_id)
            self._conn.close()

    def _decoded(self, task_id: str) -> dict[str, Any] | None:
        """The task's values, decoded on first use; None for a task with no record (caller holds the lock)."""
        record = self._cache.get(task_id)
        if record is None and task_id in self._raw:
            record = self._cache[task_id] = self.codec.decode(self._raw.pop(task_id))
        return record

    def _write(self, task_id: str) -> None:
        self._changing()
        self._dirty.discard(task_id)
        self._conn.execute(
            "insert or replace into doit (task_id, task_data) values (?, ?)",
            (task_id, self.codec.encode(self._cache[task_id])),
        )
