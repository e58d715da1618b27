"""Whisper's repetition loops collapse to one occurrence; people's natural repeats stay."""

from __future__ import annotations

from bristlenose.models import RecognisedSegment, Word
from bristlenose.transcribe.loops import collapse_loops


def _segment(text: str, start: float = 0.0) -> RecognisedSegment:
    words = [Word(start=start + i, end=start + i + 0.5, text=f" {token}", probability=0.9)
             for i, token in enumerate(text.split())]
    return RecognisedSegment(start=start, end=start + len(words), text=text, words=words)


def _text(segments: list[RecognisedSegment]) -> list[str]:
    return [segment.text for segment in segments]


def test_a_word_looping_four_times_or_more_is_kept_once() -> None:
    collapsed = collapse_loops([_segment("okay thanks thanks thanks thanks thanks thanks bye")])
    assert _text(collapsed) == ["okay thanks bye"]
    assert [w.start for w in collapsed[0].words] == [0.0, 1.0, 7.0]


def test_natural_doubles_and_triples_stay() -> None:
    kept = ["no, no, I meant the other one", "it was very very slow", "no no no that is wrong", "bye bye"]
    assert _text(collapse_loops([_segment(text) for text in kept])) == kept


def test_a_looping_phrase_is_kept_once_ignoring_case_and_punctuation() -> None:
    collapsed = collapse_loops([_segment("I see. Thank you. thank you, Thank you. thank you. Right")])
    assert _text(collapsed) == ["I see. Thank you. Right"]


def test_a_loop_across_segments_drops_the_repeated_segments() -> None:
    segments = [_segment("That is all.", 0), *(_segment("Thank you.", 10 + 3 * n) for n in range(5))]
    assert _text(collapse_loops(segments)) == ["That is all.", "Thank you."]


def test_a_sentence_said_twice_or_three_times_stays() -> None:
    kept = ["Please enter your password. Please enter your password.",
            "Thank you. Thank you. Thank you. Goodbye.",
            "Is it here? Is it here? I can't see it."]
    assert _text(collapse_loops([_segment(text) for text in kept])) == kept


def test_a_phrase_repeated_across_three_segments_stays() -> None:
    segments = [_segment("Followed by the pound key.", 10 * n) for n in range(3)]
    assert _text(collapse_loops(segments)) == ["Followed by the pound key."] * 3


def test_a_repeat_with_no_time_to_be_spoken_is_a_loop() -> None:
    spoken = _segment("Please try again.")
    timeless = [Word(start=3.0, end=3.0, text=f" {token}", probability=0.5) for token in ("Please", "try", "again.")]
    echo = RecognisedSegment(start=3.0, end=3.0, text="Please try again.", words=timeless)
    assert _text(collapse_loops([spoken, echo])) == ["Please try again."]
