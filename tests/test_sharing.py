"""What a colleague receives: report files readable per the umask, private state kept private,
and a Skipped files table with neither the tool's own files nor the researcher's notes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bristlenose.cli import main
from tests.support.study import Study


def run_with_umask(study: Study, umask: int, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "doit"], cwd=cwd, env=study.process_env(), capture_output=True,
                          text=True, timeout=180, preexec_fn=lambda: os.umask(umask))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("umask", "shared"), [(0o022, 0o644), (0o077, 0o600)])
def test_report_files_follow_the_umask_and_state_stays_private(study: Study, umask: int, shared: int) -> None:
    assert main(["init", str(study.input)]) == 0

    run = run_with_umask(study, umask, study.input)

    assert run.returncode == 0, run.stdout + run.stderr
    shared_files = [study.output / "bristlenose-study-report.html", study.output / "report.md",
                    study.output / "quotes.csv", *sorted((study.output / "sessions").glob("transcript_*.html"))]
    assert len(shared_files) == 3 + 4
    assert {path.name: mode(path) for path in shared_files} == {path.name: shared for path in shared_files}
    private = [*study.state.glob("sessions/*/*.json"), *study.state.glob("intermediate/*.json"),
               study.state / "pipeline-manifest.json", study.state / "pipeline-events.jsonl"]
    assert len(private) > 10
    assert {str(path): mode(path) for path in private} == {str(path): 0o600 for path in private}


def test_the_tools_own_files_and_notes_stay_out_of_the_skipped_files_table(study: Study) -> None:
    assert main(["init", str(study.input)]) == 0
    (study.input / "README.md").write_text("# Brief for the grocery study\n")
    (study.input / "consent.pdf").write_bytes(b"%PDF-1.4\n")
    (study.input / "p9.doc").write_bytes(b"\xd0\xcf\x11\xe0")

    first = run_with_umask(study, 0o022, study.input)
    second = run_with_umask(study, 0o022, study.input)

    assert first.returncode == 0, first.stdout + first.stderr
    html = (study.output / "bristlenose-study-report.html").read_text()
    table = html.split('id="skipped"', 1)[1].split("</table>", 1)[0]
    assert "p9.doc" in table
    for name in ("dodo.py", "doit.cfg", "README.md", "consent.pdf"):
        assert name not in table
    said = first.stdout + first.stderr
    assert "dodo.py" not in said and "doit.cfg" not in said
    assert said.count("README.md") == 1 and said.count("consent.pdf") == 1
    assert "README.md" not in second.stdout + second.stderr
