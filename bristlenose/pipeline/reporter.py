"""Progress a researcher can read: one line per stage with a glyph, real counts and time.

doit's own reporter says ``.  quotes:s3``; this one says ``✓ Extracted 57 quotes  1.2s`` once
a stage is over, marks stages that did nothing new ``(cached)`` and says how many sessions
were done for the first time or redone (``(2 new, 1 redone)``), puts the reason under a stage
that failed, and ends with a summary. Counts are read from the targets on disk, so a line
never claims more than is there. While tasks run, a live line on a terminal (or a plain line
every few seconds through a pipe) shows what is in flight and for how long. doit's reporters
stay selectable (``doit --reporter=console``).
"""

from __future__ import annotations

import gc
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from bristlenose.pipeline import context as run_context
from bristlenose.pipeline import liveline, shortcut
from bristlenose.pipeline.closing import unreadable_advice, without_report
from bristlenose.pipeline.counts import StudyCounts
from bristlenose.pipeline.heartbeat import PIPE_QUIET, Ticker, Transcribing, format_seconds, plural, since
from bristlenose.pipeline.lifecycle import RunLifecycle, RunRefused, cause_of, exit_code
from bristlenose.pipeline.notes import announce_new_notes
from bristlenose.pipeline.stage_lines import STAGE_ORDER, StageProgress, counts_summary, describe, stage_line
from bristlenose.transcribe import engine

LIVE_WIDTH = 110
_TASK_PREFIX = re.compile(r"^[\w:]+: (?:analysis failed: )?(?:not started: )?")
SHOWN_PROBLEMS = 5
"""Unreadable sessions named under the transcripts line; the rest are counted."""


