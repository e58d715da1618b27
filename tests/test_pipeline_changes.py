"""Changing the study between runs: added, edited and removed interviews; provider switches."""

from __future__ import annotations

import json
import shutil

from tests.support.study import Study

CROSS = {"participants", "topic_boundaries", "extracted_quotes", "clusters", "themes", "render"}
SRT = "interview-02.srt"


def ids(study: Study) -> dict[str, str]:
    return json.loads((study.state / "sessions.json").read_text())["sessions"]


def test_adding_a_transcript_adds_one_chain_and_keeps_every_id(study: Study) -> None:
    assert study.doit().returncode == 0
    before = ids(study)
    shutil.copy(study.input / SRT, study.input / "interview-05.srt")
    study.reset_calls()
    run = study.doit()
    assert run.returncode == 0, run.stderr
    assert run.executed == {"transcript:s5", "speakers:s5", "redact:s5", "topics:s5", "quotes:s5"} | CROSS
    assert study.calls() == {"speakers:s5": 1, "topics:s5": 1, "quotes:s5": 1, "clusters": 1, "themes": 1}
    after = ids(study)
    assert {k: v for k, v in after.items() if k in before} == before


def test_editing_a_transcript_redoes_only_its_chain(study: Study) -> None:
    assert study.doit().returncode == 0
    path = study.input / SRT
    path.write_text(path.read_text(encoding="utf-8").replace("basket", "trolley"), encoding="utf-8")
    study.reset_calls()
    run = study.doit()
    assert run.returncode == 0, run.stderr
    assert run.executed == {"transcript:s2", "speakers:s2", "redact:s2", "topics:s2", "quotes:s2"} | CROSS
    assert study.calls() == {"speakers:s2": 1, "topics:s2": 1, "quotes:s2": 1, "clusters": 1, "themes": 1}


def test_touching_a_transcript_without_changing_it_redoes_nothing(study: Study) -> None:
    assert study.doit().returncode == 0
    (study.input / SRT).touch()
    study.reset_calls()
    run = study.doit()
    assert run.executed == set()
    assert study.calls() == {}


def test_removing_a_transcript_drops_its_quotes_from_merges_and_report(study: Study) -> None:
    assert study.doit().returncode == 0
    removed_quotes = json.loads(study.target("quotes", "s2").read_text())["quotes"]
    assert removed_quotes
    (study.input / SRT).unlink()
    study.reset_calls()
    run = study.doit()
    assert run.returncode == 0, run.stderr
    assert run.executed == CROSS
    assert study.calls() == {"clusters": 1, "themes": 1}
    merged = json.loads(study.intermediate("extracted_quotes").read_text())["quotes"]
    assert {q["session_id"] for q in merged} == {"s1", "s3", "s4"}
    report = (study.output / "bristlenose-study-report.html").read_text()
    assert removed_quotes[0]["text"] not in report
    assert not (study.output / "sessions" / "transcript_s2.html").exists()
    assert ids(study)["interview-04"] == "s4"


def test_switching_provider_reruns_nothing_finished(study: Study) -> None:
    assert study.doit().returncode == 0
    run = study.doit(env={"BRISTLENOSE_LLM_PROVIDER": "offline"})
    assert run.returncode == 0, run.stderr
    assert run.executed == set()
    meta = json.loads(study.target("quotes", "s1").read_text())["_meta"]
    assert (meta["provider"], meta["model"]) == ("counting", "counting-1")


def test_rerun_on_model_change_redoes_analysis_stages(study: Study) -> None:
    assert study.doit().returncode == 0
    study.reset_calls()
    run = study.doit(env={"BRISTLENOSE_LLM_MODEL": "counting-2", "BRISTLENOSE_RERUN_ON_MODEL_CHANGE": "true"})
    assert run.returncode == 0, run.stderr
    analysis = {f"{stage}:s{n}" for stage in ("speakers", "topics", "quotes") for n in range(1, 5)}
    analysis |= {"clusters", "themes"}
    assert analysis <= run.executed
    assert not any(name.startswith("transcript:") for name in run.executed)
    # s4's speakers are given as codes, so its speakers task runs without asking the provider
    assert study.calls() == {name: 1 for name in analysis - {"speakers:s4"}}
    meta = json.loads(study.target("quotes", "s1").read_text())["_meta"]
    assert meta["model"] == "counting-2"
