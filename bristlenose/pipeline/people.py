"""The people file on disk (``people.yaml`` beside the report): read when the tasks are
made, completed after each report.

The file is the researcher's once written, so it is only ever added to, and a file that
cannot be read is named in a warning and left alone (the run goes on without its edits).
A copy of what bristlenose itself wrote stays under ``.bristlenose/`` so that only real
edits count (see ``analysis/people.py``). Edits reach the build two ways: a session's roles
and merges through its ``speakers`` task (:class:`EditsCurrent`), names through the
report's ``config_changed``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bristlenose.analysis.people import People, PeopleFileError, Person, completed, edits, parse, people_of, render
from bristlenose.pipeline.atomic import write_text_atomic
from bristlenose.pipeline.layout import Layout
from bristlenose.models import Transcript

PEOPLE_FILE = "people.yaml"
GENERATED_FILE = "people.generated.yaml"


def people_path(layout: Layout) -> Path:
    return layout.output_dir / PEOPLE_FILE


def _generated_path(layout: Layout) -> Path:
    return layout.state_dir / GENERATED_FILE


@dataclass(frozen=True)
class PeopleEdits:
    """The entries the researcher changed in the people file, and what bristlenose wrote."""

    edited: People = field(default_factory=dict)
    generated: People = field(default_factory=dict)

    def session(self, session_id: str) -> dict[str, Person]:
        """The session's entries whose role or merge the researcher changed (a rename alone
        is the report's business, not the analysis')."""
        before = self.generated.get(session_id, {})
        return {label: person for label, person in self.edited.get(session_id, {}).items()
                if label not in before or (person.role, person.same_as) != (before[label].role, before[label].same_as)}

    def names_in(self, session_id: str) -> list[str]:
        """The names the researcher gave the session's speakers: redaction must hide them as well
        as the labels it already knows."""
        return sorted(set(self.names().get(session_id, {}).values()))

    def names(self) -> dict[str, dict[str, str]]:
        """Session id → label → the name the researcher gave, for changed names only."""
        changed = {sid: {label: person.name for label, person in speakers.items()
                         if person.name != self._written_name(sid, label)}
                   for sid, speakers in self.edited.items()}
        return {sid: names for sid, names in changed.items() if names}

    def _written_name(self, session_id: str, label: str) -> str:
        """The name bristlenose wrote for a speaker (their label where it wrote none)."""
        before = self.generated.get(session_id, {}).get(label)
        return before.name if before is not None else label


def read_people(layout: Layout, warn: bool = True) -> PeopleEdits:
    """The researcher's edits; a broken file is a warning naming it (once per run: the
    report reads it again quietly), not a failed run."""
    path = people_path(layout)
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        generated_text = _read(_generated_path(layout))
        if text and text == generated_text:
            return PeopleEdits()  # never edited: nothing to parse (0.4 s for 1,000 sessions)
        people = parse(text) if text else {}
    except (PeopleFileError, OSError, UnicodeDecodeError) as exc:
        if warn:
            print(f"warning: {path} not used: {exc}", file=sys.stderr)
        return PeopleEdits()
    generated = _generated(layout)
    return PeopleEdits(edits(people, generated), generated)


def record_people(layout: Layout, transcripts: list[Transcript]) -> None:
    """List the sessions and speakers the people file lacks; change nothing it has."""
    fresh = people_of([t for t in transcripts if t.error is None])
    generated_path, path = _generated_path(layout), people_path(layout)
    generated = completed(_generated(layout), fresh)
    write_text_atomic(generated_path, render(generated))
    try:
        current = parse(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (PeopleFileError, OSError, UnicodeDecodeError):
        return
    wanted = completed(current, fresh)
    if not path.exists() or wanted != current:
        write_text_atomic(path, render(wanted))


def _generated(layout: Layout) -> People:
    try:
        text = _read(_generated_path(layout))
        return parse(text) if text else {}
    except (PeopleFileError, OSError, UnicodeDecodeError):
        return {}


def _read(path: Path) -> str:
    """The file's text; empty when it is missing or unreadable (what bristlenose wrote is a
    cache: without it every entry counts as the researcher's)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


class EditsCurrent:
    """doit ``uptodate`` check of one session's edits: a task without edits stays up to date
    (so a study that never edits the file never re-runs), and any change of its edits,
    including undoing them, runs it again."""

    KEY = "people_edits"

    def __init__(self, edited: dict[str, Person]) -> None:
        text = json.dumps({label: person.model_dump(mode="json") for label, person in sorted(edited.items())})
        self.digest = hashlib.sha256(text.encode()).hexdigest() if edited else ""

    def __call__(self, task: Any, values: dict[str, Any]) -> bool:
        task.value_savers.append(lambda: {self.KEY: self.digest})
        return str(values.get(self.KEY, "")) == self.digest
