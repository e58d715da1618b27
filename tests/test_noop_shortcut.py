"""A plain run over a study doit last found complete answers without making a task, and any
change since (an interview, a target, a setting, the people file, ``doit forget``) goes the
normal way, where doit decides what to redo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bristlenose.pipeline.shortcut import RECORD_NAME, plain_run_args
from tests.support.study import REPO, Study

STUDIES = REPO / "tests" / "studies"
ANSWERED = "nothing changed since the last run"


@pytest.fixture
def settled(tmp_path: Path) -> Study:
    """A study built, then found complete by doit once (which records the no-op)."""
    study = Study.copy_of(tmp_path, STUDIES / "banking")
    assert study.progress().returncode == 0
    found = study.progress()
    assert found.returncode == 0 and ANSWERED not in found.stdout
    assert (study.state / RECORD_NAME).exists()
    study.reset_calls()
    return study


def sessions_called(study: Study) -> set[str]:
    """Sessions whose per-session stages asked the provider in the last run."""
    return {call.split(":", 1)[1] for call in study.calls() if ":" in call}


def summary_free(stdout: str) -> list[str]:
    """The stage lines of a run's output, without its last (summary) line."""
    return stdout.rstrip("\n").splitlines()[:-1]


def test_unchanged_study_is_answered_with_the_lines_doit_printed(tmp_path: Path) -> None:
    study = Study.copy_of(tmp_path, STUDIES / "banking")
    study.progress()
    found_by_doit = study.progress()
    study.reset_calls()

    answered = study.progress()

    assert ANSWERED not in found_by_doit.stdout
    assert answered.returncode == 0 and ANSWERED in answered.stdout
    assert summary_free(answered.stdout) == summary_free(found_by_doit.stdout)
    assert "✓ Extracted" in answered.stdout and "(cached)" in answered.stdout
    assert study.calls() == {}


def test_edited_interview_takes_doits_path_and_redoes_only_its_session(settled: Study) -> None:
    path = settled.input / "session-2.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("window cleaner", "gardener"), encoding="utf-8")

    run = settled.progress()

    assert run.returncode == 0 and ANSWERED not in run.stdout
    assert sessions_called(settled) == {"s2"}


def test_added_interview_is_analysed(settled: Study) -> None:
    (settled.input / "session-4.txt").write_text(
        (settled.input / "session-2.txt").read_text(encoding="utf-8"), encoding="utf-8")

    run = settled.progress()

    assert run.returncode == 0 and ANSWERED not in run.stdout
    assert sessions_called(settled) == {"s4"}


def test_deleted_target_is_made_again(settled: Study) -> None:
    settled.target("quotes", "s1").unlink()

    run = settled.progress()

    assert ANSWERED not in run.stdout
    assert settled.target("quotes", "s1").exists()
    assert settled.calls()["quotes:s1"] == 1


def test_doit_forget_drops_the_record_and_redoes_the_task(settled: Study) -> None:
    assert settled.doit("forget", "quotes:s3").returncode == 0
    assert not (settled.state / RECORD_NAME).exists()

    run = settled.progress()

    assert ANSWERED not in run.stdout
    assert {call for call in settled.calls() if ":" in call} == {"quotes:s3"}


@pytest.mark.parametrize("change", ["setting on the command line", "setting in the environment", "people file"])
def test_changed_settings_or_people_file_take_doits_path(settled: Study, change: str) -> None:
    args: tuple[str, ...] = ()
    env: dict[str, str] = {}
    if change == "setting on the command line":
        args = ("project_name=Another name",)
    elif change == "setting in the environment":
        env = {"BRISTLENOSE_WHISPER_BEAM_SIZE": "3"}
    else:
        people = settled.output / "people.yaml"
        people.write_text(people.read_text(encoding="utf-8") + "\n", encoding="utf-8")

    run = settled.progress(*args, env=env)

    assert run.returncode == 0 and ANSWERED not in run.stdout


def test_task_names_and_other_doit_options_always_take_doits_path(settled: Study) -> None:
    assert ANSWERED in settled.progress("-v", "2").stdout  # verbosity does not change what a run prints
    assert ANSWERED not in settled.progress("quotes").stdout
    assert ANSWERED not in settled.progress("--continue").stdout


def test_a_study_with_an_unreadable_file_is_never_answered(tmp_path: Path) -> None:
    study = Study.copy_of(tmp_path, STUDIES / "banking")
    (study.input / "session-9.vtt").write_text("", encoding="utf-8")

    runs = [study.progress() for _ in range(3)]

    assert [run.returncode for run in runs] == [1, 1, 1]
    assert all(ANSWERED not in run.stdout for run in runs)
    assert not (study.state / RECORD_NAME).exists()


def test_bristlenose_run_is_answered_too(settled: Study) -> None:
    def bristlenose_run() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bristlenose.cli", "run", str(settled.input)], cwd=settled.input,
                              env=settled.process_env(), capture_output=True, text=True, timeout=180)

    first, second = bristlenose_run(), bristlenose_run()

    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert ANSWERED in second.stdout
    assert settled.calls() == {}


@pytest.mark.parametrize("args, plain", [
    ([], []),
    (["run"], []),
    (["-v", "0", "output=/x", "input=/y"], ["input=/y", "output=/x"]),
    (["--verbosity=2", "-v1"], []),
    (["quotes"], None),
    (["run", "quotes:s1"], None),
    (["list"], None),
    (["--reporter=console"], None),
    (["-n", "2"], None),
    (["-v"], None),
])
def test_only_a_plain_run_command_line_may_be_answered(args: list[str], plain: list[str] | None) -> None:
    assert plain_run_args(args) == plain
