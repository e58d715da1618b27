"""Run lifecycle: one run per output folder, an events log, stranded runs recorded."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bristlenose.pipeline import lifecycle
from bristlenose.pipeline.lifecycle import RunLifecycle, RunRefused, cause_of, exit_code
from bristlenose.llm.errors import CreditExhausted, InvalidKey

REPO = Path(__file__).resolve().parents[1]

CHILD = """
import sys, time
from pathlib import Path
from bristlenose.pipeline.lifecycle import RunLifecycle
run = RunLifecycle(Path(sys.argv[1]))
print(run.start(["child"]), flush=True)
if sys.argv[2] == "hold":
    time.sleep(120)
"""


def events(state: Path) -> list[dict]:
    return [json.loads(line) for line in (state / lifecycle.EVENTS_NAME).read_text().splitlines()]


def snapshot(state: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(state.iterdir())}


def run_child(state: Path, mode: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", CHILD, str(state), mode], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, text=True)


def test_second_run_is_refused_and_touches_nothing(tmp_path: Path) -> None:
    state = tmp_path / ".bristlenose"
    first = RunLifecycle(state)
    run_id = first.start(["doit"])
    before = snapshot(state)
    assert json.loads(before["run.lock"])["pid"] == os.getpid()

    with pytest.raises(RunRefused) as refused:
        RunLifecycle(state).start(["doit"])
    message = str(refused.value)
    assert message.startswith(f"another bristlenose run (pid {os.getpid()}, started ")
    assert message.endswith("is using this output folder; wait for it or stop it")
    assert snapshot(state) == before

    first.finish("completed")
    first.finish("failed", "error")  # idempotent: the second call changes nothing
    assert [(e["event"], e["run_id"]) for e in events(state)] == [("started", run_id), ("completed", run_id)]
    second = RunLifecycle(state)
    assert second.start(["doit"]) != run_id
    second.finish("completed")


def test_sigkilled_run_holds_the_lock_then_is_recorded_as_stranded(tmp_path: Path) -> None:
    state = tmp_path / ".bristlenose"
    child = run_child(state, "hold")
    try:
        assert child.stdout is not None
        child_run = child.stdout.readline().strip()
        assert child_run
        with pytest.raises(RunRefused, match=f"pid {child.pid},"):
            RunLifecycle(state).start(["doit"])
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)

    run = RunLifecycle(state)
    run_id = run.start(["doit"])
    run.finish("completed")
    log = events(state)
    assert [(e["event"], e["run_id"], e["cause"]) for e in log] == [
        ("started", child_run, None), ("failed", child_run, "stranded"),
        ("started", run_id, None), ("completed", run_id, None)]
    assert log[1]["pid"] == child.pid


def test_exit_without_finish_is_recorded_as_failed(tmp_path: Path) -> None:
    state = tmp_path / ".bristlenose"
    child = run_child(state, "exit")
    out, _ = child.communicate(timeout=30)
    assert child.returncode == 0
    assert [(e["event"], e["run_id"], e["cause"]) for e in events(state)] == [
        ("started", out.strip(), None), ("failed", out.strip(), "error")]


def test_events_log_is_private_json_lines(tmp_path: Path) -> None:
    state = tmp_path / ".bristlenose"
    with RunLifecycle(state) as run:
        run_id = run.run_id
    with pytest.raises(KeyboardInterrupt), RunLifecycle(state):
        raise KeyboardInterrupt
    run = RunLifecycle(state)
    run.start(["doit", "anthropic_api_key=sk-secret", "input=study"])
    assert json.loads((state / "run.lock").read_text())["argv"] == ["doit", "anthropic_api_key=***", "input=study"]
    run.finish("failed", cause_of(CreditExhausted("Anthropic: API credit balance too low")), "quotes:s3")

    for name in (lifecycle.EVENTS_NAME, lifecycle.LOCK_NAME):
        assert stat.S_IMODE((state / name).stat().st_mode) == 0o600
    log = events(state)
    assert [(e["event"], e["cause"]) for e in log] == [
        ("started", None), ("completed", None), ("started", None), ("cancelled", "interrupted"),
        ("started", None), ("failed", "credit")]
    assert log[1]["run_id"] == run_id and log[-1]["detail"] == "quotes:s3"
    assert all(set(e) >= {"at", "run_id", "event", "cause", "pid"} for e in log)
    assert (state / "run.lock").read_bytes() == b""  # released: no stale holder record


def test_log_rotates_past_its_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lifecycle, "EVENTS_MAX_BYTES", 400)
    state = tmp_path / ".bristlenose"
    for _ in range(5):
        with RunLifecycle(state):
            pass
    current, rotated = state / lifecycle.EVENTS_NAME, state / (lifecycle.EVENTS_NAME + ".1")
    assert rotated.exists() and current.stat().st_size < 400 + 200
    assert sorted(p.name for p in state.iterdir()) == [lifecycle.EVENTS_NAME, lifecycle.EVENTS_NAME + ".1", "run.lock"]
    assert len(events(state)) + len(rotated.read_text().splitlines()) < 10  # older history dropped


def test_torn_last_line_does_not_swallow_the_next_event(tmp_path: Path) -> None:
    state = tmp_path / ".bristlenose"
    state.mkdir()
    (state / lifecycle.EVENTS_NAME).write_text('{"event":"started","run_id":"old","pid":1}\n{"event":"comp')
    with RunLifecycle(state) as run:
        pass
    lines = (state / lifecycle.EVENTS_NAME).read_text().splitlines()
    assert lines[1] == '{"event":"comp'
    assert [(e["event"], e["run_id"], e["cause"]) for e in map(json.loads, lines[2:])] == [
        ("failed", "old", "stranded"), ("started", run.run_id, None), ("completed", run.run_id, None)]


def test_exit_codes_and_causes() -> None:
    assert [exit_code(o) for o in ("completed", "failed", "cancelled", "refused")] == [0, 1, 1, 2]
    with pytest.raises(ValueError):
        exit_code("done")
    assert cause_of(None) == "task_failed"
    assert cause_of(KeyboardInterrupt()) == "interrupted"
    assert cause_of(InvalidKey("401")) == "invalid_key"
    assert cause_of(OSError("disk full")) == "error"
    with pytest.raises(ValueError):
        RunLifecycle(Path("/nonexistent")).finish("completed", "out_of_credit")
