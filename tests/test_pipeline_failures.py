"""Failures: a session the provider fails on, bad input files, damaged targets."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tests.support.study import SAMPLE_DATA, Study

DOWNSTREAM = {"extracted_quotes", "clusters", "themes", "render"}


def test_failed_session_keeps_the_others_and_is_retried_alone(study: Study) -> None:
    failing = study.doit(env={"BRISTLENOSE_TEST_FAIL": "quotes:s3"})
    assert failing.returncode != 0
    assert failing.failed == {"quotes:s3"}
    assert not study.target("quotes", "s3").exists()
    for session in ("s1", "s2", "s4"):
        assert study.target("quotes", session).exists()
    assert "test provider refuses quotes:s3" in failing.stdout

    study.reset_calls()
    retried = study.doit()
    assert retried.returncode == 0, retried.stderr
    assert retried.executed == {"quotes:s3"} | DOWNSTREAM
    assert study.calls() == {"quotes:s3": 1, "clusters": 1, "themes": 1}


def test_failure_is_never_recorded_as_success(study: Study) -> None:
    assert study.doit(env={"BRISTLENOSE_TEST_FAIL": "quotes:s3"}).returncode != 0
    assert study.doit(env={"BRISTLENOSE_TEST_FAIL": "quotes:s3"}).failed == {"quotes:s3"}
    assert study.calls("fail") == {"quotes:s3": 2}


def test_half_written_target_is_redone(study: Study) -> None:
    assert study.doit().returncode == 0
    target = study.target("quotes", "s2")
    text = target.read_text()
    target.write_text(text[: len(text) // 2])
    study.reset_calls()
    again = study.doit()
    assert "quotes:s2" in again.executed
    assert study.calls()["quotes:s2"] == 1
    assert json.loads(target.read_text())["session_id"] == "s2"


def test_bad_input_files_are_named_and_the_other_sessions_complete(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    shutil.copy(SAMPLE_DATA / "interview-01_Recording.transcript.vtt", folder / "good.vtt")
    shutil.copy(SAMPLE_DATA / "interview-01_Recording.transcript.vtt", folder / "Entrevista Zoë 5.vtt")
    (folder / "empty.vtt").write_bytes(b"")
    (folder / "junk.vtt").write_bytes(os.urandom(4096))
    (folder / "notzip.docx").write_bytes(b"this is not a word document")
    (folder / "notes.zip").write_bytes(b"PK\x03\x04")
    study = Study.copy_of(tmp_path, folder)
    run = study.doit()
    assert run.returncode == 0, run.stderr
    errors = {}
    for path in sorted((study.state / "sessions").glob("*/transcript.json")):
        body = json.loads(path.read_text())
        errors[body["name"]] = body["error"]
    assert errors["good"] is None and errors["Entrevista Zoë 5"] is None
    assert "empty.vtt" in errors["empty"] and "empty" in errors["empty"].lower()
    assert "junk.vtt" in errors["junk"]
    assert "notzip.docx" in errors["notzip"] and "zip" in errors["notzip"]
    report = (study.output / "bristlenose-study-report.html").read_text()
    for name in ("empty.vtt", "junk.vtt", "notzip.docx", "notes.zip"):
        assert name in report
    assert "Traceback" not in run.stdout + run.stderr
    assert "skipped notes.zip: unsupported file type .zip" in run.stderr
    for name in ("empty.vtt", "junk.vtt", "notzip.docx"):
        assert name in run.stderr
    quotes = json.loads(study.intermediate("extracted_quotes").read_text())["quotes"]
    assert {q["session_id"] for q in quotes} == {
        sid for sid, name in _session_names(study).items() if name in ("good", "Entrevista Zoë 5")}
    again = study.doit()
    assert again.returncode == 0 and again.executed == set()


def _session_names(study: Study) -> dict[str, str]:
    names = {}
    for path in (study.state / "sessions").glob("*/transcript.json"):
        body = json.loads(path.read_text())
        names[body["session_id"]] = body["name"]
    return names
