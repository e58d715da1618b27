"""What a researcher watching a run sees: nothing written onto the live line, signs of life
in a pipe and during transcription, and words that say what happened in this run."""

from __future__ import annotations

import re
import shutil
import signal
from pathlib import Path

from bristlenose.pipeline.heartbeat import Transcribing
from bristlenose.transcribe import WhisperOptions, engine, recognise
from tests.support.study import SAMPLE_DATA, Study, on_a_terminal, send

PLURAL_SLIP = re.compile(r"\b1 (participants|sections|themes|quotes|transcripts|topic boundaries)\b")


def visible_lines(raw: str) -> list[str]:
    """What a terminal shows of each line: the text after its last carriage return (the pty
    turns each newline into CR LF)."""
    return [line.rsplit("\r", 1)[-1].replace("\x1b[K", "") for line in raw.replace("\r\n", "\n").split("\n")]


def test_on_a_terminal_messages_start_on_a_cleared_line(tmp_path: Path) -> None:
    study = Study.copy_of(tmp_path)
    (study.input / "old notes.zip").write_bytes(b"PK")  # a skipped file: the render task names it
    code, seen = on_a_terminal(study.command(), study.process_env({"BRISTLENOSE_TEST_SLOW": "quotes:s3=2"}),
                               stderr_too=True)
    assert code == 0
    lines = visible_lines(seen)

    announced = [line for line in lines if "Analysing with" in line]
    skipped = [line for line in lines if "skipped old notes.zip" in line]
    assert announced and all(line.startswith("Analysing with") for line in announced), announced
    assert skipped and all(line.startswith("skipped old notes.zip") for line in skipped), skipped
    assert any(re.search(r"in flight: quotes:s3 \d", line) for line in seen.split("\r")), "no clock"


def test_through_a_pipe_a_plain_line_appears_during_long_work(study: Study) -> None:
    run = study.progress(env={"BRISTLENOSE_TEST_SLOW": "quotes:s3=12"})

    assert run.returncode == 0, run.stderr
    beats = [line for line in run.stdout.splitlines() if line.startswith("   … ")]
    assert beats and "in flight: quotes:s3" in beats[0]
    assert "\x1b" not in run.stdout


def test_a_forgotten_session_is_redone_not_new(study: Study) -> None:
    assert study.progress().returncode == 0
    assert study.progress("forget", "quotes:s2").returncode == 0

    again = study.progress()

    assert again.returncode == 0
    assert "(1 redone)" in again.stdout
    assert "new session" not in again.stdout


def test_a_single_session_is_counted_in_the_singular(tmp_path: Path) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(SAMPLE_DATA / "interview-04.txt", folder / "p1.txt")
    study = Study.copy_of(tmp_path, folder)

    run = study.progress()

    assert run.returncode == 0, run.stderr
    assert "Read 1 transcript " in run.stdout or "Read 1 transcript\n" in run.stdout
    assert not PLURAL_SLIP.search(run.stdout), run.stdout


def test_after_ctrl_c_the_summary_does_not_repeat_the_last_runs_totals(study: Study) -> None:
    first = study.progress()
    assert first.returncode == 0
    totals = first.stdout.strip().splitlines()[-1].rsplit(" · ", 1)[0]  # "N participants · … quotes"
    assert study.progress("forget", "quotes:s3").returncode == 0
    proc = study.start(env={"BRISTLENOSE_TEST_SLOW": "quotes:s3=30"})
    study.wait_for(lambda: study.calls("start")["quotes:s3"] == 1)

    _, out, _ = send(proc, signal.SIGINT)

    assert totals not in out
    assert re.search(r"Interrupted after [\d.ms ]+: 0 tasks finished in this run; the report was not updated", out)


def test_transcription_reports_how_much_of_the_recording_is_done() -> None:
    seen: list[tuple[str, float, float]] = []
    engine.listen(lambda name, done, total: seen.append((name, done, total)))
    try:
        recognition = recognise(SAMPLE_DATA / "interview-06.webm", "interview-06.webm", WhisperOptions())
    finally:
        engine.listen(None)

    assert seen[0] == ("interview-06.webm", 0.0, recognition.duration)
    done = [item[1] for item in seen]
    assert done == sorted(done) and len(seen) > 3
    assert done[-1] > 0.8 * recognition.duration
    progress = Transcribing()
    progress.update(*seen[len(seen) // 2])
    assert re.fullmatch(r"0:\d\d of 1:0\d \(\d+%\)", progress.describe())
