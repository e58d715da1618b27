"""Recordings through the real doit: transcribed once, never again for a touch, again for new
content (that session only); bad media named per session while the others complete; an
unavailable Whisper model named by its setting."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
from pathlib import Path

from doit.tools import config_changed

from bristlenose.pipeline.uptodate import settings_digest
from tests.support.media import pcm_wav, tone_m4a, video_without_audio
from tests.support.study import SAMPLE_DATA, Study


def _study(tmp_path: Path, *files: str) -> Study:
    """A study of the named sample files."""
    folder = tmp_path / "input"
    folder.mkdir()
    for name in files:
        shutil.copy(SAMPLE_DATA / name, folder / name)
    return Study.copy_of(tmp_path, folder, recordings=True)


def _transcripts(study: Study) -> dict[str, dict]:
    """Each session's transcript target by session name."""
    found = {}
    for path in (study.state / "sessions").glob("*/transcript.json"):
        body = json.loads(path.read_text())
        found[body["name"]] = body
    return found


def test_video_session_is_transcribed_and_analysed_with_no_ffmpeg_on_path(tmp_path: Path) -> None:
    study = _study(tmp_path, "interview-04.txt", "interview-06.webm")
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    assert shutil.which("ffmpeg", path=str(empty_bin)) is None
    run = study.doit(env={"PATH": str(empty_bin)})
    assert run.returncode == 0, run.stderr
    video = _transcripts(study)["interview-06"]
    assert video["error"] is None and len(video["segments"]) == 9
    assert (video["_meta"]["provider"], video["_meta"]["model"]) == ("faster-whisper", "tiny.en")
    assert {s["kind"] for s in video["sources"]} == {"media"}
    assert study.calls()[f"quotes:{video['session_id']}"] == 1
    quotes = json.loads(study.intermediate("extracted_quotes").read_text())["quotes"]
    assert any(q["session_id"] == video["session_id"] for q in quotes)


def test_recordings_are_transcribed_once_and_again_only_when_their_content_changes(tmp_path: Path) -> None:
    study = _study(tmp_path, "interview-04.txt", "interview-05.mp3", "interview-06.webm")
    first = study.doit()
    assert first.returncode == 0, first.stderr
    ids = {name: body["session_id"] for name, body in _transcripts(study).items()}
    assert {f"transcript:{ids[n]}" for n in ids} <= first.executed

    assert study.doit().executed == set()

    later = os.stat(study.input / "interview-05.mp3").st_mtime + 3600
    for name in ("interview-05.mp3", "interview-06.webm"):
        os.utime(study.input / name, (later, later))
    assert study.doit().executed == set()

    with (study.input / "interview-05.mp3").open("ab") as handle:
        handle.write(b"\0" * 4096)
    changed = study.doit()
    assert changed.returncode == 0, changed.stderr
    assert {task for task in changed.executed if task.startswith("transcript:")} == {f"transcript:{ids['interview-05']}"}


def test_a_recording_beside_a_transcript_is_kept_for_playback_not_transcribed(tmp_path: Path) -> None:
    folder = tmp_path / "input"
    folder.mkdir()
    shutil.copy(SAMPLE_DATA / "interview-04.txt", folder / "interview-04.txt")
    pcm_wav(folder / "interview-04.wav", seconds=1)
    study = Study.copy_of(tmp_path, folder, recordings=True)
    assert study.doit().returncode == 0
    body = _transcripts(study)["interview-04"]
    assert body["_meta"]["provider"] == "bristlenose"
    assert {(s["path"], s["kind"]) for s in body["sources"]} == {("interview-04.txt", "transcript"),
                                                                ("interview-04.wav", "media")}


