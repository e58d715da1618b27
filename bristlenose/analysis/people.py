"""The people file (``people.yaml`` in the study folder): who is who in each session.

bristlenose writes it on the first run from what it decided: each session's speakers under
the label the transcript gives them (a transcript file's name, or ``Speaker A`` of a
recording), with the name to show and their role. From then on it is the researcher's. Later runs only add
sessions and speakers it does not list yet, and never change a line the researcher wrote.
What the researcher changed is told apart from what bristlenose wrote by comparing with a
copy of the generated entries (kept under ``.bristlenose/``), so only real edits count:

* ``name``: how the person is shown in the report (a rename needs only the report redone);
* ``role``: ``moderator``, ``participant`` or ``observer`` (corrects the speakers pass);
* ``same_as: <label>``: this speaker is the same person as another speaker of the session
  (one voice that diarisation split in two); their turns are merged into that speaker's.

Labels are the keys because they stay put when a role changes; codes (``m1``, ``p2``)
follow from roles and are numbered again after a change, as the speakers pass does.

This module is pure: reading and writing the file is the build's.
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from bristlenose.analysis.roles import numbered
from bristlenose.models import Role, Speaker, Transcript

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML was built with it: the file is read each time tasks are made,
and for a thousand sessions the pure-Python parser alone took 0.4 s."""

HEADER = """\
# Who is who in each session. bristlenose wrote this on its first run; it is yours now.
# Rename someone (name), correct a role (moderator, participant, observer), or say that a
# speaker is the same person as another of the session (same_as: Speaker A). Lines you change are
# never overwritten; new sessions and speakers are added below.
"""


class PeopleFileError(Exception):
    """A people file that cannot be read, said plainly."""


class Person(BaseModel):
    """One speaker of one session, as the people file has them."""

    model_config = ConfigDict(extra="forbid")

    name: str
    role: Role
    same_as: str | None = None


People = dict[str, dict[str, Person]]
"""Session id → speaker label → person."""


def people_of(transcripts: list[Transcript]) -> People:
    """The entries bristlenose would write for these (role-attributed) transcripts."""
    return {t.session_id: {s.label: Person(name=s.name or s.label, role=s.role) for s in t.speakers}
            for t in transcripts}


def parse(text: str) -> People:
    """The people file's entries; :class:`PeopleFileError` for a file that is not one."""
    try:
        raw = yaml.load(text, Loader=_LOADER) or {}
    except yaml.YAMLError as exc:
        raise PeopleFileError(f"not valid YAML ({exc.__class__.__name__}: {_first_line(exc)})") from None
    if not isinstance(raw, dict):
        raise PeopleFileError("expected a session id (s1, s2, …) at the top level")
    people: People = {}
    for session_id, speakers in raw.items():
        if not isinstance(speakers, dict):
            raise PeopleFileError(f"session {session_id}: expected speaker labels (Speaker A, …) under it")
        people[str(session_id)] = {}
        for label, entry in speakers.items():
            try:
                people[str(session_id)][str(label)] = Person.model_validate(entry)
            except ValidationError as exc:
                problem = exc.errors()[0]
                where = ".".join(str(part) for part in (label, *problem["loc"]))
                raise PeopleFileError(f"session {session_id}: {where}: {problem['msg']}") from None
    for session_id, speakers in people.items():
        for label, person in speakers.items():
            if person.same_as is not None and person.same_as not in speakers:
                raise PeopleFileError(f"session {session_id}: {label} is same_as {person.same_as}, "
                                      "who is not a speaker of that session")
            merge_into = {other: entry.same_as for other, entry in speakers.items() if entry.same_as}
            if person.same_as is not None and _final(label, merge_into) in merge_into:
                raise PeopleFileError(f"session {session_id}: the same_as of {label} goes round in a circle")
    return people


def render(people: People) -> str:
    """The file's text: the header, then each session's speakers."""
    body: dict[str, Any] = {
        session_id: {label: person.model_dump(mode="json", exclude_none=True) for label, person in speakers.items()}
        for session_id, speakers in people.items()}
    return HEADER + yaml.safe_dump(body, sort_keys=False, allow_unicode=True)


def completed(existing: People, generated: People) -> People:
    """``existing`` with the sessions and speakers it lacks added from ``generated``;
    nothing already in ``existing`` changes."""
    result = {session_id: dict(speakers) for session_id, speakers in existing.items()}
    for session_id, speakers in generated.items():
        for code, person in speakers.items():
            result.setdefault(session_id, {}).setdefault(code, person)
    return result


def edits(people: People, generated: People) -> People:
    """The entries the researcher changed: those that differ from what bristlenose wrote."""
    changed: People = {}
    for session_id, speakers in people.items():
        for code, person in speakers.items():
            if generated.get(session_id, {}).get(code) != person:
                changed.setdefault(session_id, {})[code] = person
    return changed


def apply_roles(transcript: Transcript, edited: dict[str, Person]) -> Transcript:
    """The transcript with the researcher's roles and merges (names are the report's),
    codes numbered again by role and first appearance."""
    merge_into = {label: person.same_as for label, person in edited.items() if person.same_as}
    kept = [speaker for speaker in transcript.speakers if _final(speaker.label, merge_into) == speaker.label]
    name_of = {speaker.label: speaker.name for speaker in kept}
    label_of = {s.code: _final(s.label, merge_into) for s in transcript.speakers}
    roles = {s.label: edited[s.label].role if s.label in edited else s.role for s in kept}
    first: dict[str, int] = {}
    for segment in transcript.segments:
        first.setdefault(label_of.get(segment.speaker, segment.speaker), segment.index)
    order = sorted(roles, key=lambda label: first.get(label, len(transcript.segments)))
    codes = numbered(order, roles)
    new_code = {code: codes[label][1] for code, label in label_of.items() if label in codes}
    return transcript.model_copy(update={
        "speakers": [Speaker(code=codes[label][1], label=label, role=codes[label][0], name=name_of.get(label))
                     for label in order],
        "segments": [segment.model_copy(update={"speaker": new_code.get(segment.speaker, segment.speaker)})
                     for segment in transcript.segments],
    })


def names(people: People) -> dict[tuple[str, str], str]:
    """(session id, label) → the name the report shows."""
    return {(session_id, label): person.name for session_id, speakers in people.items()
            for label, person in speakers.items()}


def _final(label: str, merge_into: dict[str, str]) -> str:
    """The label a speaker's turns end up under, following chains of merges (stopping where
    a chain would go round)."""
    seen = {label}
    while label in merge_into and merge_into[label] not in seen:
        label = merge_into[label]
        seen.add(label)
    return label


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else ""
