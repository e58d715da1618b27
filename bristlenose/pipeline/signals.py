"""Ctrl+C and SIGTERM stop a run gracefully; a second Ctrl+C stops it at once.

doit 0.37's threaded runner reacts to KeyboardInterrupt in its main thread by saving the
dependency state and leaving: worker threads are daemons, abandoned mid-task. An LLM answer
in flight then is paid for and lost. So the first signal starts no new LLM call and waits
(``llm_grace_seconds``) for the tasks whose calls are in flight to journal their answers and
write their targets; only then does it raise KeyboardInterrupt. Those targets reach the
dependency state on the next run by adoption (see :mod:`bristlenose.pipeline.uptodate`), and
the journal would answer their calls anyway. Python then ends the process as killed by
SIGINT (exit status 130 in a shell).
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType, TracebackType

from bristlenose.pipeline import context

RESUME_HINT = "Interrupted: finished sessions are kept. Run `doit` again to resume the rest."

_stopping = False


def _graceful_stop(signum: int, frame: FrameType | None) -> None:
    """First signal: stop starting calls, let those in flight finish; then interrupt doit."""
    global _stopping
    name = signal.Signals(signum).name
    if _stopping:
        raise KeyboardInterrupt(name)
    _stopping = True
    gate = context.active_gate()
    run = context.active()
    if gate is not None:
        gate.interrupt()
        grace = run.settings.llm_grace_seconds if run is not None else 0.0
        if gate.busy and grace > 0:
            print(f"\nStopping: letting {gate.busy} LLM call(s) in flight finish (up to {grace:g} s); "
                  "press Ctrl+C again to stop now.", file=sys.__stderr__, flush=True)
            gate.settle(grace)
    raise KeyboardInterrupt(name)


def _quiet_interrupt(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        print(f"\n{RESUME_HINT}", file=sys.stderr, flush=True)
        return
    _previous_hook(kind, value, tb)


_previous_hook = sys.excepthook


def install() -> None:
    """Route SIGINT and SIGTERM through the graceful stop; only possible from the main thread."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _graceful_stop)
        signal.signal(signal.SIGTERM, _graceful_stop)
    sys.excepthook = _quiet_interrupt