class ProgressReporter:
    """doit ``REPORTER`` plugin: the default reporter of a bristlenose run."""

    desc = "bristlenose: one line per stage with counts, then a summary"

    def __init__(self, outstream: TextIO, options: dict[str, Any]) -> None:
        self.out = shortcut.Recording(outstream)
        self.stages: dict[str, StageProgress] = {}
        self.errors: list[str] = []
        self.started = time.monotonic()
        self._lock = threading.Lock()
        ctx = run_context.active()
        if ctx is None:
            raise RuntimeError("the bristlenose reporter needs a bristlenose dodo.py")
        self.counts = StudyCounts(ctx.layout, ctx.settings.project, ctx.session_ids,
                                  redacting=ctx.settings.redact_pii)
        self.lines = describe(self.counts)
        self.why_empty: dict[str, Callable[[], str]] = {"clusters": self.counts.sections_note,
                                                         "themes": self.counts.themes_note}
        self.ctx = ctx
        self.lifecycle = RunLifecycle(ctx.layout.state_dir)
        self.live = hasattr(outstream, "isatty") and outstream.isatty()
        self.line = liveline.LiveLine(outstream) if self.live else None
        self.in_flight: dict[str, float] = {}
        self.tasks: dict[str, Any] = {}
        self.transcribing = Transcribing()
        self.last_write = time.monotonic()
        self.ticker = Ticker(self._tick)

    def initialize(self, tasks: dict[str, Any], selected_tasks: list[str]) -> None:
        """Take the output folder for this run, then group its tasks by stage."""
        try:
            self.lifecycle.start(sys.argv)
        except RunRefused as exc:
            print(f"ERROR: {exc}", file=sys.__stderr__, flush=True)
            raise SystemExit(exit_code("refused")) from None
        gc.freeze()  # the tasks live until the run ends: as in dodo.py, not for the collector to walk
        self.tasks = tasks
        for name, task in tasks.items():
            stage = name.split(":", 1)[0]
            if stage in STAGE_ORDER and task.actions:
                self.stages.setdefault(stage, StageProgress(tasks=set())).tasks.add(name)
        if self.line is not None:
            liveline.install(self.line)
        engine.listen(self.transcribing.update)
        self.ticker.start()

    def get_status(self, task: Any) -> None:
        """Nothing to say while doit checks what is up to date."""

    def execute_task(self, task: Any) -> None:
        """A stage's clock starts with its first task."""
        with self._lock:
            progress = self._progress(task)
            if progress is not None and progress.started is None:
                progress.started = time.monotonic()
            if progress is not None:
                if task.targets and all(os.path.exists(target) for target in task.targets):
                    progress.had_target.add(task.name)  # looked at only for tasks that run: a no-op stats nothing
                self.in_flight[task.name] = time.monotonic()
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
        self.ticker.stop()
        engine.listen(None)
        in_flight = sys.exc_info()[1]
        with self._lock:
            if self.line is not None:
                self.line.finish()
            self._flush(final=True)
            for error in self.errors:
                self.out.write(f"   {error}\n")
            printed = self.out.text()
            self.out.write(self._summary(interrupted=isinstance(in_flight, KeyboardInterrupt)) + "\n")
            for line in announce_new_notes(self.ctx.layout.state_dir, self.ctx.notes()):
                self.out.write(f"   {line}\n")
            if in_flight is None:
                self.out.writelines(f"   {line}\n" for line in self._closing())
            self.out.flush()
        outcome = self._finish(in_flight)
        if in_flight is None and outcome == "completed":
            self._remember_noop(printed)
        if in_flight is None and outcome != "completed":
            # doit would say 2 when a task was skipped for a failed dependency; ours is 1
            raise SystemExit(exit_code(outcome))

    def _remember_noop(self, printed: str) -> None:
        """After a plain run that found every task up to date, let the next one answer at once."""
        args = self.ctx.plain_args
        gate = run_context.active_gate()
        if args is None or self.errors or any(p.executed for p in self.stages.values()):
            return
        if gate is not None and (gate.calls or gate.cached):
            return
        shortcut.record(self.ctx.settings, args, printed, counts_summary(self.counts))

    def _finish(self, in_flight: BaseException | None) -> str:
        """Record the run's end in the events log; returns the outcome."""
        gate = run_context.active_gate()
        stopper = gate.stopped if gate is not None else None
        failed = any(any(p.failed.values()) for p in self.stages.values()) or bool(self.errors)
        unreadable = self._unreadable()
        if isinstance(in_flight, KeyboardInterrupt):
            outcome, cause, detail = "cancelled", "interrupted", None
        elif in_flight is not None:
            outcome, cause, detail = "failed", cause_of(in_flight), type(in_flight).__name__
        elif stopper is not None:
            outcome, cause, detail = "failed", cause_of(stopper), type(stopper).__name__
        elif failed or unreadable:
            detail = f"unreadable input: {', '.join(u.split(':', 1)[0] for u in unreadable)}" if unreadable else None
            outcome, cause = "failed", "task_failed"
        else:
            outcome, cause, detail = "completed", None, None
        self.lifecycle.finish(outcome, cause, detail)
        return outcome

    def _unreadable(self) -> list[str]:
        """Sessions of this run whose source file cannot be read: a failure on every run until fixed."""
        progress = self.stages.get("transcript")
        return self.counts.unreadable() if progress is not None and progress.settled else []

    def _progress(self, task: Any) -> StageProgress | None:
        return self.stages.get(task.name.split(":", 1)[0]) if task.actions else None

    def _settle(self, task: Any, change: Callable[[StageProgress], None]) -> None:
        with self._lock:
            progress = self._progress(task)
            if progress is None:
                return
            change(progress)
            self.in_flight.pop(task.name, None)
            if progress.settled and progress.finished is None:
                progress.finished = time.monotonic()
                self._flush(final=False)  # only a stage settling can print a line
            self._show_live()

    def _live_text(self) -> str:
        """Done per running stage, and each task in flight with its time (and a recording's progress)."""
        running = [f"{stage} {len(p.executed) + len(p.cached)}/{len(p.tasks)}" for stage, p in self.stages.items()
                   if p.started is not None and not p.printed]
        flight = []
        for name, started in list(self.in_flight.items())[:4]:
            detail = format_seconds(since(started))
            recording = self.transcribing.name
            inputs = self.tasks[name].file_dep if name in self.tasks else ()
            if recording and self.transcribing.total and any(Path(dep).name == recording for dep in inputs):
                detail += f", {self.transcribing.describe()}"
            flight.append(f"{name} {detail}")
        more = " …" if len(self.in_flight) > 4 else ""
        return " · ".join(running) + (f" · in flight: {', '.join(flight)}{more}" if flight else "")

    def _show_live(self) -> None:
        """On a terminal, one self-replacing line: done per running stage and what is in flight."""
        if self.line is not None:
            self.line.show(f"   {self._live_text()[:LIVE_WIDTH]}")

    def _tick(self) -> None:
        """Every second: move the live line's clocks; through a pipe, break a long silence."""
        with self._lock:
            if not self.in_flight:
                return
            if self.line is not None:
                self._show_live()
            elif since(self.last_write) >= PIPE_QUIET:
                self.out.write(f"   … {self._live_text()}\n")
                self.out.flush()
                self.last_write = time.monotonic()

    def _flush(self, final: bool) -> None:
        """Print settled stages in pipeline order (all stages with any outcome when final)."""
        if self.line is not None:
            self.line.clear()
        for stage in STAGE_ORDER:
            progress = self.stages.get(stage)
            if progress is None or progress.printed:
                continue
            if not progress.settled and not final:
                break
            failed = any(progress.failed.values())
            if not (progress.executed or progress.cached or failed) or not (failed or self.lines[stage]()):
                progress.printed = True  # nothing happened, or a stage with nothing to say (redaction off)
                continue
            self.out.write(self._line(stage, progress) + "\n")
            reasons = sorted({m for m in progress.failed.values() if m})
            for reason in reasons[:3]:
                self.out.write(f"     {reason}\n")
            if stage == "transcript":
                self._write_unreadable()
            progress.printed = True
            self.last_write = time.monotonic()
        self.out.flush()

    def _write_unreadable(self) -> None:
        """Each unreadable session under the transcripts line, on every run until its file is fixed."""
        unreadable = self._unreadable()
        for problem in unreadable[:SHOWN_PROBLEMS]:
            self.out.write(f"     {problem}\n")
        if len(unreadable) > SHOWN_PROBLEMS:
            self.out.write(f"     … and {len(unreadable) - SHOWN_PROBLEMS} more (see `doit status transcript`)\n")

    def _line(self, stage: str, progress: StageProgress) -> str:
        done = bool(progress.executed or progress.cached)
        why = self.why_empty[stage]() if stage in self.why_empty and done else ""
        unreadable = len(self._unreadable()) if stage == "transcript" else 0
        text = self.lines[stage]() if stage != "render" or done else ""
        return stage_line(stage, progress, text, why, unreadable)

    def _closing(self) -> list[str]:
        """Last lines of a run that did less than asked (unreadable files, no report)."""
        render = self.stages.get("render")
        gate = run_context.active_gate()
        wrote = render is None or bool(render.executed or render.cached)
        return [*unreadable_advice(self._unreadable()),
                *without_report(wrote, gate.stopped if gate is not None else None, self.counts.report_path())]

    def _summary(self, interrupted: bool = False) -> str:
        elapsed = format_seconds(time.monotonic() - self.started)
        if interrupted:
            done = sum(len(p.executed) for p in self.stages.values())
            render = self.stages.get("render")
            report = "updated" if render is not None and render.executed else "not updated"
            summary = f"   Interrupted after {elapsed}: {plural(done, 'task')} finished in this run; the report was {report}"
        else:
            summary = f"{counts_summary(self.counts)} · {elapsed}"
        gate = run_context.active_gate()
        line = gate.take_summary() if gate is not None else None
        if line is not None:
            summary += "\n   " + line
        return summary
