"""`bristlenose init` makes a study folder runnable with plain `doit` from that folder."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from bristlenose.cli import main
from tests.support.study import SAMPLE_DATA, Study


def test_init_then_doit_in_the_study_folder_analyses_it(tmp_path: Path) -> None:
    folder = tmp_path / "my study"
    folder.mkdir()
    shutil.copy(SAMPLE_DATA / "interview-04.txt", folder / "p1.txt")
    assert main(["init", str(folder)]) == 0
    env = Study(input=folder, call_log=tmp_path / "calls.jsonl", env={"BRISTLENOSE_LLM_PROVIDER": "offline"})
    run = subprocess.run([sys.executable, "-m", "doit"], cwd=folder, env=env.process_env(), capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    quotes = json.loads((folder / "bristlenose-output/.bristlenose/sessions/s1/quotes.json").read_text())
    assert quotes["_meta"]["provider"] == "offline"
    assert (folder / "bristlenose-output" / "bristlenose-my-study-report.html").exists()


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "dodo.py").write_text("# mine\n")
    try:
        main(["init", str(tmp_path)])
    except SystemExit as exc:
        assert "already exists" in str(exc)
    else:
        raise AssertionError("init overwrote dodo.py")
    assert (tmp_path / "dodo.py").read_text() == "# mine\n"


def test_doit_without_the_backend_registered_explains_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "dodo.py").write_text(
        "from pathlib import Path\nfrom bristlenose.pipeline.dodo import pipeline_namespace\n"
        "globals().update(pipeline_namespace(default_input=Path(__file__).resolve().parent))\n")
    env = Study(input=tmp_path, call_log=tmp_path / "calls.jsonl").process_env()
    run = subprocess.run([sys.executable, "-m", "doit"], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode != 0
    assert "bristlenose init" in run.stderr
    assert "Traceback" not in run.stderr


LEGACY_DODO = '''from pathlib import Path

from bristlenose.build.dodo import pipeline_namespace

globals().update(pipeline_namespace(default_input=Path(__file__).resolve().parent))
'''
LEGACY_DOIT_CFG = """[BACKEND]
bristlenose = bristlenose.build.backend:DurableSqliteDB

[REPORTER]
bristlenose = bristlenose.build.reporter:ProgressReporter

[COMMAND]
status = bristlenose.build.status_cmd:Status
doctor = bristlenose.build.doctor_cmd:Doctor
"""


def test_a_folder_initialised_before_the_pipeline_rename_still_runs_and_says_how_to_update(tmp_path: Path) -> None:
    folder = tmp_path / "old study"
    folder.mkdir()
    shutil.copy(SAMPLE_DATA / "interview-04.txt", folder / "p1.txt")
    (folder / "dodo.py").write_text(LEGACY_DODO)
    (folder / "doit.cfg").write_text(LEGACY_DOIT_CFG)
    env = Study(input=folder, call_log=tmp_path / "calls.jsonl", env={"BRISTLENOSE_LLM_PROVIDER": "offline"})
    for argv in ([], ["status"]):
        run = subprocess.run([sys.executable, "-m", "doit", *argv], cwd=folder, env=env.process_env(),
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
    assert "bristlenose init --force" in run.stderr
    assert (folder / "bristlenose-output" / "bristlenose-old-study-report.html").exists()
