"""Raw segments → Transcript: who moderates, participates and observes, and turns from cues."""

from __future__ import annotations

from pathlib import Path

import pytest

from bristlenose.analysis.roles import assign_roles
from bristlenose.analysis.transcript import build_transcript, failed_transcript
from bristlenose.models import Role, SessionSource
from bristlenose.parsers import RawSegment, parse_transcript

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"


def conversation(*turns: tuple[str, str], gap: float = 10.0) -> list[RawSegment]:
    """Turns spaced far enough apart that none merge."""
    return [RawSegment(start=index * gap, end=index * gap + 5, speaker=speaker, text=text)
            for index, (speaker, text) in enumerate(turns)]


def session(transcript: str | None = "p1.vtt") -> SessionSource:
    return SessionSource(session_id="s1", key="p1", name="P1", transcript=transcript, media=["p1.mp4"])


COUPLE = conversation(
    ("Ines Duarte", "Hello! Is it recording already?"),
    ("Dana Whitfield", "Yes, we're recording. Thanks for joining. There are no right or wrong answers, "
                       "so please think aloud. Could you show me how you'd find some pasta?"),
    ("Tom Duarte", "I'd go to search, I think. Type pasta. There we go, loads of it."),
    ("Ines Duarte", "Too many, honestly. I only want the fusilli we always buy, and it's buried at the bottom."),
    ("Dana Whitfield", "What would you expect to see first?"),
    ("Ines Duarte", "The things we bought last time. It knows what we bought, surely it could remember that."),
    ("Tom Duarte", "Yeah, a favourites list or something. Where would that even be? Is it under the account?"),
    ("Dana Whitfield", "Good question. How would you look for it?"),
    ("Tom Duarte", "Probably the little person icon at the top. No, that's just settings and my address."),
    ("Dana Whitfield", "Okay, let's move on to the basket. What do you make of the substitutions switch?"),
    ("Ines Duarte", "I have no idea what it does. Would they swap the fusilli for penne? I'd hate that."),
    ("Tom Duarte", "I'd turn it off to be safe. I don't trust it to pick something sensible for us."),
)


def test_moderator_and_two_participants_in_a_couple_session() -> None:
    roles = assign_roles(COUPLE)

    assert roles == {
        "Ines Duarte": (Role.PARTICIPANT, "p1"),
        "Dana Whitfield": (Role.MODERATOR, "m1"),
        "Tom Duarte": (Role.PARTICIPANT, "p2"),
    }


def test_a_quiet_note_taker_is_an_observer() -> None:
    segments = conversation(
        ("Ravi", "Hi Helen, thanks for coming in. This is Alex, who is taking notes. Just think aloud as you go."),
        ("Helen", "Right, that's fine. I'm not very quick with phones, mind you, so bear with me."),
        ("Ravi", "No problem at all. Could you show me how you'd find some crackers?"),
        ("Helen", "I'd press the magnifying glass and type crackers. There. Oh, the first two are out of stock, "
                  "why would it show me those first? That's annoying, I nearly tapped one."),
        ("Ravi", "What would you expect it to show?"),
        ("Helen", "The ones I can actually buy. And the allergy information, my mother can't have sesame, "
                  "so I always need to check, and I can't see it anywhere on this page at all."),
        ("Ravi", "Where would you look for it?"),
        ("Helen", "Near the top, in big letters, like on the packet. Not hidden away at the bottom in small print "
                  "where I'd miss it one day and she'd end up in hospital."),
        ("Alex", "Would a text message be better?"),
        ("Helen", "A text would be lovely, yes."),
        ("Ravi", "Thanks so much Helen, that's all we need today."),
    )

    assert assign_roles(segments) == {
        "Ravi": (Role.MODERATOR, "m1"),
        "Helen": (Role.PARTICIPANT, "p1"),
        "Alex": (Role.OBSERVER, "o1"),
    }


def test_moderator_is_found_in_unpunctuated_speech_recognition_output() -> None:
    segments = conversation(
        ("Speaker 1", "so to start could you show me how you would sign up"),
        ("Speaker 2", "okay I guess I tap here and then it wants my email and my phone number which is a lot"),
        ("Speaker 1", "what would you expect it to ask for"),
        ("Speaker 2", "just the postcode really so I know they deliver to me and then I can look around first"),
        ("Speaker 1", "how do you feel about the phone number"),
        ("Speaker 2", "I would rather not give it to be honest unless they tell me why they need it"),
    )

    assert assign_roles(segments) == {"Speaker 1": (Role.MODERATOR, "m1"), "Speaker 2": (Role.PARTICIPANT, "p1")}


def test_speaker_codes_in_the_file_are_trusted() -> None:
    segments = conversation(("p1", "Hello, what is this?"), ("M1", "Hi! Think aloud please."), ("o1", "Hi."))

    assert assign_roles(segments) == {"p1": (Role.PARTICIPANT, "p1"), "M1": (Role.MODERATOR, "m1"),
                                      "o1": (Role.OBSERVER, "o1")}


