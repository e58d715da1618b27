"""Debug mode (the ``verbose`` setting): one log file per task under ``.bristlenose/logs/``.

Each file holds the task's start, end, outcome and duration, every LLM call it made (status,
seconds, tokens) and the SDKs' own retry messages. Files are rewritten on each run of their
task (so they stay bounded) and may name files and errors, never transcript text: SDK
loggers are read at INFO, which does not include request bodies.
"""

from __future__ import annotations

import contextvars
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

SDK_LOGGERS = ("anthropic", "openai")

_current: contextvars.ContextVar[TextIO | None] = contextvars.ContextVar("bristlenose_task_log", default=None)


class _ToTaskLog(logging.Handler):
    """Routes SDK log records to the log of the task running in this thread."""

    def emit(self, record: logging.LogRecord) -> None:
        handle = _current.get()
        if handle is not None:
            handle.write(f"{_now()} {record.name}: {record.getMessage()}\n")


_HANDLER = _ToTaskLog(level=logging.INFO)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@contextmanager
def task_log(logs_dir: Path, task: str) -> Iterator[TextIO]:
    """Log one task's run to ``logs/<task>.log`` (``:`` becomes ``_``)."""
    logs_dir.mkdir(parents=True, exist_ok=True)
    for name in SDK_LOGGERS:
        logger = logging.getLogger(name)
        if _HANDLER not in logger.handlers:
            logger.addHandler(_HANDLER)
            logger.setLevel(min(logger.level or logging.INFO, logging.INFO))
    path = logs_dir / f"{task.replace(':', '_')}.log"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        token = _current.set(handle)
        started = time.monotonic()
        handle.write(f"{_now()} start {task}\n")
        try:
            yield handle
        finally:
            handle.write(f"{_now()} end {task} after {time.monotonic() - started:.3f}s\n")
            _current.reset(token)
