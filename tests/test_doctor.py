"""``doit doctor``: the real doit in a subprocess, offline and against the fake LLM server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.server import FakeLLMServer
from tests.support.study import DoitRun, Study

SECRET = "sk-ant-doctor-test-0123456789abcdef"


@pytest.fixture
def sample(tmp_path: Path) -> Study:
    """The sample study with no provider forced: ``auto`` picks the offline analyser."""
    return Study.copy_of(tmp_path, provider="auto")


@pytest.fixture(scope="module")
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeLLMServer) -> FakeLLMServer:
    server.restore()
    server.reset_counts()
    return server


def lines(run: DoitRun) -> dict[str, str]:
    """``{check name: "✓ detail"}`` from the text output."""
    found = {}
    for line in run.stdout.splitlines():
        glyph, name, detail = line.split(maxsplit=2)
        found[name if name != "api" else "api key"] = f"{glyph} {detail.removeprefix('key').strip()}"
    return found


def anthropic_env(fake: FakeLLMServer) -> dict[str, str]:
    return {"BRISTLENOSE_LLM_PROVIDER": "anthropic", "ANTHROPIC_API_KEY": SECRET,
            "ANTHROPIC_BASE_URL": fake.anthropic_url, "BRISTLENOSE_LLM_MAX_RETRIES": "0"}


def test_sample_study_offline_passes(sample: Study) -> None:
    run = sample.doit("doctor")
    assert run.returncode == 0, run.stdout + run.stderr
    checks = lines(run)
    assert checks["input"] == f"✓ 4 sessions in {sample.input}"
    assert checks["output"] == f"✓ {sample.output} is writable"
    assert checks["disk"].startswith("✓ ") and "free" in checks["disk"]
    assert checks["provider"] == "✓ offline analyser (no API key set)"
    assert "whisper" not in checks and "api key" not in checks
    assert not [p for p in sample.state.iterdir() if p.name.startswith(".doctor-")]


def test_json_shape(sample: Study) -> None:
    run = sample.doit("doctor", "--json")
    assert run.returncode == 0, run.stderr
    state = json.loads(run.stdout)
    assert state["ok"] is True
    assert [c["name"] for c in state["checks"]] == ["input", "output", "disk", "provider"]
    for check in state["checks"]:
        assert set(check) == {"name", "status", "detail"} and check["status"] in ("ok", "warn", "fail")


def test_recordings_without_transcript_check_the_whisper_model(sample: Study) -> None:
    (sample.input / "interview-05.mp4").write_bytes(b"\0" * 16)
    (sample.input / "interview-06.m4a").write_bytes(b"\0" * 16)
    (sample.input / "notes.pdf").write_bytes(b"%PDF")
    run = sample.doit("doctor", "--json")
    assert run.returncode == 0, run.stderr
    checks = {c["name"]: c for c in json.loads(run.stdout)["checks"]}
    assert checks["input"]["detail"] == f"6 sessions in {sample.input}, 2 of them recordings only (1 file skipped)"
    assert checks["whisper"]["status"] == "ok" and checks["whisper"]["detail"].startswith("tiny.en from ")
    missing = sample.doit("doctor", env={"BRISTLENOSE_WHISPER_MODEL": "medium.en", "HF_HOME": str(sample.input)})
    assert missing.returncode == 1
    assert "✗ whisper   whisper_model='medium.en' is not on this machine" in missing.stdout


def test_missing_input_folder_fails(tmp_path: Path) -> None:
    study = Study(input=tmp_path / "nowhere", call_log=tmp_path / "calls.jsonl", env={})
    run = study.doit("doctor", "--json")
    assert run.returncode == 1, run.stdout + run.stderr
    state = json.loads(run.stdout)
    assert state["ok"] is False and state["checks"][0]["name"] == "input"
    assert "does not exist" in state["checks"][0]["detail"]


def test_anthropic_without_key_names_the_variable(sample: Study) -> None:
    run = sample.doit("doctor", env={"BRISTLENOSE_LLM_PROVIDER": "anthropic"})
    assert run.returncode == 1, run.stdout + run.stderr
    checks = lines(run)
    assert checks["provider"] == "✓ anthropic (claude-sonnet-4-6)"
    assert checks["api key"].startswith("✗ ") and "ANTHROPIC_API_KEY" in checks["api key"]


def test_key_is_not_tried_without_check_key(sample: Study, fake: FakeLLMServer) -> None:
    run = sample.doit("doctor", env=anthropic_env(fake))
    assert run.returncode == 0, run.stdout + run.stderr
    assert lines(run)["api key"].startswith("✓ ANTHROPIC_API_KEY is set (not tried")
    assert fake.calls == []
    assert SECRET not in run.stdout + run.stderr


@pytest.mark.parametrize("endpoint", ["anthropic", "openai"])
def test_check_key_accepted(sample: Study, fake: FakeLLMServer, endpoint: str) -> None:
    env = anthropic_env(fake) if endpoint == "anthropic" else {
        "BRISTLENOSE_LLM_PROVIDER": "openai", "OPENAI_API_KEY": SECRET, "OPENAI_BASE_URL": fake.openai_url}
    run = sample.doit("doctor", "--check-key", env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    label = "Anthropic" if endpoint == "anthropic" else "OpenAI"
    assert lines(run)["api key"] == f"✓ {endpoint.upper()}_API_KEY accepted by {label}"
    assert [(c.endpoint, c.task, c.outcome) for c in fake.calls] == [(endpoint, "models", "ok")]
    assert SECRET not in run.stdout + run.stderr


def test_check_key_rejected(sample: Study, fake: FakeLLMServer) -> None:
    fake.inject("auth", task="models")
    run = sample.doit("doctor", "--check-key", "--json", env=anthropic_env(fake))
    assert run.returncode == 1, run.stdout + run.stderr
    state = json.loads(run.stdout)
    key = state["checks"][-1]
    assert state["ok"] is False and key["name"] == "api key" and key["status"] == "fail"
    assert "API key rejected (HTTP 401)" in key["detail"]
    assert SECRET not in run.stdout + run.stderr


def test_check_key_cannot_connect(sample: Study, fake: FakeLLMServer) -> None:
    env = {**anthropic_env(fake), "ANTHROPIC_BASE_URL": "http://127.0.0.1:9"}
    run = sample.doit("doctor", "--check-key", env=env)
    assert run.returncode == 1, run.stdout + run.stderr
    assert lines(run)["api key"].startswith("✗ Anthropic: cannot connect to the API")
