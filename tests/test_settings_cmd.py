"""A misspelt setting is refused with the closest name; `doit settings` lists every setting with
its value, default and source; unknown BRISTLENOSE_ variables are warned about."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bristlenose.settings import unknown_environment_warnings, unknown_setting_message
from tests.support.study import REPO, SAMPLE_DATA, Study


def test_misspelt_setting_is_refused_with_the_closest_name(study: Study) -> None:
    run = study.progress("concurency=4")

    assert run.returncode == 3
    assert "unknown setting `concurency` (did you mean `concurrency`?)" in run.stderr
    assert not study.output.exists()


def test_misspelt_input_in_the_repository_does_not_analyse_the_sample(tmp_path: Path) -> None:
    events = SAMPLE_DATA / "bristlenose-output" / ".bristlenose" / "pipeline-events.jsonl"
    before = events.read_bytes() if events.exists() else None
    env = Study(input=tmp_path, call_log=tmp_path / "calls.jsonl").process_env()
    run = subprocess.run([sys.executable, "-m", "doit", f"inptu={tmp_path}"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120)

    assert run.returncode == 3
    assert "did you mean `input`?" in run.stderr
    assert "Traceback" not in run.stderr
    assert (events.read_bytes() if events.exists() else None) == before


def test_unknown_names_without_a_close_match_are_still_refused() -> None:
    assert unknown_setting_message(["input", "concurrency"]) is None
    message = unknown_setting_message(["zzzz"])
    assert message is not None and "`zzzz`" in message and "did you mean" not in message


def test_unknown_bristlenose_variables_are_warned_about_in_environment_and_dotenv() -> None:
    warnings = unknown_environment_warnings(
        {"BRISTLENOSE_LLM_PROVDER": "offline", "BRISTLENOSE_CONCURRENCY": "2", "ANTHROPIC_API_KEY": "k",
         "BRISTLENOSE_TEST_SLOW": "x", "HOME": "/root"},
        {"BRISTLENOSE_WHISPER_MODLE": "tiny.en", "BRISTLENOSE_VERBOSE": "1"})

    assert warnings == [
        "warning: environment variable BRISTLENOSE_LLM_PROVDER is not a bristlenose setting and is ignored "
        "(did you mean BRISTLENOSE_LLM_PROVIDER?)",
        "warning: .env entry BRISTLENOSE_WHISPER_MODLE is not a bristlenose setting and is ignored "
        "(did you mean BRISTLENOSE_WHISPER_MODEL?)",
    ]


def test_a_run_warns_about_an_unknown_environment_variable(study: Study) -> None:
    run = study.progress("list", env={"BRISTLENOSE_CONCURENCY": "8"})

    assert run.returncode == 0, run.stderr
    assert "BRISTLENOSE_CONCURENCY is not a bristlenose setting" in run.stderr
    assert "did you mean BRISTLENOSE_CONCURRENCY?" in run.stderr


def test_doit_settings_shows_value_default_and_source_of_each_setting(study: Study) -> None:
    env = {"BRISTLENOSE_LLM_CONCURRENCY": "7", "ANTHROPIC_API_KEY": "sk-ant-very-secret"}
    run = study.progress("settings", "concurrency=2", env=env)

    assert run.returncode == 0, run.stderr
    text = run.stdout
    assert "concurrency = 2\n    default 4 · from command line" in text
    assert "llm_concurrency = 7\n    default 4 · from environment (BRISTLENOSE_LLM_CONCURRENCY)" in text
    assert f"input = {study.input}\n" in text
    assert "anthropic_api_key = set (hidden)\n    default (not set) · from environment (ANTHROPIC_API_KEY)" in text
    assert "whisper_beam_size = 5\n    default 5 · from default\n    Beam width" in text
    assert "sk-ant-very-secret" not in run.stdout + run.stderr
    assert not study.output.joinpath("bristlenose-study-report.html").exists()


def test_doit_settings_names_the_dotenv_file_as_the_source(tmp_path: Path) -> None:
    folder = tmp_path / "study"
    folder.mkdir()
    (folder / ".env").write_text("BRISTLENOSE_WHISPER_BEAM_SIZE=2\n")
    from bristlenose.cli import main

    assert main(["init", str(folder)]) == 0
    env = Study(input=folder, call_log=tmp_path / "calls.jsonl").process_env()
    run = subprocess.run([sys.executable, "-m", "doit", "settings"], cwd=folder, env=env, capture_output=True,
                         text=True, timeout=120)

    assert run.returncode == 0, run.stderr
    assert "whisper_beam_size = 2\n    default 5 · from .env (BRISTLENOSE_WHISPER_BEAM_SIZE)" in run.stdout
