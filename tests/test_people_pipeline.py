"""The people file in a real doit run: written on the first run without re-running
anything, then the researcher's: a rename redoes only the report, a role change only that
session's chain, and a broken file is a warning, not a failed run."""

from __future__ import annotations

import json

import yaml

from bristlenose.analysis.roles import is_code
from tests.support.study import Study

CROSS = {"participants", "topic_boundaries", "extracted_quotes", "clusters", "themes", "render"}
LAST_SESSION = "s4"


def _people(study: Study) -> dict[str, dict[str, dict[str, str]]]:
    return yaml.safe_load((study.output / "people.yaml").read_text(encoding="utf-8"))


def _edit(study: Study, session_id: str, label: str, **changes: str) -> None:
    path = study.output / "people.yaml"
    text = path.read_text(encoding="utf-8")
    people = yaml.safe_load(text)
    people[session_id][label].update(changes)
    header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    path.write_text(header + yaml.safe_dump(people, sort_keys=False), encoding="utf-8")


def test_the_people_file_is_written_once_and_changes_nothing(study: Study) -> None:
    assert study.doit().returncode == 0
    people = _people(study)
    assert people["s1"]["Dana Whitfield"] == {"name": "Dana Whitfield", "role": "moderator"}
    assert people["s1"]["Marcus Okafor"]["role"] == "participant"
    study.reset_calls()
    run = study.doit()
    assert run.executed == set()
    assert study.calls() == {}


def test_a_rename_redoes_only_the_report_and_shows_the_name(study: Study) -> None:
    assert study.doit().returncode == 0
    _edit(study, "s1", "Marcus Okafor", name="Marcus O.")
    study.reset_calls()
    run = study.doit()
    assert run.returncode == 0, run.stderr
    assert run.executed == {"render"}
    assert study.calls() == {}
    report = next(study.output.glob("*.html")).read_text(encoding="utf-8")
    assert "Marcus O." in report
    assert _people(study)["s1"]["Marcus Okafor"]["name"] == "Marcus O."


def test_a_role_change_redoes_only_that_sessions_chain_and_undoing_it_too(study: Study) -> None:
    assert study.doit().returncode == 0
    people = _people(study)
    label = next(label for label, person in people["s2"].items() if person["role"] == "participant")
    _edit(study, "s2", label, role="observer")
    study.reset_calls()
    run = study.doit()
    assert run.returncode == 0, run.stderr
    assert "speakers:s2" in run.executed
    assert run.executed <= {"speakers:s2", "redact:s2", "topics:s2", "quotes:s2"} | CROSS
    speakers = json.loads(study.target("speakers", "s2").read_text(encoding="utf-8"))["speakers"]
    assert {s["label"]: s["role"] for s in speakers}[label] == "observer"
    _edit(study, "s2", label, role="participant")
    run = study.doit()
    assert "speakers:s2" in run.executed
    assert not any(name.endswith(":s1") or name.endswith(f":{LAST_SESSION}") for name in run.executed)


def test_a_broken_people_file_is_named_and_the_run_goes_on(study: Study) -> None:
    assert study.doit().returncode == 0
    (study.output / "people.yaml").write_text("s1: [oops\n", encoding="utf-8")
    run = study.doit()
    assert run.returncode == 0, run.stderr
    assert "people.yaml not used" in run.stderr
    assert (study.output / "people.yaml").read_text(encoding="utf-8") == "s1: [oops\n"


def _report_files(study: Study) -> dict[str, str]:
    files = [*study.output.glob("*.html"), study.output / "report.md", study.output / "quotes.csv",
             *(study.output / "sessions").glob("*.html")]
    return {path.name: path.read_text(encoding="utf-8") for path in files}


def test_an_anonymous_report_redoes_only_the_report_and_names_nobody(study: Study) -> None:
    assert study.doit().returncode == 0
    _edit(study, "s1", "Marcus Okafor", name="Marcus Okafor-Lindqvist")
    labels = {label for speakers in _people(study).values() for label in speakers if not is_code(label)}
    assert {"Dana Whitfield", "Marcus Okafor"} <= labels
    study.reset_calls()
    codes = study.doit(env={"BRISTLENOSE_REPORT_NAMES": "codes"})
    assert codes.returncode == 0, codes.stderr
    assert codes.executed == {"render"}
    assert study.calls() == {}
    files = _report_files(study)
    assert len(files) == 3 + 4
    for name, text in files.items():
        for person in (*labels, "Marcus Okafor-Lindqvist"):
            assert person not in text, (name, person)
    assert '<option value="p1">p1 (' in files["bristlenose-study-report.html"]
    named = study.doit()
    assert named.executed == {"render"}
    assert "Marcus Okafor-Lindqvist" in _report_files(study)["bristlenose-study-report.html"]


def test_a_speaker_labelled_by_code_shows_the_name_the_researcher_gives(study: Study) -> None:
    assert study.doit().returncode == 0
    assert _people(study)[LAST_SESSION]["p1"] == {"name": "p1", "role": "participant"}
    _edit(study, LAST_SESSION, "p1", name="Helen Marsh")
    run = study.doit()
    assert run.executed == {"render"}
    files = _report_files(study)
    assert "Helen Marsh" in files[f"transcript_{LAST_SESSION}.html"]
    assert "· Helen Marsh (" in files["bristlenose-study-report.html"]
