"""Signs of life during long work: a clock that ticks while tasks run, how far the recording
being transcribed has got, and the words for counts and durations.

On a terminal the reporter redraws its live line every tick (elapsed times move); through a
pipe or into a log it writes a plain line when nothing was written for :data:`PIPE_QUIET`
seconds, so a log never goes silent for a whole stage.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

TICK = 1.0
PIPE_QUIET = 10.0
"""Longest silence through a pipe while work is running, in seconds."""


class Ticker:
    """Calls ``tick`` every ``period`` seconds in a daemon thread until :meth:`stop`."""

    def __init__(self, tick: Callable[[], None], period: float = TICK) -> None:
        self._tick = tick
        self._period = period
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bristlenose-ticker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self._period):
            self._tick()


@dataclass
class Transcribing:
    """The recording being transcribed now (one at a time) and how far Whisper has got."""

    name: str = ""
    done: float = 0.0
    total: float = 0.0

    def update(self, name: str, done: float, total: float) -> None:
        """Listener for :func:`bristlenose.transcribe.engine.listen`."""
        self.name, self.done, self.total = name, min(done, total), total

    def describe(self) -> str:
        """``12:30 of 40:00 (31%)``, or nothing before the recording is read."""
        if not self.total:
            return ""
        percent = int(100 * self.done / self.total)
        return f"{clock(self.done)} of {clock(self.total)} ({percent}%)"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 participant``, ``2 participants``."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def format_seconds(seconds: float) -> str:
    """``0.4s``, ``35s``, ``2m 10s``: how long something took."""
    if seconds < 10:
        return f"{seconds:.1f}s"
    if seconds < 60:
        return f"{seconds:.0f}s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m {rest:02d}s"


def clock(seconds: float) -> str:
    """``4:05`` or ``1:02:03``: a position in a recording."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def since(started: float) -> float:
    """Seconds since a ``time.monotonic()`` reading."""
    return time.monotonic() - started