def test_role_words_in_labels_outweigh_talk() -> None:
    segments = conversation(("Participant", "What is this? Why? How?"), ("Jane (Researcher)", "It's a prototype."),
                            ("Note taker", "Fine."), ("Participant", "Where do I tap? Can I go back?"))

    assert assign_roles(segments) == {"Participant": (Role.PARTICIPANT, "p1"),
                                      "Jane (Researcher)": (Role.MODERATOR, "m1"),
                                      "Note taker": (Role.OBSERVER, "o1")}


def test_a_lone_unlabelled_speaker_is_the_participant() -> None:
    segments = conversation(("", "I tapped the basket. It was empty?"), ("", "Then I gave up."))

    assert assign_roles(segments) == {"": (Role.PARTICIPANT, "p1")}


def test_two_speakers_always_give_one_moderator_even_without_questions() -> None:
    segments = conversation(("A", "Fine."), ("B", "Okay."), ("A", "Sure."))

    assert sorted(role for role, _ in assign_roles(segments).values()) == [Role.MODERATOR, Role.PARTICIPANT]


def test_a_group_session_always_keeps_a_participant() -> None:
    segments = conversation(("Interviewer", "What do you think of this screen?"), ("Observer 1", "Fine."),
                            ("Interviewer", "And you?"), ("Observer 2", "I like it, the colours are calm."))

    assert assign_roles(segments) == {"Interviewer": (Role.MODERATOR, "m1"), "Observer 1": (Role.OBSERVER, "o1"),
                                      "Observer 2": (Role.PARTICIPANT, "p1")}


def test_transcript_segments_carry_their_own_speaker_codes() -> None:
    transcript = build_transcript(session(), COUPLE)

    assert [segment.speaker for segment in transcript.segments] == ["p1", "m1", "p2", "p1", "m1", "p1", "p2", "m1",
                                                                    "p2", "m1", "p1", "p2"]
    assert [(s.code, s.label, s.role) for s in transcript.speakers] == [
        ("p1", "Ines Duarte", Role.PARTICIPANT), ("m1", "Dana Whitfield", Role.MODERATOR),
        ("p2", "Tom Duarte", Role.PARTICIPANT)]
    assert [segment.index for segment in transcript.segments] == list(range(12))
    assert transcript.sources == session().sources


def test_short_cues_of_one_speaker_merge_into_a_turn() -> None:
    cues = [RawSegment(0.0, 2.0, "Dana", "Hello,"), RawSegment(2.5, 4.0, "Dana", "welcome."),
            RawSegment(4.5, 6.0, "Sam", "Hi."), RawSegment(6.5, 8.0, "Sam", "Thanks."),
            RawSegment(12.0, 14.0, "Sam", "After a pause."), RawSegment(15.0, 16.0, "Dana", "Shall we?")]
    transcript = build_transcript(session(), cues)

    assert [(s.index, s.start, s.end, s.speaker, s.text) for s in transcript.segments] == [
        (0, 0.0, 4.0, "m1", "Hello, welcome."),
        (1, 4.5, 8.0, "p1", "Hi. Thanks."),
        (2, 12.0, 14.0, "p1", "After a pause."),
        (3, 15.0, 16.0, "m1", "Shall we?"),
    ]


def test_merged_turns_stay_under_a_minute() -> None:
    cues = [RawSegment(start=i * 5.0, end=i * 5.0 + 4.5, speaker="Sam", text=f"Cue {i}.") for i in range(30)]
    transcript = build_transcript(session(), cues)

    assert len(transcript.segments) > 1
    assert all(segment.end - segment.start < 60 for segment in transcript.segments)
    assert " ".join(segment.text for segment in transcript.segments) == " ".join(cue.text for cue in cues)


def test_untimed_turns_are_never_merged() -> None:
    turns = [RawSegment(1.0, None, "p1", "One."), RawSegment(2.0, None, "p1", "Two.")]

    assert len(build_transcript(session(), turns).segments) == 2


def test_failed_transcript_names_the_problem() -> None:
    transcript = failed_transcript(session(), "p1.vtt: empty file")

    assert (transcript.error, transcript.segments, transcript.name) == ("p1.vtt: empty file", [], "P1")


SAMPLE_EXPECTATIONS = [
    ("interview-01_Recording.transcript.vtt", "Dana Whitfield", ["Marcus Okafor"], []),
    ("interview-02.srt", "Dana Whitfield", ["Ines Duarte", "Tom Duarte"], []),
    ("interview-03 - Transcript.docx", "Ravi Menon", ["Chloe Park", "Sam Reyes"], []),
    ("interview-04.txt", "m1", ["p1"], ["o1"]),
]


@pytest.mark.parametrize(("name", "moderator", "participants", "observers"), SAMPLE_EXPECTATIONS)
def test_sample_sessions_get_the_right_roles(name: str, moderator: str, participants: list[str],
                                             observers: list[str]) -> None:
    path = SAMPLE_DATA / name
    if not path.exists():
        pytest.skip(f"sample_data/{name} not written yet")
    transcript = build_transcript(session(name), parse_transcript(path))
    labels = {role: [s.label for s in transcript.speakers if s.role is role] for role in Role}

    assert labels == {Role.MODERATOR: [moderator], Role.PARTICIPANT: participants, Role.OBSERVER: observers}
    assert all(segment.text for segment in transcript.segments)