def test_bad_recordings_are_named_outcomes_and_the_other_sessions_complete(tmp_path: Path) -> None:
    folder = tmp_path / "input"
    folder.mkdir()
    shutil.copy(SAMPLE_DATA / "interview-04.txt", folder / "good.txt")
    (folder / "empty.mp3").write_bytes(b"")
    (folder / "notes.mp3").write_text("These are my notes, not a recording.\n" * 20)
    whole = tone_m4a(tmp_path / "whole.m4a").read_bytes()
    (folder / "broken.m4a").write_bytes(whole[:len(whole) // 2])
    video_without_audio(folder / "screen.mp4")
    pcm_wav(folder / "quiet.wav")
    video = (SAMPLE_DATA / "interview-06.webm").read_bytes()
    (folder / "cut.webm").write_bytes(video[:len(video) * 2 // 5])
    study = Study.copy_of(tmp_path, folder, recordings=True)

    run = study.doit()
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    found = _transcripts(study)
    errors = {name: body["error"] for name, body in found.items()}
    assert errors["empty"] == "empty.mp3 is empty (0 bytes)"
    assert errors["notes"].startswith("notes.mp3 is damaged or not a recording")
    assert errors["broken"].startswith("broken.m4a is damaged or not a recording")
    assert errors["screen"] == "screen.mp4 has no audio track"
    assert errors["quiet"] is None and found["quiet"]["note"] == "no speech found in quiet.wav"
    assert found["quiet"]["segments"] == []
    assert errors["cut"] is None and "cut.webm looks truncated" in found["cut"]["note"]
    assert found["cut"]["segments"]
    for name in ("empty.mp3", "notes.mp3", "broken.m4a", "screen.mp4"):
        assert name in run.stderr
    assert errors["good"] is None
    quoted = {q["session_id"] for q in json.loads(study.intermediate("extracted_quotes").read_text())["quotes"]}
    assert found["good"]["session_id"] in quoted
    assert not quoted & {found[n]["session_id"] for n in ("empty", "notes", "broken", "screen", "quiet")}

    again = study.doit()
    assert again.returncode == 0 and again.executed == set()
    assert found["good"]["session_id"] in {
        q["session_id"] for q in json.loads(study.intermediate("extracted_quotes").read_text())["quotes"]}


def test_a_whisper_model_that_is_not_on_this_machine_is_named_not_downloaded(tmp_path: Path) -> None:
    study = _study(tmp_path, "interview-04.txt", "interview-06.webm")
    hub = tmp_path / "hf-home"
    run = study.progress(env={"BRISTLENOSE_WHISPER_MODEL": "small.en", "HF_HOME": str(hub),
                              "HF_HUB_OFFLINE": "0"})
    assert run.returncode == 1
    assert "whisper_model='small.en' is not on this machine" in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert not (hub / "hub").exists() or not any((hub / "hub").iterdir())
    found = _transcripts(study)
    assert "interview-06" not in found
    assert found["interview-04"]["error"] is None


def test_sigkill_during_transcription_redoes_only_the_unfinished_recording(tmp_path: Path) -> None:
    study = _study(tmp_path, "interview-04.txt", "interview-05.mp3", "interview-06.webm")
    study.env["BRISTLENOSE_CPU_WORKERS"] = "1"  # in the doit process recordings are chained: s2, then s3
    proc = study.start()
    first = study.target("transcript", "s2")
    study.wait_for(first.exists, timeout=120)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert not study.target("transcript", "s3").exists()
    resumed = study.doit()
    assert resumed.returncode == 0, resumed.stderr
    assert {task for task in resumed.executed if task.startswith("transcript:")} == {"transcript:s3"}
    assert _transcripts(study)["interview-06"]["segments"]


def test_a_transcribed_recording_whose_record_was_lost_is_adopted_unless_its_whisper_settings_changed(
        tmp_path: Path) -> None:
    """A kill between the rename and the commit leaves a transcript without a record: kept when
    it was made with the current Whisper options, transcribed again when they changed."""
    study = _study(tmp_path, "interview-05.mp3")
    assert study.doit().returncode == 0
    lose_record = "delete from doit where task_id='transcript:s1'"

    with sqlite3.connect(study.state / "doit.sqlite") as conn:
        assert conn.execute(lose_record).rowcount == 1
    kept = study.doit()
    with sqlite3.connect(study.state / "doit.sqlite") as conn:
        assert conn.execute(lose_record).rowcount == 1
    changed = study.doit(env={"BRISTLENOSE_WHISPER_BEAM_SIZE": "4"})

    assert kept.returncode == 0 and "transcript:s1" not in kept.executed
    assert changed.returncode == 0 and "transcript:s1" in changed.executed


def test_the_settings_digest_is_the_one_doit_config_changed_records() -> None:
    shaping = {"model": "tiny.en", "language": "en", "compute_type": "auto", "beam_size": 5, "turn_pause": 1.0}
    check = config_changed(shaping)
    assert check(None, {}) is False  # computes its digest
    assert check.config_digest == settings_digest(shaping)


def test_a_transcript_rewritten_by_an_older_version_keeps_its_record_and_is_not_transcribed_again(
        tmp_path: Path) -> None:
    """The target changed on disk (here: its _meta without the options digest, as bristlenose
    wrote it before) while its record is there: the record is refreshed with what the Whisper
    options check saved in it, not dropped."""
    study = _study(tmp_path, "interview-05.mp3")
    assert study.doit().returncode == 0
    target = study.target("transcript", "s1")
    body = json.loads(target.read_text())
    del body["_meta"]["shaping"]
    target.write_text(json.dumps(body), encoding="utf-8")

    again = study.doit()

    assert again.returncode == 0 and "transcript:s1" not in again.executed
    assert study.doit().executed == set()
