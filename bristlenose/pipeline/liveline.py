"""The self-replacing progress line on a terminal, kept apart from every other message.

Warnings, notes and the analyser's announcement come from tasks in worker threads, written to
stderr while the progress line sits unfinished on the same terminal. Written as they are they
land on the end of that line (``… in flight: transcript:s5Analysing with …``). While a live
line is shown, ``sys.stderr`` is wrapped so any text first clears the line, and the line is
drawn again below once the text ends with a newline.
"""

from __future__ import annotations

import sys
import threading
from typing import TextIO

CLEAR_LINE = "\x1b[K"


class LiveLine:
    """One line at the bottom of a terminal that other output is written above."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.text = ""
        self.drawn = False
        self.lock = threading.RLock()

    def show(self, text: str) -> None:
        """Replace the line with ``text``."""
        with self.lock:
            self.text = text
            self.stream.write(f"\r{CLEAR_LINE}{text}")
            self.stream.flush()
            self.drawn = bool(text)

    def clear(self) -> None:
        """Remove the line from the screen (it is drawn again by the next :meth:`show`)."""
        with self.lock:
            if self.drawn:
                self.stream.write(f"\r{CLEAR_LINE}")
                self.stream.flush()
                self.drawn = False

    def finish(self) -> None:
        """Remove the line for good: later messages are not followed by it."""
        with self.lock:
            self.clear()
            self.text = ""

    def write_above(self, target: TextIO, text: str) -> None:
        """Write ``text`` to ``target`` with the line cleared first; redraw it after a full line."""
        with self.lock:
            self.clear()
            target.write(text)
            target.flush()
            if text.endswith("\n") and self.text:
                self.show(self.text)


class AboveLiveLine:
    """A stand-in for ``sys.stderr`` whose writes never land on the live line."""

    def __init__(self, target: TextIO, line: LiveLine) -> None:
        self.target = target
        self.line = line

    def write(self, text: str) -> int:
        if text:
            self.line.write_above(self.target, text)
        return len(text)

    def flush(self) -> None:
        self.target.flush()

    def isatty(self) -> bool:
        return self.target.isatty()

    def fileno(self) -> int:
        return self.target.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self.target, "encoding", "utf-8")


_active: LiveLine | None = None


def install(line: LiveLine) -> None:
    """Route stderr (and :func:`notice`) above ``line`` for the rest of the run."""
    global _active
    _active = line
    sys.stderr = AboveLiveLine(sys.stderr, line)  # type: ignore[assignment]


def notice(text: str) -> None:
    """Print a message for the user on stderr, above the live line if there is one.

    Code running inside doit actions uses this rather than ``print(file=sys.__stderr__)``,
    which would bypass the wrapped stream.
    """
    if _active is not None:
        _active.write_above(sys.__stderr__, text + "\n")
    else:
        print(text, file=sys.__stderr__, flush=True)
