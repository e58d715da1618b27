"""SIGTERM behaves like Ctrl+C, and an interrupted run ends with a message, not a traceback.

doit keeps finished work on KeyboardInterrupt; a plain SIGTERM would kill the process
without running that path. Our backend commits every task anyway, so this is about a clean
end: in-flight tasks are abandoned (their targets are written atomically, so at most a temp
file is left) and the next run resumes.
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType, TracebackType

RESUME_HINT = "Interrupted: finished sessions are kept. Run `doit` again to resume the rest."


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def _quiet_interrupt(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        print(f"\n{RESUME_HINT}", file=sys.stderr)
        return
    _previous_hook(kind, value, tb)


_previous_hook = sys.excepthook


def install() -> None:
    """Route SIGTERM through KeyboardInterrupt; only possible from the main thread."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_interrupt)
    sys.excepthook = _quiet_interrupt
