"""Scenario controls and call accounting, shared by the server's request threads.

Tests set faults in-process; a standalone server reads the same settings from a JSON
control file (:meth:`Scenario.configure`). Every call is recorded, and appended as a JSON
line to ``log_path`` when set, so a run in another process can be counted too.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

MISBEHAVIOURS = frozenset({"paraphrase", "every_boundary", "empty_labels", "unknown_ids", "invented_name"})
"""Schema-valid answers no honest model gives (see ``model.misbehaved_answer``)."""
FAULTS = frozenset({"rate_limit", "overloaded", "server_error", "malformed", "hallucinate", "truncate",
                    "auth"}) | MISBEHAVIOURS
ANSWERED = frozenset({"ok", "malformed", "hallucinate", "truncate", "hijacked"}) | MISBEHAVIOURS
"""Outcomes that are HTTP 200 answers, and so spend credit."""
SPLIT_TASKS = frozenset({"topics", "quotes"})
"""Tasks whose input is one transcript, which a stage can split when the answer is truncated."""
CONTROL_KEYS = frozenset({"latency", "credit_after", "truncate_above", "inject", "log_path"})


@dataclass(frozen=True)
class Call:
    """One request as the server saw it; ``outcome`` is ``ok``, a fault name, ``credit``,
    ``hijacked`` or ``bad_request``."""

    endpoint: str
    task: str
    session: str | None
    outcome: str
    tokens_in: int = 0
    tokens_out: int = 0

    @property
    def key(self) -> str:
        """``quotes:s3`` for a session's call, ``clusters`` for a study-wide one."""
        return f"{self.task}:{self.session}" if self.session else self.task


@dataclass
class _Injection:
    fault: str
    task: str | None
    session: str | None
    times: int

    def matches(self, task: str, session: str | None) -> bool:
        return self.task in (None, task) and self.session in (None, session)


class Scenario:
    """Faults to inject, limits to enforce, and the log of calls received."""

    def __init__(self, latency: float = 0.0, log_path: str | Path | None = None) -> None:
        self.latency = latency
        """Seconds to wait before every answer."""
        self.log_path = Path(log_path) if log_path else None
        self._lock = threading.Lock()
        self._credit: int | None = None
        self._truncate_above: int | None = None
        self._injections: list[_Injection] = []
        self._calls: list[Call] = []

    def credit_after(self, answers: int) -> None:
        """Allow ``answers`` more answers; every call after them gets the out-of-credit error."""
        with self._lock:
            self._credit = answers

    def restore(self) -> None:
        """A healthy server again: unlimited credit, no pending faults, no truncation limit."""
        with self._lock:
            self._credit = None
            self._truncate_above = None
            self._injections.clear()

    def inject(self, fault: str, task: str | None = None, session: str | None = None, times: int = 1) -> None:
        """Answer the next ``times`` calls matching ``task``/``session`` (None: any) with ``fault``."""
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {sorted(FAULTS)}")
        with self._lock:
            self._injections.append(_Injection(fault, task, session, times))

    def truncate_above(self, segments: int | None) -> None:
        """Truncate every topics/quotes answer whose transcript has more than ``segments`` segments."""
        with self._lock:
            self._truncate_above = segments

    def configure(self, control: Mapping[str, Any]) -> None:
        """Apply a control mapping: ``latency``, ``credit_after``, ``truncate_above``, ``log_path``
        and ``inject`` (a list of :meth:`inject` keyword arguments)."""
        unknown = set(control) - CONTROL_KEYS
        if unknown:
            raise ValueError(f"unknown control keys {sorted(unknown)}; known: {sorted(CONTROL_KEYS)}")
        if "latency" in control:
            self.latency = float(control["latency"])
        if "log_path" in control:
            self.log_path = Path(control["log_path"]) if control["log_path"] else None
        if control.get("credit_after") is not None:
            self.credit_after(control["credit_after"])
        if "truncate_above" in control:
            self.truncate_above(control["truncate_above"])
        for injection in control.get("inject", []):
            self.inject(**injection)

    @property
    def calls(self) -> list[Call]:
        """Every call received since the last :meth:`reset_counts`, in order."""
        with self._lock:
            return list(self._calls)

    def counts(self, outcome: str | None = "ok") -> Counter[str]:
        """Calls per ``task:session`` key with this outcome (None: all outcomes)."""
        return Counter(c.key for c in self.calls if outcome is None or c.outcome == outcome)

    def reset_counts(self) -> None:
        """Forget the calls received so far (faults and limits stay)."""
        with self._lock:
            self._calls.clear()

    def plan(self, task: str, session: str | None, segments: int, hijacked: bool) -> str:
        """The outcome of a call, decided under the lock so that concurrent calls share credit and
        faults exactly. No credit beats an injected fault, which beats ``truncate_above``, which
        beats obeying a prompt injection (``hijacked``)."""
        with self._lock:
            if self._credit is not None and self._credit <= 0:
                return "credit"
            outcome = self._take_injection(task, session)
            if outcome is None and self._truncate_above is not None and task in SPLIT_TASKS:
                outcome = "truncate" if segments > self._truncate_above else None
            outcome = outcome or ("hijacked" if hijacked else "ok")
            if self._credit is not None and outcome in ANSWERED:
                self._credit -= 1
            return outcome

    def plan_listing(self, task: str) -> str:
        """The outcome of a call that answers no prompt (``GET /v1/models``): an injected fault
        matching ``task`` (or any task), else ``ok``. It spends no credit, as listing costs nothing."""
        with self._lock:
            return self._take_injection(task, None) or "ok"

    def record(self, call: Call) -> None:
        """Log ``call`` in memory and, when ``log_path`` is set, as a JSON line."""
        with self._lock:
            self._calls.append(call)
            if self.log_path is not None:
                with self.log_path.open("a", encoding="utf-8") as log:
                    log.write(json.dumps({**asdict(call), "key": call.key}) + "\n")

    def _take_injection(self, task: str, session: str | None) -> str | None:
        for injection in self._injections:
            if injection.matches(task, session):
                injection.times -= 1
                if injection.times <= 0:
                    self._injections.remove(injection)
                return injection.fault
        return None
