"""Speakers of a transcribed recording are named by how they introduce themselves."""

from __future__ import annotations

from bristlenose.analysis.names import EARLY_TURNS, introduced_names, named
from bristlenose.analysis.turns import transcript_of_recording
from bristlenose.models import RecognisedSegment, Recognition, Role, SessionSource, SpeechSpan
from bristlenose.parsers.base import RawSegment


def _cues(*turns: tuple[str, str]) -> list[RawSegment]:
    return [RawSegment(start=5.0 * i, end=5.0 * i + 4, speaker=speaker, text=text)
            for i, (speaker, text) in enumerate(turns)]


def _ours(label: str) -> bool:
    return label.startswith("Speaker ")


def test_self_introductions_name_their_speakers() -> None:
    cues = _cues(("Speaker A", "Hi, thanks for coming in. I'm Dana, I run the research here."),
                 ("Speaker B", "Hello. My name is Priya Shah, I look after payroll."),
                 ("Speaker C", "And I am Tom."))
    assert introduced_names(cues, _ours) == {"Speaker A": "Dana", "Speaker B": "Priya Shah", "Speaker C": "Tom"}
    assert [cue.speaker for cue in named(cues, _ours)] == ["Dana", "Priya Shah", "Tom"]


def test_ordinary_words_after_i_am_are_not_names() -> None:
    cues = _cues(("Speaker A", "I'm not sure. I am happy to start. I'm OK with that, it's Monday."),
                 ("Speaker B", "I'm English, I'm Sure about that, but you can call me Jo."))
    assert introduced_names(cues, _ours) == {"Speaker B": "Jo"}


def test_a_name_claimed_by_two_speakers_or_said_late_names_nobody() -> None:
    twice = _cues(("Speaker A", "I'm Sam."), ("Speaker B", "I'm Sam as well."))
    assert introduced_names(twice, _ours) == {}
    late = _cues(*[("Speaker A", "Tell me more.")] * EARLY_TURNS, ("Speaker A", "By the way, I'm Dana."))
    assert introduced_names(late, _ours) == {}


def test_names_from_transcript_files_are_never_replaced() -> None:
    cues = _cues(("Dana Whitfield", "I'm Dana, welcome."), ("Marcus Okafor", "I'm Marc."))
    assert named(cues, _ours) == cues


def test_an_introduced_name_reaches_the_transcript_with_its_role() -> None:
    def segment(text: str, start: float) -> RecognisedSegment:
        return RecognisedSegment(start=start, end=start + 2, text=text)

    recognition = Recognition(
        recording="rec.wav", duration=20,
        segments=[segment("Hi, I'm Dana. What do you use the app for?", 0),
                  segment("I'm Priya, I look after payroll, so expenses mostly.", 4),
                  segment("How do you submit a claim?", 8)],
        speech=[SpeechSpan(start=0, end=2), SpeechSpan(start=4, end=6), SpeechSpan(start=8, end=10)])
    transcript = transcript_of_recording(SessionSource(session_id="s1", key="rec", name="rec", media=["rec.wav"]),
                                         recognition)
    assert {(s.label, s.role) for s in transcript.speakers} == {("Dana", Role.MODERATOR),
                                                                ("Priya", Role.PARTICIPANT)}
