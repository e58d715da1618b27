"""✓ only when there is something to show: paraphrased quotes, implausible answers and empty
cross-session stages, through the real SDKs against the fake server's misbehaving models, with
the real doit in a subprocess and bristlenose's own progress lines and exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakes.server import FakeLLMServer
from tests.support.study import Study
from tests.test_llm_pipeline import llm_study, provider_env, server  # noqa: F401  (server: fixture)

DOWNSTREAM_CALLS = {"clusters": 1, "themes": 1}


def stage_line(run_stdout: str, words: str) -> str:
    """The progress line that contains ``words``."""
    return next(line for line in run_stdout.splitlines() if words in line)


def status(study: Study) -> dict:
    return json.loads(study.doit("status", "--json").stdout)["stages"]


def test_paraphrasing_model_fails_those_sessions_and_an_honest_model_redoes_exactly_them(
        tmp_path: Path, server: FakeLLMServer) -> None:
    study = llm_study(tmp_path, server, "anthropic")
    for session in ("s2", "s3"):
        server.inject("paraphrase", task="quotes", session=session, times=10)
    run = study.progress()
    assert run.returncode == 1, run.stdout + run.stderr
    line = stage_line(run.stdout, "Extracted")
    assert line.lstrip().startswith("⚠") and "2/4 sessions" in line
    assert "✓ Extracted" not in run.stdout
    assert "no verbatim quote: none of" in run.stdout and "when asked again and shown them" in run.stdout
    assert run.stdout.strip().splitlines()[-1].strip().startswith("No report written")
    assert server.counts("paraphrase") == {"quotes:s2": 2, "quotes:s3": 2}
    assert not study.target("quotes", "s2").exists() and not study.target("quotes", "s3").exists()
    quotes = status(study)["quotes"]
    assert quotes["status"] == "failed"
    assert {sid for sid, s in quotes["sessions"].items() if s["status"] == "failed"} == {"s2", "s3"}
    assert "no verbatim quote" in quotes["sessions"]["s2"]["error"]

    server.restore()
    server.reset_counts()
    honest = study.progress()
    assert honest.returncode == 0, honest.stdout + honest.stderr
    assert server.counts() == {"quotes:s2": 1, "quotes:s3": 1, **DOWNSTREAM_CALLS}
    assert stage_line(honest.stdout, "Extracted").lstrip().startswith("✓")


def test_a_mostly_paraphrased_answer_is_asked_again_and_the_drops_are_counted(
        tmp_path: Path, server: FakeLLMServer) -> None:
    study = llm_study(tmp_path, server, "openai")
    server.inject("paraphrase", task="quotes", session="s1", times=1)
    run = study.progress()
    assert run.returncode == 0, run.stdout + run.stderr
    assert server.counts("paraphrase") == {"quotes:s1": 1} and server.counts()["quotes:s1"] == 1
    body = json.loads(study.target("quotes", "s1").read_text())
    assert body["quotes"]
    assert body["dropped_unverified"] > 0
    assert body["_meta"]["dropped_unverified"] == body["dropped_unverified"]
    assert body["_meta"]["calls"] == 2
    assert status(study)["quotes"]["sessions"]["s1"]["dropped_unverified"] == body["dropped_unverified"]
    table = study.doit("status", "quotes").stdout
    assert "DROPPED" in table
    report = (study.output / "bristlenose-study-report.html").read_text()
    assert "dropped because" in report


@pytest.mark.parametrize(("fault", "task", "session"), [
    ("every_boundary", "topics", "s1"),
    ("empty_labels", "topics", "s2"),
    ("unknown_ids", "quotes", "s1"),
    ("unknown_ids", "speakers", "s1"),
    ("empty_labels", "clusters", None),
    ("unknown_ids", "themes", None),
])
def test_implausible_answer_is_asked_again_once_then_fails_the_stage(
        tmp_path: Path, server: FakeLLMServer, fault: str, task: str, session: str | None) -> None:
    study = llm_study(tmp_path, server, "anthropic")
    server.inject(fault, task=task, session=session, times=2)
    run = study.progress()
    key = f"{task}:{session}" if session else task
    assert run.returncode == 1, run.stdout + run.stderr
    assert server.counts(fault) == {key: 2}
    assert f"implausible {task} answer twice" in run.stdout
    assert not target_of(study, task, session).exists()


def target_of(study: Study, task: str, session: str | None) -> Path:
    """The target a stage writes for ``session`` (None: its cross-session target)."""
    if session is None:
        return study.intermediate({"clusters": "screen_clusters", "themes": "theme_groups"}[task])
    return study.layout.attributed(session) if task == "speakers" else study.target(task, session)


def test_implausible_answer_once_is_retried_and_the_run_succeeds(tmp_path: Path, server: FakeLLMServer) -> None:
    study = llm_study(tmp_path, server, "openai")
    server.inject("every_boundary", task="topics", session="s3", times=1)
    run = study.progress()
    assert run.returncode == 0, run.stdout + run.stderr
    assert server.counts("every_boundary") == {"topics:s3": 1} and server.counts()["topics:s3"] == 1
    boundaries = json.loads(study.target("topics", "s3").read_text())["boundaries"]
    segments = json.loads(study.target("transcript", "s3").read_text())["segments"]
    assert 0 < len(boundaries) < len(segments) / 2


def test_cross_session_stages_say_why_they_have_nothing(tmp_path: Path, server: FakeLLMServer) -> None:
    folder = tmp_path / "garden"
    folder.mkdir()
    (folder / "p1.txt").write_text(
        "[00:01] [m1] Tell me how you plan your vegetable garden each spring.\n"
        "[00:05] [p1] I usually sketch the beds on paper first and then I really love choosing the seeds.\n"
        "[00:20] [m1] What gets in the way?\n"
        "[00:24] [p1] The weather mostly, and slugs, I hate how they eat every young lettuce overnight.\n",
        encoding="utf-8")
    study = Study.copy_of(tmp_path, folder)
    study.env = provider_env(server, "anthropic")
    run = study.progress()
    assert run.returncode == 0, run.stdout + run.stderr
    assert "clusters" not in server.counts()
    assert "no call made" in stage_line(run.stdout, "Grouped quotes into 0 sections")
    assert "is about a screen" in stage_line(run.stdout, "Grouped quotes into 0 sections")
    assert "no theme recurs" in stage_line(run.stdout, "Found 0 themes")


def test_a_run_that_ends_without_a_report_says_so_and_what_to_do(tmp_path: Path, server: FakeLLMServer) -> None:
    study = llm_study(tmp_path, server, "anthropic", BRISTLENOSE_LLM_CONCURRENCY="1")
    server.credit_after(3)
    run = study.progress()
    assert run.returncode == 1
    last = run.stdout.strip().splitlines()[-1]
    assert last.strip().startswith("No report written:") and "top up or switch provider" in last
    assert not (study.output / "bristlenose-study-report.html").exists()
