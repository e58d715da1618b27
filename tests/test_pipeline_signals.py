"""Real signals in a subprocess: a run interrupted mid-stage resumes with only what was unfinished."""

from __future__ import annotations

import json
import signal

import pytest

from tests.support.state import recorded_done
from tests.support.study import Study, send

FINISHED_QUOTES = {"quotes:s1", "quotes:s2", "quotes:s4"}
# s4 is in bristlenose's own format, whose [m1]/[p1] codes state the roles: no speakers call
# everything that can finish while quotes:s3 is stuck
SETTLED = FINISHED_QUOTES | {"participants", "topic_boundaries"}
SPEAKER_CALLS = {"speakers:s1": 1, "speakers:s2": 1, "speakers:s3": 1}


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_signal_during_quotes_redoes_only_unfinished(study: Study, sig: signal.Signals) -> None:
    proc = study.start(env={"BRISTLENOSE_TEST_SLOW": "quotes:s3=60"})
    dep_file = study.state / "doit.sqlite"
    study.wait_for(lambda: SETTLED <= recorded_done(dep_file) and study.calls("start")["quotes:s3"] == 1)
    code, _, err = send(proc, sig)
    assert code != 0
    if sig is not signal.SIGKILL:
        assert "Run `doit` again to resume" in err
        assert "Traceback" not in err
    assert not study.target("quotes", "s3").exists()
    assert study.calls() == {**SPEAKER_CALLS, **{f"topics:s{n}": 1 for n in range(1, 5)},
                             **{c: 1 for c in FINISHED_QUOTES}}

    study.reset_calls()
    resumed = study.doit()
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.executed == {"quotes:s3", "extracted_quotes", "clusters", "themes", "render"}
    assert study.calls() == {"quotes:s3": 1, "clusters": 1, "themes": 1}
    for session in ("s1", "s2", "s3", "s4"):
        assert json.loads(study.target("quotes", session).read_text())["session_id"] == session


def events(study: Study) -> list[dict]:
    path = study.state / "pipeline-events.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=lambda s: s.name)
def test_kill_leaves_an_honest_manifest_and_event_log(study: Study, sig: signal.Signals) -> None:
    proc = study.start(env={"BRISTLENOSE_TEST_SLOW": "quotes:s3=60"})
    dep_file = study.state / "doit.sqlite"
    study.wait_for(lambda: SETTLED <= recorded_done(dep_file) and study.calls("start")["quotes:s3"] == 1)
    send(proc, sig)
    manifest = json.loads((study.state / "pipeline-manifest.json").read_text())
    quotes = manifest["stages"]["quotes"]
    complete = {sid for sid, record in quotes["sessions"].items() if record["status"] == "complete"}
    assert complete == {"s1", "s2", "s4"}
    assert quotes["status"] == "partial"
    for sid in complete:
        assert json.loads(study.target("quotes", sid).read_text())["session_id"] == sid
    if sig is signal.SIGINT:
        assert [(e["event"], e["cause"]) for e in events(study)] == [("started", None), ("cancelled", "interrupted")]
    else:
        assert [e["event"] for e in events(study)] == ["started"]
        assert study.doit("--reporter=bristlenose").returncode == 0
        assert [(e["event"], e["cause"]) for e in events(study)] == [
            ("started", None), ("failed", "stranded"), ("started", None), ("completed", None)]


def test_a_second_run_is_refused_while_the_first_finishes_untouched(study: Study) -> None:
    first = study.start(env={"BRISTLENOSE_TEST_SLOW": "quotes:s3=3"})
    study.wait_for(lambda: study.calls("start")["quotes:s3"] == 1)
    second = study.progress()
    assert second.returncode == 2
    assert f"pid {first.pid}" in second.stderr and "another bristlenose run" in second.stderr
    out, err = first.communicate(timeout=60)
    assert first.returncode == 0, out + err
    assert [e["event"] for e in events(study)] == ["started", "completed"]
    assert study.doit().executed == set()
