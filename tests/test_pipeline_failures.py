"""Failures: a session the provider fails on, bad input files, damaged targets."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

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
    assert study.doit().executed == set()


def _session_names(study: Study) -> dict[str, str]:
    names = {}
    for path in (study.state / "sessions").glob("*/transcript.json"):
        body = json.loads(path.read_text())
        names[body["session_id"]] = body["name"]
    return names


def test_unreadable_inputs_fail_every_run_until_fixed_without_reparsing_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "unreadable"
    folder.mkdir()
    shutil.copy(SAMPLE_DATA / "interview-01_Recording.transcript.vtt", folder / "good.vtt")
    (folder / "empty.vtt").write_bytes(b"")
    shutil.copy(SAMPLE_DATA / "interview-03 - Transcript.docx", folder / "word.vtt")
    study = Study.copy_of(tmp_path, folder)
    for _ in range(2):
        run = study.progress()
        assert run.returncode == 1, run.stdout + run.stderr
        line = next(line for line in run.stdout.splitlines() if "Read " in line)
        assert line.lstrip().startswith("⚠") and "2 unreadable" in line
        assert "empty.vtt" in run.stdout and "word.vtt" in run.stdout
        assert "not analysed: replace or remove the unreadable file" in run.stdout
        assert (study.output / "bristlenose-study-report.html").exists()
        transcripts = json.loads(study.doit("status", "--json").stdout)["stages"]["transcript"]
        assert transcripts["status"] == "failed"
        errors = {sid: s["error"] for sid, s in transcripts["sessions"].items() if s["status"] == "failed"}
        names = _session_names(study)
        assert sorted(names[sid] for sid in errors) == ["empty", "word"]
        manifest = json.loads((study.state / "pipeline-manifest.json").read_text())
        assert {sid for sid, s in manifest["stages"]["transcript"]["sessions"].items()
                if s["status"] == "failed"} == set(errors)
    assert study.doit().executed == set()

    shutil.copy(SAMPLE_DATA / "interview-02.srt", study.input / "word.srt")
    (study.input / "word.vtt").unlink()
    (study.input / "empty.vtt").write_text((SAMPLE_DATA / "interview-01_Recording.transcript.vtt").read_text())
    fixed = study.doit()
    assert {name for name in fixed.executed if name.startswith("transcript:")} == {
        f"transcript:{sid}" for sid, name in _session_names(study).items() if name in ("empty", "word")}
    assert study.progress().returncode == 0


@pytest.mark.parametrize("files", [{}, {"notes.pdf": b"%PDF-1.4", "photo.jpg": b"\xff\xd8\xff"}])
def test_folder_with_nothing_to_analyse_exits_1_with_the_doctors_message_and_no_report(
        tmp_path: Path, files: dict[str, bytes]) -> None:
    folder = tmp_path / "nothing"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    study = Study.copy_of(tmp_path, folder)
    doctor = study.doit("doctor")
    message = next(line for line in doctor.stdout.splitlines() if "input" in line).split("input", 1)[1].strip()
    for _ in range(2):
        run = study.progress()
        assert run.returncode == 1, run.stdout + run.stderr
        assert message in run.stdout
        assert "No report written" in run.stdout and "Traceback" not in run.stdout + run.stderr
        assert not list(study.output.glob("*.html")) and not (study.output / "quotes.csv").exists()
