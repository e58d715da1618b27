"""Progress a researcher can read: one line per stage with a glyph, real counts and time.

doit's own reporter says ``.  quotes:s3``; this one says ``✓ Extracted 57 quotes  1.2s`` once
a stage is over, marks stages that did nothing new ``(cached)`` or ``(N new sessions)``, puts
the reason under a stage that failed, and ends with a summary. Counts are read from the
targets on disk, so a line never claims more than is there. doit's reporters stay
selectable (``doit --reporter=console``).
"""

from __future__ import annotations

import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from bristlenose.build import context as run_context
from bristlenose.build.counts import StudyCounts
from bristlenose.build.lifecycle import RunLifecycle, RunRefused, cause_of, exit_code

OK, PARTIAL, FAILED = "✓", "⚠", "✗"
CLEAR_LINE = "\x1b[K"
LIVE_WIDTH = 110
_TASK_PREFIX = re.compile(r"^[\w:]+: (?:analysis failed: )?(?:not started: )?")


@dataclass
class StageProgress:
    """What happened to one stage's tasks in this run."""

    tasks: set[str]
    executed: set[str] = field(default_factory=set)
    cached: set[str] = field(default_factory=set)
    failed: dict[str, str] = field(default_factory=dict)
    started: float | None = None
    finished: float | None = None
    printed: bool = False

    @property
    def settled(self) -> bool:
        """Every task of the stage has an outcome (each task has one, so counting suffices: a
        set union per settled task made a 1,000-session no-op quadratic)."""
        return len(self.executed) + len(self.cached) + len(self.failed) >= len(self.tasks)


def _transcripts_line(read: int, transcribed: int) -> str:
    """``Read 4 transcripts``, and ``· transcribed 2 recordings`` when there were any."""
    line = f"Read {read} transcripts"
    return f"{line} · transcribed {transcribed} recordings" if transcribed else line


def _describe(counts: StudyCounts) -> dict[str, Callable[[], str]]:
    """The words of each stage's line, from the targets on disk."""
    return {
        "transcript": lambda: _transcripts_line(*counts.transcripts()),
        "speakers": lambda: f"Identified {counts.participants()} participants",
        "topics": lambda: f"Segmented {counts.topic_boundaries()} topic boundaries",
        "quotes": lambda: f"Extracted {counts.quotes()} quotes",
        "clusters": lambda: f"Grouped quotes into {counts.sections()} sections",
        "themes": lambda: f"Found {counts.themes()} themes",
        "render": lambda: f"Rendered report  {counts.report_path()}",
    }


STAGE_ORDER = ("transcript", "speakers", "topics", "quotes", "clusters", "themes", "render")


def format_seconds(seconds: float) -> str:
    """``0.4s``, ``35s``, ``2m 10s``."""
    if seconds < 10:
        return f"{seconds:.1f}s"
    if seconds < 60:
        return f"{seconds:.0f}s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m {rest:02d}s"


