"""Content digests of big input files, remembered by (size, mtime) so no-op runs stay fast.

doit compares a file dependency's mtime first and hashes its content only when the mtime
changed; but it saves the new mtime only when the task runs again. A recording that was
touched, copied with new times, or synced by a cloud client would therefore be re-read
in full on *every* later ``doit`` — gigabytes each time. Here a file's digests are kept in
``.bristlenose/fingerprints.sqlite`` under its path, size and mtime: the content is read
once per change, and every later check is a lookup. Files under :data:`CACHE_MIN_BYTES` are
simply hashed, which is cheaper than the lookup.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from doit.dependency import MD5Checker as DoitMD5Checker

CACHE_MIN_BYTES = 1 << 20
_BLOCK = 1 << 20


@dataclass(frozen=True)
class Digests:
    """Both digests of one file content: MD5 for doit's state, SHA-256 for ``_meta``."""

    md5: str
    sha256: str


class FingerprintCache:
    """Digests by (path, size, mtime_ns), in a small SQLite file shared by the run's threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def digests(self, path: Path) -> Digests:
        """The file's digests, read from disk only if its size or mtime is new."""
        info = os.stat(path)
        if info.st_size < CACHE_MIN_BYTES:
            return _hash(path)
        key = (str(path.resolve()), info.st_size, info.st_mtime_ns)
        with self._lock:
            row = self._connect().execute(
                "SELECT md5, sha256 FROM fingerprints WHERE path = ? AND size = ? AND mtime_ns = ?", key).fetchone()
        if row is not None:
            return Digests(*row)
        found = _hash(path)
        with self._lock:
            db = self._connect()
            db.execute("INSERT OR REPLACE INTO fingerprints VALUES (?, ?, ?, ?, ?)", (*key, found.md5, found.sha256))
            db.commit()
        return found

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False)
            self._db.execute("CREATE TABLE IF NOT EXISTS fingerprints (path TEXT PRIMARY KEY, size INTEGER, "
                             "mtime_ns INTEGER, md5 TEXT, sha256 TEXT)")
        return self._db


_cache: FingerprintCache | None = None


def use_cache(path: Path) -> None:
    """Keep this process's fingerprints in ``path`` (the study's state folder)."""
    global _cache
    _cache = FingerprintCache(path)


def digests(path: Path) -> Digests:
    """A file's digests, through the cache when one is in use."""
    return _cache.digests(path) if _cache is not None else _hash(path)


def _hash(path: Path) -> Digests:
    md5, sha256 = hashlib.md5(usedforsecurity=False), hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            md5.update(block)
            sha256.update(block)
    return Digests(md5.hexdigest(), sha256.hexdigest())


class MD5Checker(DoitMD5Checker):
    """doit's MD5 file checker with digests from the fingerprint cache.

    It keeps doit's class name on purpose: doit forgets every task's state when the
    checker's name changes, and the stored state (mtime, size, MD5) is the same as doit's.
    """

    def check_modified(self, file_path: str, file_stat: os.stat_result, state: Any) -> bool:
        timestamp, size, file_md5 = state
        if file_stat.st_mtime == timestamp:
            return False
        if file_stat.st_size != size:
            return True
        return bool(file_md5 != digests(Path(file_path)).md5)

    def get_state(self, dep: str, current_state: Any) -> tuple[float, int, str] | None:
        timestamp = os.path.getmtime(dep)
        if current_state and current_state[0] == timestamp:
            return None
        return timestamp, os.path.getsize(dep), digests(Path(dep)).md5
