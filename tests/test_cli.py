"""`bristlenose --help/--version`, `bristlenose run FOLDER` without init, `doit info` of a task
that does not exist and `doit clean -n`, as a new user meets them."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from bristlenose.cli import DOIT_CFG
from bristlenose.pipeline.plugins import COMMAND_DEFAULTS, PLUGINS, doit_config
from tests.support.knobs import CALL_LOG
from tests.support.study import REPO, SAMPLE_DATA, Study

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib


def bristlenose(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bristlenose.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=180)


def plain_study(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "my study"
    folder.mkdir()
    shutil.copy(SAMPLE_DATA / "interview-04.txt", folder / "p1.txt")
    shutil.copy(SAMPLE_DATA / "interview-02.srt", folder / "p2.srt")
    env = Study(input=folder, call_log=tmp_path / "calls.jsonl",
                env={"BRISTLENOSE_LLM_PROVIDER": "offline"}).process_env()
    return folder, env


def test_help_has_no_raw_markup_and_version_prints_the_version(tmp_path: Path) -> None:
    env = Study(input=tmp_path, call_log=tmp_path / "c").process_env()
    helped = bristlenose("--help", cwd=tmp_path, env=env)
    version = bristlenose("--version", cwd=tmp_path, env=env)

    assert helped.returncode == 0
    assert "``" not in helped.stdout
    assert "run" in helped.stdout and "init" in helped.stdout and "settings" in helped.stdout
    assert version.returncode == 0
    assert version.stdout.strip().startswith("bristlenose 0.")


def test_bristlenose_run_analyses_a_folder_without_init(tmp_path: Path) -> None:
    folder, env = plain_study(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    run = bristlenose("run", str(folder), "concurrency=2", cwd=elsewhere, env=env)

    assert run.returncode == 0, run.stdout + run.stderr
    assert "Rendered report" in run.stdout
    assert (folder / "bristlenose-output" / "bristlenose-my-study-report.html").exists()
    assert not (folder / "dodo.py").exists() and not (folder / "doit.cfg").exists()
    again = bristlenose("run", ".", cwd=folder, env=env)
    assert again.returncode == 0
    assert "Extracted" in again.stdout and "(cached)" in again.stdout
    console = bristlenose("run", "--reporter=console", cwd=folder, env=env)
    assert console.returncode == 0 and "-- quotes:s1" in console.stdout
    status = bristlenose("run", "status", "--json", cwd=folder, env=env)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["stages"]["quotes"]["status"] == "complete"


def test_bristlenose_run_stops_on_sigterm_like_doit_and_resumes(tmp_path: Path) -> None:
    folder, env = plain_study(tmp_path)
    env.update({"BRISTLENOSE_LLM_PROVIDER": "tests.support.providers:counting", "BRISTLENOSE_TEST_SLOW": "quotes:s2=30"})
    calls = Study(input=folder, call_log=Path(env[CALL_LOG]))
    proc = subprocess.Popen([sys.executable, "-m", "bristlenose.cli", "run", str(folder)], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    calls.wait_for(lambda: calls.calls("start")["quotes:s2"] == 1, timeout=90)

    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)

    assert proc.returncode in (130, -signal.SIGINT), out + err  # a shell shows either as 130, as with doit
    assert "Interrupted after" in out and "Traceback" not in err
    # finished: its target is on disk (this test provider keeps no answer journal, so an answer
    # that came back in the instant before the stop, with no target yet, may be asked again)
    finished = {f"{stage}:{sid}" for stage in ("speakers", "topics", "quotes") for sid in ("s1", "s2")
                if calls.target(stage, sid).exists()}
    before = calls.calls("done")
    env.pop("BRISTLENOSE_TEST_SLOW")
    resumed = bristlenose("run", str(folder), cwd=tmp_path, env=env)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    asked_again = calls.calls("done") - before
    assert "topics:s2" in finished and "quotes:s2" not in finished and asked_again["quotes:s2"] == 1
    assert not finished & set(asked_again), asked_again  # resumed: nothing finished is redone


def test_bristlenose_run_refuses_a_misspelt_setting(tmp_path: Path) -> None:
    folder, env = plain_study(tmp_path)

    run = bristlenose("run", str(folder), "concurency=2", cwd=tmp_path, env=env)

    assert run.returncode == 3
    assert "did you mean `concurrency`?" in run.stderr
    assert not (folder / "bristlenose-output" / "bristlenose-my-study-report.html").exists()


def test_init_registers_every_plugin_that_pyproject_registers() -> None:
    doit_table = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["doit"]

    assert {section.upper(): entries for section, entries in doit_table["plugins"].items()} == PLUGINS
    assert doit_table["commands"] == COMMAND_DEFAULTS
    for entries in doit_config().values():
        for name, target in entries.items():
            assert f"{name} = {target}" in DOIT_CFG


def test_doit_help_run_names_bristlenoses_reporter_as_the_default(tmp_path: Path) -> None:
    env = Study(input=tmp_path, call_log=tmp_path / "c").process_env()
    helped = subprocess.run([sys.executable, "-m", "doit", "help", "run"], cwd=REPO, env=env, capture_output=True,
                            text=True, timeout=60)

    assert helped.returncode == 0
    assert "[default: bristlenose]" in helped.stdout
    assert "[default: console]" not in helped.stdout


def test_info_of_a_task_that_does_not_exist_says_so_without_a_traceback(study: Study) -> None:
    run = study.progress("info", "quotes:s9")

    assert run.returncode == 3
    assert "no task quotes:s9 in this study; quotes has sessions s1, s2, s3, s4" in run.stderr
    assert "Traceback" not in run.stderr
    assert "Quotes of" in study.progress("info", "quotes:s1").stdout  # a real task still has its info


def test_clean_dry_run_says_nothing_is_removed(study: Study) -> None:
    assert study.doit().returncode == 0
    report = study.output / "bristlenose-study-report.html"

    dry = study.progress("clean", "-n")

    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("Dry run (-n): nothing is removed.")
    assert f"render - would remove {report}" in dry.stdout
    assert "removing" not in dry.stdout
    assert "nothing was removed" in dry.stdout.splitlines()[-1]
    assert report.exists() and study.target("quotes", "s1").exists()


def test_a_listing_cut_short_by_a_pipe_ends_quietly(tmp_path: Path) -> None:
    """``doit list | head``: more than a pipe holds (5 tasks a session), read one line, close."""
    folder = tmp_path / "study"
    folder.mkdir()
    for number in range(1, 600):
        (folder / f"s{number:04d}.txt").write_text(f"[00:00] [m1] Question {number}?\n[00:03] [p1] An answer.\n",
                                                  encoding="utf-8")
    study = Study(input=folder, call_log=tmp_path / "calls.jsonl", env={"BRISTLENOSE_LLM_PROVIDER": "offline"})
    proc = subprocess.Popen(study.command("list"), cwd=REPO, env=study.process_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=120)

    assert first.startswith("transcript")
    assert "Traceback" not in err and "BrokenPipe" not in err, err
