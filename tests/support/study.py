"""Run the real ``doit`` on a copy of a study in a subprocess, as a user would."""

from __future__ import annotations

import json
import os
import pty
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bristlenose.pipeline.layout import Layout
from bristlenose.parsers import MEDIA_EXTENSIONS
from tests.support.knobs import CALL_LOG

REPO = Path(__file__).resolve().parents[2]
SAMPLE_DATA = REPO / "sample_data"
TEST_PROVIDER = "tests.support.providers:counting"
DOIT_COMMANDS = ("list", "info", "forget", "clean", "ignore", "dumpdb", "reset-dep", "help", "strace", "status",
                 "doctor")


@dataclass
class DoitRun:
    """One finished ``doit`` run: exit code, output and per-task results."""

    returncode: int
    stdout: str
    stderr: str
    results: dict[str, str] = field(default_factory=dict)

    @property
    def executed(self) -> set[str]:
        """Tasks that ran (successfully or not) rather than being up to date."""
        return {name for name, result in self.results.items() if result in ("success", "fail")}

    @property
    def failed(self) -> set[str]:
        """Tasks that ran and failed."""
        return {name for name, result in self.results.items() if result == "fail"}


@dataclass
class Study:
    """A study folder under a test's tmp_path, analysed by ``doit`` from the repository."""

    input: Path
    call_log: Path
    env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def copy_of(cls, tmp_path: Path, source: Path = SAMPLE_DATA, *, provider: str = TEST_PROVIDER,
                recordings: bool = False) -> Study:
        """A fresh copy of ``source`` (the sample study by default) with the counting provider.

        Recordings are left out unless asked for: transcribing them takes seconds per run,
        and most tests are about what happens after the transcript.
        """
        target = tmp_path / "study"
        media = () if recordings else tuple(f"*{extension}" for extension in MEDIA_EXTENSIONS)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("bristlenose-output", "README.md", *media))
        return cls(input=target, call_log=tmp_path / "calls.jsonl", env={"BRISTLENOSE_LLM_PROVIDER": provider})

    @property
    def output(self) -> Path:
        """The default output folder."""
        return self.input / "bristlenose-output"

    @property
    def layout(self) -> Layout:
        """Where the build puts things."""
        return Layout(self.output)

    @property
    def state(self) -> Path:
        """The hidden state folder."""
        return self.layout.state_dir

    def target(self, stage: str, session_id: str) -> Path:
        """A per-session target."""
        return self.layout.session_target(stage, session_id)

    def intermediate(self, name: str) -> Path:
        """A merged or cross-session target."""
        return self.layout.intermediate(name)

    def process_env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """The environment of a doit subprocess: no stray settings or API keys from outside."""
        env = outside_env()
        env.update({"PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1", CALL_LOG: str(self.call_log)})
        env.update(self.env)
        env.update(extra or {})
        return env

    def command(self, *args: str) -> list[str]:
        """``doit`` with this study's input folder."""
        return [sys.executable, "-m", "doit", *args, f"input={self.input}"]

    def doit(self, *args: str, env: dict[str, str] | None = None, timeout: float = 180) -> DoitRun:
        """Run a doit command; a run uses doit's console reporter, read for per-task results.

        (doit's JSON reporter is not usable with threaded runs: python-actions swap
        ``sys.stdout`` per thread and can leave the reporter's capture replaced.)
        """
        argv = ("--reporter=console", *args) if not args or args[0] not in DOIT_COMMANDS else args
        run = self.progress(*argv, env=env, timeout=timeout)
        run.results = _results(run.stdout)
        return run

    def progress(self, *args: str, env: dict[str, str] | None = None, timeout: float = 180) -> DoitRun:
        """Run ``doit`` as given: a run uses bristlenose's own progress reporter (the default)."""
        proc = subprocess.run(self.command(*args), cwd=REPO, env=self.process_env(env), capture_output=True,
                              text=True, timeout=timeout)
        return DoitRun(proc.returncode, proc.stdout, proc.stderr)

    def start(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        """Start ``doit`` in the background (for signal tests)."""
        return subprocess.Popen(self.command(*args), cwd=REPO, env=self.process_env(env), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)

    def calls(self, event: str = "done") -> Counter[str]:
        """How often each ``stage:session`` reached the provider with this outcome."""
        if not self.call_log.exists():
            return Counter()
        lines = [json.loads(line) for line in self.call_log.read_text().splitlines() if line.strip()]
        return Counter(line["call"] for line in lines if line["event"] == event)

    def reset_calls(self) -> None:
        """Start counting afresh."""
        self.call_log.unlink(missing_ok=True)

    def wait_for(self, condition: Any, timeout: float = 60) -> None:
        """Poll ``condition()`` until true."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("condition not met in time")
            time.sleep(0.05)


def outside_env() -> dict[str, str]:
    """This process's environment without bristlenose settings or API keys: a subprocess then
    sees only what a test or benchmark gives it."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("BRISTLENOSE_", "ANTHROPIC_", "OPENAI_"))}


def _results(stdout: str) -> dict[str, str]:
    """Task results from doit's console reporter: ``.  name`` ran, ``-- name`` was up to date,
    a ``TaskFailed - taskid:name`` block marks a failure, ``UnmetDependency`` a task not run."""
    results: dict[str, str] = {}
    for line in stdout.splitlines():
        if line.startswith(".  "):
            results[line[3:].strip()] = "success"
        elif line.startswith("-- "):
            results[line[3:].strip()] = "up-to-date"
        elif line.startswith(("TaskFailed - taskid:", "TaskError - taskid:")):
            results[line.split("taskid:", 1)[1].strip()] = "fail"
        elif line.startswith("UnmetDependency - taskid:"):
            results[line.split("taskid:", 1)[1].strip()] = "not run"
    return results


def send(proc: subprocess.Popen[str], sig: signal.Signals, timeout: float = 60) -> tuple[int, str, str]:
    """Send ``sig`` to a doit subprocess and collect its end."""
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def on_a_terminal(command: list[str], env: dict[str, str], stderr_too: bool, timeout: float = 120) -> tuple[int, str]:
    """Run ``command`` with its stdout (and ``stderr_too``, its stderr) on a real pseudo-terminal,
    as a person at a terminal sees it; (exit code, everything written to the terminal)."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=secondary,
                            stderr=secondary if stderr_too else subprocess.DEVNULL, close_fds=True)
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    return proc.wait(timeout=timeout), seen.decode("utf-8", "replace")

