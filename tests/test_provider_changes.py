"""Provider changes said out loud: an offline draft is redone by an LLM (unless kept), a kept
target of another provider is named with the setting that redoes it, the estimate comes from
the inputs, and no provider is credited with a target it made without a call."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.server import FakeLLMServer
from tests.support.study import Study
from tests.test_llm_pipeline import ALL_CALLS, llm_study, meta, provider_env


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as fake:
        yield fake


def offline_study(tmp_path: Path) -> Study:
    study = Study.copy_of(tmp_path, provider="offline")
    assert study.doit().returncode == 0
    assert meta(study, "quotes", "s1")["provider"] == "offline"
    return study


def test_configuring_an_llm_redoes_the_offline_draft_and_says_so(tmp_path: Path, server: FakeLLMServer) -> None:
    study = offline_study(tmp_path)
    study.env = provider_env(server, "anthropic")
    run = study.doit()
    assert run.returncode == 0, run.stdout
    assert re.search(r"Redoing \d+ offline-analyser results with anthropic .*keep_offline_results=true", run.stderr)
    assert server.counts() == ALL_CALLS
    assert meta(study, "quotes", "s1")["provider"] == "anthropic"
    assert json.loads(study.intermediate("theme_groups").read_text())["_meta"]["provider"] == "anthropic"
    # s4 states its speakers' roles: no call was made, so no provider made that target
    assert meta(study, "speakers", "s4")["provider"] == "bristlenose"


def test_keep_offline_results_keeps_the_draft(tmp_path: Path, server: FakeLLMServer) -> None:
    study = offline_study(tmp_path)
    study.env = provider_env(server, "anthropic", BRISTLENOSE_KEEP_OFFLINE_RESULTS="true")
    run = study.doit()
    assert run.returncode == 0, run.stdout
    assert server.counts() == {}
    assert meta(study, "quotes", "s1")["provider"] == "offline"


def test_a_draft_of_an_older_offline_analyser_is_redone_by_the_current_one(tmp_path: Path) -> None:
    study = offline_study(tmp_path)
    target = study.target("quotes", "s2")
    body = json.loads(target.read_text())
    body["_meta"]["model"] = "bristlenose-offline-1"
    target.write_text(json.dumps(body))
    run = study.doit()
    assert run.returncode == 0, run.stdout
    assert "quotes:s2" in run.executed and "quotes:s1" not in run.executed
    assert meta(study, "quotes", "s2")["model"] == meta(study, "quotes", "s1")["model"] != "bristlenose-offline-1"


def test_kept_targets_of_another_provider_are_named_with_the_setting_that_redoes_them(
        tmp_path: Path, server: FakeLLMServer) -> None:
    study = llm_study(tmp_path, server, "anthropic")
    assert study.doit().returncode == 0
    server.reset_counts()
    study.env = provider_env(server, "openai")
    study.doit("forget", "quotes:s1")
    run = study.doit()
    assert run.returncode == 0, run.stdout
    lines = [line for line in run.stderr.splitlines() if "rerun_on_model_change=true" in line]
    assert len(lines) == 1 and "by anthropic (claude-sonnet-4-6)" in lines[0] and "openai" in lines[0]
    assert server.counts()["quotes:s1"] == 1 and "topics:s1" not in server.counts()


def estimate_line(run_stderr: str) -> str:
    return next(line for line in run_stderr.splitlines() if line.startswith("Remaining LLM work:"))


def test_the_estimate_is_the_same_before_and_after_transcripts_are_parsed(tmp_path: Path,
                                                                         server: FakeLLMServer) -> None:
    fresh = llm_study(tmp_path / "a", server, "anthropic")
    parsed = llm_study(tmp_path / "b", server, "anthropic")
    first = fresh.doit()
    assert parsed.doit("transcript").returncode == 0
    second = parsed.doit()
    assert first.returncode == second.returncode == 0
    assert estimate_line(first.stderr) == estimate_line(second.stderr)
    assert " 0 calls" not in estimate_line(first.stderr)


def test_an_unreachable_provider_suggests_the_offline_analyser(tmp_path: Path, server: FakeLLMServer) -> None:
    study = llm_study(tmp_path, server, "anthropic", ANTHROPIC_BASE_URL="http://127.0.0.1:9",
                      BRISTLENOSE_LLM_MAX_RETRIES="0")
    run = study.doit()
    assert run.returncode != 0
    assert "cannot connect to the API" in run.stdout and "llm_provider=offline" in run.stdout


def first_estimate(study: Study) -> int:
    """Input tokens of the estimate a run prints before its first call (the run is then stopped)."""
    proc = study.start()
    assert proc.stderr is not None
    try:
        line = next(line for line in proc.stderr if line.startswith("Remaining LLM work:"))
    finally:
        proc.kill()
        proc.communicate()
    return int(re.search(r"~([\d,]+) in", line).group(1).replace(",", ""))


def test_a_recording_not_yet_transcribed_is_estimated_from_its_length(tmp_path: Path,
                                                                     server: FakeLLMServer) -> None:
    without = llm_study(tmp_path / "a", server, "anthropic")
    with_recordings = Study.copy_of(tmp_path / "b", recordings=True)
    with_recordings.env = without.env
    added = first_estimate(with_recordings) - first_estimate(without)
    # 1.6 + 1.1 minutes of speech (~480 tokens) in 3 per-session calls, plus 2 more sessions' quotes in
    # the clusters and themes prompts (2,700): without the recordings' length they would count ~0
    assert 3_600 < added < 4_800, added
