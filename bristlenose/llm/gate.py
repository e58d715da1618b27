"""Run-wide limits on LLM calls: how many at once, whether the run may still call, and
how much it may spend; the run's answer journal; and which tasks hold a call in flight, so a
graceful stop can let them finish. One gate per process, shared by every task's thread."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from bristlenose.llm.errors import BudgetExceeded, Interrupted, RunStopper
from bristlenose.llm.journal import AnswerJournal
from bristlenose.llm.usage import CallUsage

SETTLE_POLL = 0.05
"""Seconds between looks while waiting for calls in flight (short, so a second Ctrl+C is heard)."""


class CallGate:
    """Bounds calls in flight, stops the run's calls after a fatal failure, keeps a budget,
    and appends every call's usage to ``llm-calls.jsonl`` (no transcript text, mode 0600)."""

    def __init__(self, concurrency: int, max_cost_usd: float | None = None, log_path: Path | None = None,
                 journal: AnswerJournal | None = None) -> None:
        self.journal = journal
        self._slots = threading.BoundedSemaphore(concurrency)
        self._busy: set[int] = set()
        self._busy_changed = threading.Condition()
        self._in_task = threading.local()
        self.cached = 0
        self._lock = threading.Lock()
        self._stopped: RunStopper | None = None
        self.max_cost_usd = max_cost_usd
        self.spent_usd = 0.0
        self.calls = 0
        self.tokens_in = 0
        self.tokens_out = 0
        self.log_path = log_path
        self._summarised = False

    def check(self, estimated_cost_usd: float = 0.0) -> None:
        """Raise if no further call may start: the run was stopped, or the budget would be passed."""
        with self._lock:
            if self._stopped is not None:
                raise type(self._stopped)(f"not started: {self._stopped.args[0] if self._stopped.args else ''}")
            if self.max_cost_usd is not None and self.spent_usd + estimated_cost_usd > self.max_cost_usd:
                raise BudgetExceeded(
                    f"estimated spend ${self.spent_usd + estimated_cost_usd:.2f} would pass max_cost_usd=${self.max_cost_usd:.2f}")

    def stop(self, reason: RunStopper) -> None:
        """No call starts after this one (credit, key): every further call would fail too."""
        with self._lock:
            self._stopped = self._stopped or reason

    @property
    def stopped(self) -> RunStopper | None:
        """Why the run's calls were stopped, if they were."""
        return self._stopped

    def interrupt(self) -> None:
        """Ctrl+C or SIGTERM: no call starts from now on; calls in flight go on."""
        self.stop(Interrupted("the run was interrupted"))

    @contextmanager
    def task(self) -> Iterator[None]:
        """Wrap one task's work: once it starts a call it counts as busy until it has written its
        target (or failed), so a graceful stop waits for what was paid for."""
        self._in_task.active = True
        try:
            yield
        finally:
            self._in_task.active = False
            with self._busy_changed:
                self._busy.discard(threading.get_ident())
                self._busy_changed.notify_all()

    def calling(self) -> None:
        """The current task starts a paid call: checked and marked busy under the gate's lock, so
        a stop either refuses the call or waits for it, never neither."""
        with self._lock:
            if isinstance(self._stopped, Interrupted):
                raise Interrupted(f"not started: {self._stopped.args[0]}")
            if getattr(self._in_task, "active", False):
                with self._busy_changed:
                    self._busy.add(threading.get_ident())

    @property
    def busy(self) -> int:
        """Tasks with a call in flight or an answer not yet written."""
        with self._busy_changed:
            return len(self._busy)

    def settle(self, timeout: float) -> int:
        """Wait up to ``timeout`` seconds for busy tasks to finish; returns how many still are."""
        deadline = time.monotonic() + timeout
        with self._busy_changed:
            while self._busy and time.monotonic() < deadline:
                self._busy_changed.wait(min(SETTLE_POLL, max(0.0, deadline - time.monotonic())))
            return len(self._busy)

    def take_summary(self) -> str | None:
        """The run's LLM use in one line, e.g. ``LLM: 87,143 in · 19,517 out · ~$0.55 (est.)``;
        given once (the progress reporter and the exit hook both ask), and only if calls were made."""
        with self._lock:
            if self._summarised or not (self.calls or self.cached):
                return None
            self._summarised = True
            journaled = f" · {self.cached} from the answer journal (free)" if self.cached else ""
            return f"LLM: {self.tokens_in:,} in · {self.tokens_out:,} out · ~${self.spent_usd:.2f} (est.){journaled}"

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the ``llm_concurrency`` places while a call is in flight."""
        with self._slots:
            yield

    def account(self, usage: CallUsage) -> None:
        """Count a finished call's cost (an answer from the journal costs nothing) and log it."""
        with self._lock:
            if usage.cached:
                self.cached += 1
            else:
                self.spent_usd += usage.cost_usd
                self.calls += 1
                self.tokens_in += usage.tokens_in
                self.tokens_out += usage.tokens_out
            if self.log_path is None:
                return
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            line = json.dumps({"at": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), **asdict(usage)})
            fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")
