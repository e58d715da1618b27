"""One run per output folder at a time, and a record of how every run ended.

``RunLock`` holds ``.bristlenose/run.lock`` with ``flock``: the kernel drops the lock when the
holding process dies, even on SIGKILL, so there is no stale-lock guessing. The lock file is
never deleted or replaced (a new inode would let a second run lock it while the first still
holds the old one); its content — who holds it — is informational only.

``RunLifecycle`` appends one JSON line per event to ``.bristlenose/pipeline-events.jsonl``
(``started``, then ``completed`` | ``cancelled`` | ``failed``). A run whose ``started`` has no
end event when the next run gets the lock was killed (SIGKILL, power loss): the next run
records it as ``failed`` with cause ``stranded``. Events carry categories, never transcript text.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import fcntl
import json
import os
import socket
import sys
import threading
import uuid
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

LOCK_NAME = "run.lock"
EVENTS_NAME = "pipeline-events.jsonl"

# A run writes two lines of ~200 bytes, so 1 MiB is thousands of runs of history; past it the
# file is renamed to ``.1`` (replacing the older one) so the log of a folder that is re-run for
# years, or synced to a shared drive, stays small while the recent past stays readable.
EVENTS_MAX_BYTES = 1024 * 1024
# Details are short categories or task names; cap them so nothing long (a transcript) slips in.
DETAIL_MAX_CHARS = 300

OUTCOMES = ("completed", "cancelled", "failed")
CAUSES = frozenset({"interrupted", "task_failed", "credit", "invalid_key", "stranded", "error"})

EXIT_DONE = 0  # every task finished
EXIT_FAILED = 1  # the run failed, was cancelled, or some tasks failed (finished work is kept)
EXIT_REFUSED = 2  # refused before starting: another run holds the output folder
_EXIT_CODES = {"completed": EXIT_DONE, "failed": EXIT_FAILED, "cancelled": EXIT_FAILED, "refused": EXIT_REFUSED}

# argv words ``name=value`` whose name contains one of these are stored as ``name=***``.
_SECRET_WORDS = ("key", "token", "secret", "password")


def exit_code(outcome: str) -> int:
    """Process exit status for an outcome: 0 completed; 1 failed, cancelled or partly failed;
    2 ``"refused"`` (another run holds the folder, nothing was touched)."""
    try:
        return _EXIT_CODES[outcome]
    except KeyError:
        raise ValueError(f"unknown outcome {outcome!r} (known: {', '.join(_EXIT_CODES)})") from None


def cause_of(exc: BaseException | None) -> str:
    """The cause category of the exception that ended a run (``None``: some task failed)."""
    if exc is None:
        return "task_failed"
    if isinstance(exc, KeyboardInterrupt):  # Ctrl+C, and SIGTERM via build.signals
        return "interrupted"
    from bristlenose.llm.errors import BudgetExceeded, CreditExhausted, InvalidKey

    if isinstance(exc, (CreditExhausted, BudgetExceeded)):
        return "credit"
    if isinstance(exc, InvalidKey):
        return "invalid_key"
    return "error"


class RunRefused(RuntimeError):
    """Another run holds the output folder; nothing was changed."""

    def __init__(self, holder: dict[str, Any] | None) -> None:
        self.holder = holder or {}
        super().__init__(
            f"another bristlenose run ({_describe(self.holder)}) is using this output folder; wait for it or stop it"
        )


class RunLock:
    """An exclusive, non-blocking ``flock`` on one file, released by the kernel if we die."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None

    def acquire(self, argv: Sequence[str]) -> dict[str, Any]:
        """Take the lock and write who holds it; :class:`RunRefused` (changing nothing) if taken."""
        if self._fd is not None:
            raise RuntimeError("RunLock.acquire called twice")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _read_holder(fd)
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise RunRefused(holder) from None
            raise
        holder = {"pid": os.getpid(), "started_at": _now(), "host": socket.gethostname(), "argv": _redact(argv)}
        data = json.dumps(holder).encode("utf-8")
        try:
            os.fchmod(fd, 0o600)
            os.pwrite(fd, data, 0)  # in place: replacing the file would break the lock
            os.ftruncate(fd, len(data))
            os.fsync(fd)
        except BaseException:
            os.close(fd)  # closing releases the lock
            raise
        self._fd = fd
        return holder

    def release(self) -> None:
        """Clear the holder record and drop the lock; a no-op when not held."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
        finally:
            os.close(fd)  # releases the flock

    def holder(self) -> dict[str, Any] | None:
        """Who holds (or last held) the lock, as far as its file says."""
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return None
        try:
            return _read_holder(fd)
        finally:
            os.close(fd)


class RunLifecycle:
    """Start and end of one run in one output folder's state directory.

    ``start`` takes the lock (or raises :class:`RunRefused`), records a killed predecessor as
    stranded, and writes ``started``; ``finish`` writes the end event and releases the lock. An
    ``atexit`` fallback records ``failed``/``error`` if the process exits without ``finish``.
    Also a context manager: ``with RunLifecycle(d) as run: ...`` ends by the exception, if any.
    """

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = Path(state_dir)
        self.lock = RunLock(self.state_dir / LOCK_NAME)
        self.events_path = self.state_dir / EVENTS_NAME
        self.run_id: str | None = None
        self._pid: int | None = None
        self._guard = threading.Lock()

    @property
    def running(self) -> bool:
        """Started in this process and not finished yet."""
        return self.run_id is not None and self._pid == os.getpid() and self.lock.held

    def start(self, argv: Sequence[str] | None = None) -> str:
        """Take the folder, record a stranded predecessor, write ``started``; returns the run id."""
        with self._guard:
            if self.running:
                raise RuntimeError(f"run {self.run_id} already started")
            self.lock.acquire(sys.argv if argv is None else argv)
            try:
                self._record_stranded()
                run_id = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
                self._append({"event": "started", "run_id": run_id, "cause": None, "pid": os.getpid()})
            except BaseException:
                self.lock.release()
                raise
            self.run_id, self._pid = run_id, os.getpid()
            atexit.register(self._at_exit)
            return run_id

    def finish(self, outcome: str, cause: str | None = None, detail: str | None = None) -> None:
        """Write the end event and release the lock. Idempotent: only the first call after
        ``start`` (in the process that started) does anything, so it is safe in finally/atexit."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r} (known: {', '.join(OUTCOMES)})")
        if cause is not None and cause not in CAUSES:
            raise ValueError(f"unknown cause {cause!r} (known: {', '.join(sorted(CAUSES))})")
        with self._guard:
            if not self.running:
                return
            record: dict[str, Any] = {"event": outcome, "run_id": self.run_id, "cause": cause, "pid": os.getpid()}
            if detail:
                record["detail"] = detail[:DETAIL_MAX_CHARS]
            try:
                self._append(record)
            finally:
                self.lock.release()
                atexit.unregister(self._at_exit)

    def __enter__(self) -> RunLifecycle:
        if not self.running:
            self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc is None:
            self.finish("completed")
        elif isinstance(exc, KeyboardInterrupt):
            self.finish("cancelled", "interrupted")
        else:
            self.finish("failed", cause_of(exc), type(exc).__name__)

    def last_events(self) -> list[dict[str, Any]]:
        """Events of the current log file (not the rotated one), oldest first; bad lines skipped."""
        try:
            text = self.events_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return []
        events = []
        for line in text.splitlines():
            with contextlib.suppress(ValueError):
                event = json.loads(line)
                if isinstance(event, dict):
                    events.append(event)
        return events

    def _at_exit(self) -> None:
        self.finish("failed", "error", "process exited without recording an outcome")

    def _record_stranded(self) -> None:
        """We hold the lock, so a last run with ``started`` and no end event is dead."""
        events = self.last_events()
        if not events or events[-1].get("event") != "started" or not events[-1].get("run_id"):
            return  # rotation happens before an append, so a run's ``started`` is never in ``.1`` alone
        last = events[-1]
        self._append({"event": "failed", "run_id": last["run_id"], "cause": "stranded", "pid": last.get("pid"),
                      "detail": "no end event and its process is gone (killed, crashed or the machine stopped)"})

    def _append(self, record: dict[str, Any]) -> None:
        """Append one event line (file mode 0600), rotating the log past ``EVENTS_MAX_BYTES``."""
        line = json.dumps({"at": _now(), **record}, ensure_ascii=False, separators=(",", ":")) + "\n"
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            if self.events_path.stat().st_size >= EVENTS_MAX_BYTES:
                os.replace(self.events_path, self.events_path.with_name(EVENTS_NAME + ".1"))
        fd = os.open(self.events_path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            os.fchmod(fd, 0o600)
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = "\n" + line  # a line torn by a crash must not swallow this one
            data = line.encode("utf-8")
            while data:
                data = data[os.write(fd, data):]
            os.fsync(fd)
        finally:
            os.close(fd)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _redact(argv: Sequence[str]) -> list[str]:
    """argv with the values of secret-looking ``name=value`` words (``anthropic_api_key=…``) hidden."""
    out = []
    for word in argv:
        name, sep, _ = str(word).partition("=")
        out.append(f"{name}=***" if sep and any(s in name.lower() for s in _SECRET_WORDS) else str(word))
    return out


def _read_holder(fd: int) -> dict[str, Any] | None:
    try:
        data = json.loads(os.pread(fd, 64 * 1024, 0).decode("utf-8"))
    except (OSError, ValueError):
        return None  # empty (between runs) or being written this very moment
    return data if isinstance(data, dict) else None


def _describe(holder: dict[str, Any]) -> str:
    """``pid 1234, started 14:05:12`` (local time; with the date when not today, the host when not ours)."""
    parts = [f"pid {holder.get('pid', 'unknown')}"]
    with contextlib.suppress(TypeError, ValueError):
        started = datetime.fromisoformat(holder.get("started_at")).astimezone()  # type: ignore[arg-type]
        today = datetime.now().astimezone().date()
        parts.append(f"started {started:%H:%M:%S}" if started.date() == today else f"started {started:%Y-%m-%d %H:%M:%S}")
    host = holder.get("host")
    if host and host != socket.gethostname():
        parts.append(f"on {host}")
    return ", ".join(parts)
