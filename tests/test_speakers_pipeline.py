"""The speakers stage's two prompts in the build: a recording with speakers known only by
voice is asked with ``speakers_voices``, a transcript file as before, and a target made
with either prompt stays current (finished sessions are not paid for again)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bristlenose.pipeline.stages import stage_logic, stage_logics
from bristlenose.pipeline.targets import input_hash, write_target
from bristlenose.pipeline.uptodate import TargetCurrent
from bristlenose.models import OutputMeta, Transcript
from tests.fakes.server import FakeLLMServer
from tests.support.study import SAMPLE_DATA, Study


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as fake:
        yield fake


def test_a_recording_is_asked_with_the_voices_prompt_and_a_transcript_file_as_before(
        tmp_path: Path, server: FakeLLMServer) -> None:
    folder = tmp_path / "input"
    folder.mkdir()
    for name in ("interview-01_Recording.transcript.vtt", "interview-06.webm"):
        shutil.copy(SAMPLE_DATA / name, folder / name)
    study = Study.copy_of(tmp_path, folder, recordings=True)
    study.env = {"BRISTLENOSE_LLM_PROVIDER": "anthropic", "ANTHROPIC_API_KEY": "sk-ant-test",
                 "ANTHROPIC_BASE_URL": server.anthropic_url}
    run = study.doit()
    assert run.returncode == 0, run.stdout + run.stderr
    logic = {}
    for path in (study.state / "sessions").glob("*/speakers.json"):
        body = json.loads(path.read_text(encoding="utf-8"))
        logic[body["name"]] = body["_meta"]["logic_version"]
        if body["name"] == "interview-06":
            assert body["diarisation"]["confidence"] >= 0.7
            assert {s["label"] for s in body["speakers"]} == {"Speaker A", "Speaker B"}
    assert logic == {"interview-01": "speakers@1/1", "interview-06": "speakers_voices@1/1"}
    assert server.counts()["speakers:s1"] == server.counts()["speakers:s2"] == 1
    again = study.doit()
    assert again.returncode == 0 and again.executed == set()


def test_a_speakers_target_from_either_prompt_is_current_and_from_another_version_is_not(tmp_path: Path) -> None:
    transcript = tmp_path / "transcript.json"
    transcript.write_text("{}", encoding="utf-8")
    target = tmp_path / "speakers.json"
    check = TargetCurrent(target, Transcript, stage_logics("speakers"), (transcript,))
    for logic, current in ((stage_logic("speakers"), True), (stage_logic("speakers", "speakers_voices"), True),
                           ("speakers_voices@0/1", False), ("speakers@1/0", False)):
        meta = OutputMeta(stage="speakers", session_id="s1", logic_version=logic, input_hash=input_hash([transcript]),
                          provider="anthropic", model="m", completed_at=datetime.now(timezone.utc))
        write_target(target, meta, Transcript(session_id="s1", name="x", sources=[]))
        # a record from before the target was rewritten: the check reads the target's _meta
        assert check.current("speakers:s1", {"target": None}) is current, logic
