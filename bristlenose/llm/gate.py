"""Run-wide limits on LLM calls: how many at once, whether the run may still call, and
how much it may spend. One gate per process, shared by every task's thread."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from bristlenose.llm.errors import BudgetExceeded, RunStopper
from bristlenose.llm.usage import CallUsage


class CallGate:
    """Bounds calls in flight, stops the run's calls after a fatal failure, keeps a budget,
    and appends every call's usage to ``llm-calls.jsonl`` (no transcript text, mode 0600)."""

    def __init__(self, concurrency: int, max_cost_usd: float | None = None, log_path: Path | None = None) -> None:
        self._slots = threading.BoundedSemaphore(concurrency)
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

    def take_summary(self) -> str | None:
        """The run's LLM use in one line, e.g. ``LLM: 87,143 in · 19,517 out · ~$0.55 (est.)``;
        given once (the progress reporter and the exit hook both ask), and only if calls were made."""
        with self._lock:
            if self._summarised or not self.calls:
                return None
            self._summarised = True
            return f"LLM: {self.tokens_in:,} in · {self.tokens_out:,} out · ~${self.spent_usd:.2f} (est.)"

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the ``llm_concurrency`` places while a call is in flight."""
        with self._slots:
            yield

    def account(self, usage: CallUsage) -> None:
        """Count a finished call's cost and log it."""
        with self._lock:
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
