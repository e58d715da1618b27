"""Atomic file writes: a target is either absent, the old version, or the complete new one.

doit has no delete-on-error, so a half-written target would look valid; every target is
written to a temporary file in the same folder, fsynced, then renamed over the old one.

The temporary file is created private (0600), which is right for state that holds transcript
text; outputs meant to be shared (the report, its CSV and pages) are given
:data:`SHARED_MODE` — what the user's umask gives any new file, 0644 by default.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _umask() -> int:
    """The process's umask. Read once at import, in the main thread, before doit starts worker
    threads: reading it means setting it, and a file created meanwhile would get the wrong mode."""
    current = os.umask(0o077)
    os.umask(current)
    return current


SHARED_MODE = 0o666 & ~_umask()
"""Mode of files meant to be read by others: as ``open()`` would create them."""


def write_bytes_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` in one step, surviving a crash at any point."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def write_text_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """:func:`write_bytes_atomic` for UTF-8 text."""
    write_bytes_atomic(path, text.encode("utf-8"), mode)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
