"""No answer that arrived is bought twice: real doit in a subprocess, the real SDKs against the
fake server answering with a small delay, real signals."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from tests.fakes.server import FakeLLMServer
from tests.support.study import REPO, Study, send
from tests.test_llm_pipeline import ALL_CALLS, llm_study

LATENCY = 0.4
"""Seconds the fake takes per answer: long enough to be caught half-way, short enough for CI."""
HALF_WAY = 5
"""Answers the server has given when the signal is sent (of 16)."""


@pytest.fixture
def slow_server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer(latency=LATENCY) as fake:
        yield fake


def received(study: Study) -> set[str]:
    """Calls whose answer reached bristlenose (logged after it was journaled)."""
    log = study.state / "llm-calls.jsonl"
    lines = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return {f"{c['task']}:{c['session_id']}" if c["session_id"] else c["task"] for c in lines if c["status"] == "ok"}


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
def test_interrupt_half_way_through_llm_calls_buys_no_answer_again(tmp_path: Path, slow_server: FakeLLMServer,
                                                                   sig: signal.Signals) -> None:
    study = llm_study(tmp_path, slow_server, "anthropic")
    proc = study.start()
    study.wait_for(lambda: sum(slow_server.counts().values()) >= HALF_WAY)
    code, _, err = send(proc, sig)
    assert code in (-signal.SIGINT, 130), err
    assert "Run `doit` again to resume" in err and "Traceback" not in err
    bought = slow_server.counts()
    assert HALF_WAY <= sum(bought.values()) < sum(ALL_CALLS.values())
    assert received(study) == set(bought), "every answer the server gave was kept"

    slow_server.reset_counts()
    resumed = study.doit()
    assert resumed.returncode == 0, resumed.stdout
    again = slow_server.counts()
    assert not set(bought) & set(again), f"bought twice: {set(bought) & set(again)}"
    assert bought + again == ALL_CALLS


def test_sigkill_rebuys_only_calls_without_an_answer(tmp_path: Path, slow_server: FakeLLMServer) -> None:
    study = llm_study(tmp_path, slow_server, "anthropic")
    proc = study.start()
    study.wait_for(lambda: len(received(study)) >= HALF_WAY)
    send(proc, signal.SIGKILL)
    had_answer = received(study)
    bought = slow_server.counts()

    slow_server.reset_counts()
    resumed = study.doit()
    assert resumed.returncode == 0, resumed.stdout
    again = slow_server.counts()
    assert not had_answer & set(again), f"bought twice: {had_answer & set(again)}"
    # bought again: only calls that were in flight at the kill (answered by the server, never read)
    # or never sent
    assert set(again) & set(bought) <= set(bought) - had_answer
    assert all(n == 1 for n in again.values()), again


def test_a_session_with_only_general_quotes_buys_no_clusters_answer_again(tmp_path: Path) -> None:
    with FakeLLMServer() as server:
        study = llm_study(tmp_path, server, "anthropic")
        assert study.doit().returncode == 0
        (study.input / "p9.txt").write_text(
            "[00:01] [m1] Thanks for joining. How do you usually plan your family's meals in a normal week?\n"
            "[00:06] [p1] Honestly I sit down on a Sunday evening with a notebook and write out every dinner.\n"
            "[00:14] [m1] And who else gets involved in that?\n"
            "[00:17] [p1] My partner picks two nights and the kids argue about the rest, which takes ages.\n",
            encoding="utf-8")
        server.reset_counts()
        added = study.progress()
        assert added.returncode == 0, added.stdout + added.stderr
        new = json.loads(study.target("quotes", "s5").read_text())["quotes"]
        assert new and {q["quote_type"] for q in new} == {"general"}
        assert server.counts() == {"topics:s5": 1, "quotes:s5": 1, "themes": 1}
        assert "1 from the answer journal (free)" in added.stdout + added.stderr
        calls = [json.loads(line) for line in (study.state / "llm-calls.jsonl").read_text().splitlines()]
        assert [c["status"] for c in calls if c["task"] == "clusters"] == ["ok", "cached"]
        assert json.loads(study.intermediate("screen_clusters").read_text())["_meta"]["cached"] == 1
        status = study.doit("status")
        assert "+1 cached" in status.stdout and "Answer journal: " in status.stdout


def forget_record(study: Study, task: str) -> None:
    """The state a kill leaves between a target's rename and its record's commit."""
    with sqlite3.connect(study.state / "doit.sqlite") as conn:
        assert conn.execute("delete from doit where task_id=?", (task,)).rowcount == 1


def test_a_target_written_but_never_recorded_is_adopted_and_forget_still_redoes_it(tmp_path: Path) -> None:
    study = Study.copy_of(tmp_path)
    assert study.doit().returncode == 0
    forget_record(study, "quotes:s1")
    study.reset_calls()
    adopted = study.doit()
    assert adopted.returncode == 0, adopted.stdout
    assert adopted.executed == set() and study.calls() == {}
    assert study.doit().executed == set(), "the adopted record is kept"

    assert study.doit("forget", "quotes:s1").returncode == 0
    redone = study.doit()
    assert "quotes:s1" in redone.executed
    assert study.calls()["quotes:s1"] == 1


def test_sigkill_between_a_targets_rename_and_its_commit_redoes_nothing_and_forget_still_redoes_it(
        tmp_path: Path) -> None:
    study = Study.copy_of(tmp_path)
    killer = [sys.executable, "-m", "tests.support.kill_after_rename", "s1/quotes.json", "--reporter=console",
              f"input={study.input}"]
    killed = subprocess.run(killer, cwd=REPO, env=study.process_env(), capture_output=True, text=True, timeout=180)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert study.target("quotes", "s1").exists()
    with sqlite3.connect(study.state / "doit.sqlite") as conn:
        assert conn.execute("select count(*) from doit where task_id='quotes:s1'").fetchone()[0] == 0
    study.reset_calls()

    resumed = study.doit()

    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "quotes:s1" not in resumed.executed and "quotes:s1" not in study.calls()
    assert study.doit("forget", "quotes:s1").returncode == 0
    study.reset_calls()
    assert "quotes:s1" in study.doit().executed and study.calls()["quotes:s1"] == 1


def test_a_redone_target_whose_new_record_was_lost_is_adopted(tmp_path: Path) -> None:
    study = Study.copy_of(tmp_path)
    assert study.doit().returncode == 0
    dep_file = study.state / "doit.sqlite"
    with sqlite3.connect(dep_file) as conn:
        old_record = conn.execute("select task_data from doit where task_id='quotes:s1'").fetchone()[0]
    transcript = next(study.input.glob("interview-01*"))
    text = transcript.read_text(encoding="utf-8")
    transcript.write_text(text.replace("No worries, cheers.", "No worries, cheers, bye."), encoding="utf-8")
    assert "quotes:s1" in study.doit().executed
    with sqlite3.connect(dep_file) as conn:  # as if killed after the rename, before the new commit
        conn.execute("update doit set task_data=? where task_id='quotes:s1'", (old_record,))
    study.reset_calls()
    again = study.doit()
    assert again.executed == set() and study.calls() == {}


def test_forget_all_redoes_targets_that_were_never_recorded(tmp_path: Path) -> None:
    study = Study.copy_of(tmp_path)
    assert study.doit().returncode == 0
    forget_record(study, "quotes:s2")
    assert study.doit("forget", "--all").returncode == 0
    study.reset_calls()
    redone = study.doit()
    assert {"quotes:s1", "quotes:s2", "topics:s1"} <= redone.executed
    assert study.calls()["quotes:s2"] == 1


def wait_for_line(stream: IO[str], text: str) -> None:
    """Read a running doit's stderr until a line holds ``text``."""
    for line in stream:
        if text in line:
            return
    raise AssertionError(f"doit ended without saying {text!r}")


