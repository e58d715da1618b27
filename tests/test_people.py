"""The people file: written from what bristlenose decided, then the researcher's; renames,
role fixes and merges, and a clear error for a file that is not one."""

from __future__ import annotations

import pytest

from bristlenose.analysis.people import (
    People,
    PeopleFileError,
    Person,
    apply_roles,
    completed,
    edits,
    names,
    parse,
    people_of,
    render,
)
from bristlenose.pipeline.people import PeopleEdits
from bristlenose.models import Role, Segment, Speaker, Transcript


def _transcript() -> Transcript:
    speakers = [Speaker(code="m1", label="Speaker A", role=Role.MODERATOR),
                Speaker(code="p1", label="Speaker B", role=Role.PARTICIPANT),
                Speaker(code="p2", label="Speaker C", role=Role.PARTICIPANT)]
    turns = [("m1", "What do you use?"), ("p1", "Payroll."), ("m1", "And you?"), ("p2", "Expenses."),
             ("p1", "Mostly on Fridays.")]
    return Transcript(session_id="s1", name="rec", sources=[], speakers=speakers,
                      segments=[Segment(index=i, start=5.0 * i, speaker=code, text=text)
                                for i, (code, text) in enumerate(turns)])


def test_the_generated_file_reads_back_as_written() -> None:
    generated = people_of([_transcript()])
    assert parse(render(generated)) == generated
    assert render(generated).startswith("# Who is who")
    assert edits(parse(render(generated)), generated) == {}


def test_a_later_run_adds_new_sessions_and_speakers_and_keeps_every_edit() -> None:
    generated = people_of([_transcript()])
    mine = parse(render(generated).replace("name: Speaker B", "name: Priya"))
    del mine["s1"]["Speaker C"]
    later: People = {**generated, "s2": {"Dana": Person(name="Dana", role=Role.MODERATOR)}}
    later["s1"]["Speaker B"] = Person(name="Speaker B", role=Role.OBSERVER)
    result = completed(mine, later)
    assert result["s1"]["Speaker B"] == Person(name="Priya", role=Role.PARTICIPANT)
    assert result["s1"]["Speaker C"] == generated["s1"]["Speaker C"]
    assert result["s2"]["Dana"].role is Role.MODERATOR


def test_a_rename_is_an_edit_of_names_only() -> None:
    generated = people_of([_transcript()])
    mine = parse(render(generated).replace("name: Speaker B", "name: Priya Shah"))
    assert edits(mine, generated) == {"s1": {"Speaker B": Person(name="Priya Shah", role=Role.PARTICIPANT)}}
    assert names(mine)[("s1", "Speaker B")] == "Priya Shah"
    transcript = _transcript()
    assert apply_roles(transcript, edits(mine, generated)["s1"]) == transcript


def test_a_role_fix_renumbers_the_codes_by_role() -> None:
    edited = {"Speaker C": Person(name="Speaker C", role=Role.OBSERVER)}
    fixed = apply_roles(_transcript(), edited)
    assert [(s.label, s.code, s.role) for s in fixed.speakers] == [
        ("Speaker A", "m1", Role.MODERATOR), ("Speaker B", "p1", Role.PARTICIPANT),
        ("Speaker C", "o1", Role.OBSERVER)]
    assert [s.speaker for s in fixed.segments] == ["m1", "p1", "m1", "o1", "p1"]


def test_merging_two_speakers_gives_their_turns_one_code() -> None:
    edited = {"Speaker B": Person(name="Priya", role=Role.PARTICIPANT, same_as="Speaker C")}
    merged = apply_roles(_transcript(), edited)
    assert [(s.label, s.code) for s in merged.speakers] == [("Speaker A", "m1"), ("Speaker C", "p1")]
    assert [s.speaker for s in merged.segments] == ["m1", "p1", "m1", "p1", "p1"]


@pytest.mark.parametrize("text,says", [
    ("s1: [oops", "not valid YAML"),
    ("- s1\n", "expected a session id"),
    ("s1: Speaker A\n", "expected speaker labels"),
    ("s1:\n  Speaker A: {name: Dana, role: boss}\n", "session s1: Speaker A.role: Input should be"),
    ("s1:\n  Speaker A: {name: Dana, role: moderator, same_as: Speaker Z}\n", "who is not a speaker"),
    ("s1:\n  A: {name: A, role: participant, same_as: B}\n  B: {name: B, role: participant, same_as: A}\n",
     "goes round in a circle"),
])
def test_a_broken_people_file_is_a_named_error(text: str, says: str) -> None:
    with pytest.raises(PeopleFileError, match=says):
        parse(text)


def test_a_name_the_speaker_pass_found_is_written_kept_through_a_role_fix_and_renamed_like_any() -> None:
    transcript = _transcript()
    transcript.speakers[1] = transcript.speakers[1].model_copy(update={"name": "Priya"})
    generated = people_of([transcript])
    assert generated["s1"]["Speaker B"] == Person(name="Priya", role=Role.PARTICIPANT)
    fixed = apply_roles(transcript, {"Speaker C": Person(name="Speaker C", role=Role.OBSERVER)})
    assert {s.label: s.name for s in fixed.speakers}["Speaker B"] == "Priya"
    unchanged = PeopleEdits(edits(generated, generated), generated)
    assert unchanged.names() == {}
    back = parse(render(generated).replace("name: Priya", "name: Speaker B"))
    assert PeopleEdits(edits(back, generated), generated).names() == {"s1": {"Speaker B": "Speaker B"}}