class ProgressReporter:
    """doit ``REPORTER`` plugin: the default reporter of a bristlenose run."""

    desc = "bristlenose: one line per stage with counts, then a summary"

    def __init__(self, outstream: TextIO, options: dict[str, Any]) -> None:
        self.out = outstream
        self.stages: dict[str, StageProgress] = {}
        self.errors: list[str] = []
        self.started = time.monotonic()
        self._lock = threading.Lock()
        ctx = run_context.active()
        if ctx is None:
            raise RuntimeError("the bristlenose reporter needs a bristlenose dodo.py")
        self.counts = StudyCounts(ctx.layout, ctx.settings.project, ctx.session_ids)
        self.lines = _describe(self.counts)
        self.lifecycle = RunLifecycle(ctx.layout.state_dir)
        self.live = hasattr(outstream, "isatty") and outstream.isatty()
        self.in_flight: list[str] = []

    def initialize(self, tasks: dict[str, Any], selected_tasks: list[str]) -> None:
        """Take the output folder for this run, then group its tasks by stage."""
        try:
            self.lifecycle.start(sys.argv)
        except RunRefused as exc:
            print(f"ERROR: {exc}", file=sys.__stderr__, flush=True)
            raise SystemExit(exit_code("refused")) from None
        for name, task in tasks.items():
            stage = name.split(":", 1)[0]
            if stage in STAGE_ORDER and task.actions:
                self.stages.setdefault(stage, StageProgress(tasks=set())).tasks.add(name)

    def get_status(self, task: Any) -> None:
        """Nothing to say while doit checks what is up to date."""

    def execute_task(self, task: Any) -> None:
        """A stage's clock starts with its first task."""
        with self._lock:
            progress = self._progress(task)
            if progress is not None and progress.started is None:
                progress.started = time.monotonic()
            if progress is not None:
                self.in_flight.append(task.name)
                self._show_live()

    def add_success(self, task: Any) -> None:
        """The task ran and wrote its target."""
        self._settle(task, lambda p: p.executed.add(task.name))

    def skip_uptodate(self, task: Any) -> None:
        """The task's target was current: nothing paid again."""
        self._settle(task, lambda p: p.cached.add(task.name))

    def skip_ignore(self, task: Any) -> None:
        """``doit ignore``d tasks count as cached."""
        self._settle(task, lambda p: p.cached.add(task.name))

    def add_failure(self, task: Any, fail: Any) -> None:
        """Remember why; a task skipped because an earlier one failed gets no reason of its own."""
        text = fail.get_msg().strip()
        message = _TASK_PREFIX.sub("", text.splitlines()[-1]) if text else type(fail).__name__
        unmet = type(fail).__name__ == "UnmetDependency"
        self._settle(task, lambda p: p.failed.__setitem__(task.name, "" if unmet else message))
        if self._progress(task) is None and not unmet:
            with self._lock:
                self.errors.append(message)

    def cleanup_error(self, exception: Any) -> None:
        """Shown after the stage lines."""
        self.errors.append(exception.get_msg())

    def runtime_error(self, msg: str) -> None:
        """Shown after the stage lines."""
        self.errors.append(msg)

    def teardown_task(self, task: Any) -> None:
        """No teardown actions in bristlenose."""

    def complete_run(self) -> None:
        """Print what is left and the summary, and record how the run ended.

        doit calls this from a ``finally``, so an interrupt or crash is still in flight here.
        """
        if not self.lifecycle.running:
            return
        with self._lock:
            self._flush(final=True)
            for error in self.errors:
                self.out.write(f"   {error}\n")
            self.out.write(self._summary() + "\n")
            self.out.flush()
        in_flight = sys.exc_info()[1]
        outcome = self._finish(in_flight)
        if in_flight is None and outcome != "completed":
            # doit would say 2 when a task was skipped for a failed dependency; ours is 1
            raise SystemExit(exit_code(outcome))

    def _finish(self, in_flight: BaseException | None) -> str:
        """Record the run's end in the events log; returns the outcome."""
        gate = run_context.active_gate()
        stopper = gate.stopped if gate is not None else None
        failed = any(any(p.failed.values()) for p in self.stages.values()) or bool(self.errors)
        if isinstance(in_flight, KeyboardInterrupt):
            outcome, cause, detail = "cancelled", "interrupted", None
        elif in_flight is not None:
            outcome, cause, detail = "failed", cause_of(in_flight), type(in_flight).__name__
        elif stopper is not None:
            outcome, cause, detail = "failed", cause_of(stopper), type(stopper).__name__
        elif failed:
            outcome, cause, detail = "failed", "task_failed", None
        else:
            outcome, cause, detail = "completed", None, None
        self.lifecycle.finish(outcome, cause, detail)
        return outcome

    def _progress(self, task: Any) -> StageProgress | None:
        return self.stages.get(task.name.split(":", 1)[0]) if task.actions else None

    def _settle(self, task: Any, change: Callable[[StageProgress], None]) -> None:
        with self._lock:
            progress = self._progress(task)
            if progress is None:
                return
            change(progress)
            if task.name in self.in_flight:
                self.in_flight.remove(task.name)
            if progress.settled and progress.finished is None:
                progress.finished = time.monotonic()
            self._flush(final=False)
            self._show_live()

    def _show_live(self) -> None:
        """On a terminal, one self-replacing line: done per running stage and what is in flight."""
        if not self.live:
            return
        running = [f"{stage} {len(p.executed) + len(p.cached)}/{len(p.tasks)}" for stage, p in self.stages.items()
                   if p.started is not None and not p.printed]
        flight = ", ".join(self.in_flight[:4]) + (" …" if len(self.in_flight) > 4 else "")
        text = " · ".join(running) + (f" · in flight: {flight}" if flight else "")
        self.out.write(f"\r{CLEAR_LINE}   {text[:LIVE_WIDTH]}")
        self.out.flush()

    def _flush(self, final: bool) -> None:
        """Print settled stages in pipeline order (all stages with any outcome when final)."""
        if self.live:
            self.out.write(f"\r{CLEAR_LINE}")
        for stage in STAGE_ORDER:
            progress = self.stages.get(stage)
            if progress is None or progress.printed:
                continue
            if not progress.settled and not final:
                break
            if not (progress.executed or progress.cached or any(progress.failed.values())):
                progress.printed = True
                continue
            self.out.write(self._line(stage, progress) + "\n")
            reasons = sorted({m for m in progress.failed.values() if m})
            for reason in reasons[:3]:
                self.out.write(f"     {reason}\n")
            progress.printed = True
        self.out.flush()

    def _line(self, stage: str, progress: StageProgress) -> str:
        per_session = any(":" in name for name in progress.tasks)
        total = len(progress.tasks)
        done = len(progress.executed) + len(progress.cached)
        glyph = OK if done == total else (PARTIAL if done else FAILED)
        text = self.lines[stage]()
        notes = []
        if per_session and done < total:
            notes.append(f"{done}/{total} sessions")
        if not progress.executed and progress.cached and done == total:
            notes.append("cached")
        elif per_session and progress.executed and progress.cached:
            notes.append(f"{len(progress.executed)} new session{'s' if len(progress.executed) != 1 else ''}")
        if notes:
            text += f" ({', '.join(notes)})"
        elapsed = ""
        if progress.executed and progress.started is not None:
            elapsed = format_seconds((progress.finished or time.monotonic()) - progress.started)
        return f" {glyph} {text:<46}  {elapsed}".rstrip()

    def _summary(self) -> str:
        counts = self.counts
        parts = [f"{counts.participants()} participants", f"{counts.sections()} sections",
                 f"{counts.themes()} themes", f"{counts.quotes()} quotes",
                 format_seconds(time.monotonic() - self.started)]
        summary = "   " + " · ".join(parts)
        gate = run_context.active_gate()
        line = gate.take_summary() if gate is not None else None
        if line is not None:
            summary += "\n   " + line
        return summary