@pytest.mark.parametrize("second_signal", [True, False], ids=["second-ctrl-c", "grace-runs-out"])
def test_a_call_that_does_not_arrive_in_time_does_not_hold_the_stop(tmp_path: Path, second_signal: bool) -> None:
    with FakeLLMServer(latency=30) as stuck:
        study = llm_study(tmp_path, stuck, "anthropic", BRISTLENOSE_LLM_GRACE_SECONDS="2")
        proc = study.start()
        assert proc.stderr is not None
        wait_for_line(proc.stderr, "Remaining LLM work")
        study.wait_for(lambda: sum(stuck.counts().values()) > 0)  # a call is in flight (billed on arrival)
        proc.send_signal(signal.SIGINT)
        wait_for_line(proc.stderr, "Stopping: letting")
        stopped = time.monotonic()
        if second_signal:
            proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
        waited = time.monotonic() - stopped
        assert proc.returncode == -signal.SIGINT
        assert waited < (1.5 if second_signal else 6), waited
        assert not received(study)  # the stop did not wait for the answers of calls in flight


def journal_statuses(study: Study, task: str, session: str) -> list[str]:
    lines = [json.loads(line) for line in (study.state / "llm-calls.jsonl").read_text().splitlines()]
    return [c["status"] for c in lines if (c["task"], c["session_id"]) == (task, session)]


def test_forget_is_answered_from_the_journal_unless_it_is_turned_off(tmp_path: Path) -> None:
    with FakeLLMServer() as server:
        study = llm_study(tmp_path, server, "anthropic")
        assert study.doit().returncode == 0
        study.doit("forget", "quotes:s1")
        server.reset_counts()
        assert study.doit().returncode == 0
        assert "quotes:s1" not in server.counts()
        assert journal_statuses(study, "quotes", "s1") == ["ok", "cached"]
        study.doit("forget", "quotes:s1")
        fresh = study.doit(env={"BRISTLENOSE_LLM_JOURNAL": "false"})
        assert fresh.returncode == 0
        assert server.counts()["quotes:s1"] == 1


def test_a_malformed_answer_is_never_served_from_the_journal(tmp_path: Path) -> None:
    with FakeLLMServer() as server:
        study = llm_study(tmp_path, server, "openai")
        server.inject("malformed", task="quotes", session="s3", times=2)
        assert study.doit().failed == {"quotes:s3"}
        server.reset_counts()
        assert study.doit().returncode == 0
        assert server.counts()["quotes:s3"] == 1
        assert "cached" not in journal_statuses(study, "quotes", "s3")
