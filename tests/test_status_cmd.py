"""``doit status``: the real doit, on a half-finished copy of the sample study."""

from __future__ import annotations

import json

import pytest

from tests.support.knobs import FAIL
from tests.support.study import Study


@pytest.fixture(scope="module")
def half_done(tmp_path_factory: pytest.TempPathFactory) -> Study:
    """The sample study after a run in which quotes:s3 failed (so nothing downstream ran)."""
    study = Study.copy_of(tmp_path_factory.mktemp("status"))
    run = study.doit(env={FAIL: "quotes:s3"})
    assert "quotes:s3" in run.failed, run.stdout + run.stderr
    return study


def by_status(stage: dict) -> dict[str, set[str]]:
    grouped: dict[str, set[str]] = {}
    for sid, record in stage["sessions"].items():
        assert record["session_id"] == sid
        grouped.setdefault(record["status"], set()).add(sid)
    return grouped


def status_json(study: Study, *args: str) -> dict:
    run = study.doit("status", "--json", *args)
    assert run.returncode == 0, run.stdout + run.stderr
    return json.loads(run.stdout)


def test_json_lists_each_stage_and_session_state(half_done: Study) -> None:
    state = status_json(half_done)
    stages = state["stages"]
    assert list(stages) == ["transcript", "speakers", "redact", "topics", "quotes", "participants", "topic_boundaries",
                            "extracted_quotes", "clusters", "themes", "render"]
    for stage in ("transcript", "speakers", "topics"):
        assert stages[stage]["status"] == "complete"
        assert by_status(stages[stage]) == {"complete": {"s1", "s2", "s3", "s4"}}
    quotes = by_status(stages["quotes"])
    assert quotes.pop("complete") == {"s1", "s2", "s4"}
    assert set(quotes) <= {"pending", "failed"} and set().union(*quotes.values()) == {"s3"}
    assert stages["quotes"]["status"] in ("partial", "failed")
    s1 = stages["quotes"]["sessions"]["s1"]
    assert (s1["provider"], s1["model"]) == ("counting", "counting-1") and s1["completed_at"]
    assert stages["quotes"]["sessions"]["s3"]["completed_at"] is None
    for stage in ("extracted_quotes", "clusters", "themes", "render"):
        assert stages[stage]["status"] == "pending" and stages[stage]["sessions"] is None
    assert state["output"] == str(half_done.output)


def test_status_reads_the_targets_not_just_the_manifest(half_done: Study) -> None:
    """A target deleted behind the manifest's back is pending at once; status writes nothing."""
    target = half_done.target("quotes", "s2")
    saved = target.read_bytes()
    manifest = half_done.state / "pipeline-manifest.json"
    before = manifest.read_bytes() if manifest.exists() else None
    target.unlink()
    try:
        quotes = status_json(half_done, "quotes")["stages"]
        assert list(quotes) == ["quotes"]
        assert by_status(quotes["quotes"])["complete"] == {"s1", "s4"}
    finally:
        target.write_bytes(saved)
    assert (manifest.read_bytes() if manifest.exists() else None) == before


def test_table_shows_stages_and_sessions(half_done: Study) -> None:
    run = half_done.doit("status")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("quotes "))
    assert lines[start].split()[1] in ("partial", "failed") and "3/4 sessions complete" in lines[start]
    sessions = {line.split()[0]: line.split()[1:] for line in lines[start + 1:start + 5]}
    assert sessions["s1"][:3] == ["complete", "counting", "counting-1"]
    assert sessions["s3"][0] in ("pending", "failed")
    assert next(line for line in lines if line.startswith("clusters ")).split()[1] == "pending"


def test_unknown_stage_is_a_clear_error(half_done: Study) -> None:
    run = half_done.doit("status", "nonsense")
    assert run.returncode == 3
    assert "not a stage: nonsense" in run.stderr
