"""A recording's undivided stream becomes speaker turns: by voice (what the build does), or
at long silences with the speaker alternating; roles follow from who asks; no speech is a
note, not an error."""

from __future__ import annotations

from bristlenose.analysis.turns import Turns, by_voice, split_turns, transcript_of_recording
from bristlenose.models import (
    Diarisation,
    RecognisedSegment,
    Recognition,
    Role,
    SessionSource,
    SpeechSpan,
    Word,
)
from bristlenose.transcribe.media import load_audio
from tests.support.diarisation import RECORDINGS, recognition_from_truth, truth


def _words(text: str, start: float, step: float = 0.3) -> list[Word]:
    return [Word(start=start + i * step, end=start + i * step + 0.25, text=f" {token}", probability=0.9)
            for i, token in enumerate(text.split())]


def _segment(text: str, start: float) -> RecognisedSegment:
    words = _words(text, start)
    return RecognisedSegment(start=start, end=words[-1].end, text=text, words=words)


SOURCE = SessionSource(session_id="s1", key="rec", name="rec", media=["rec.wav"])


def test_the_speaker_changes_at_each_long_silence_and_not_inside_a_turn() -> None:
    recognition = Recognition(
        recording="rec.wav", duration=30,
        segments=[_segment("How did you find the search page?", 0), _segment("It was slow.", 4),
                  _segment("I gave up.", 5.5), _segment("Why was that?", 9)],
        speech=[SpeechSpan(start=0, end=2.2), SpeechSpan(start=4, end=6.5), SpeechSpan(start=9, end=10)])
    cues = split_turns(recognition)
    assert [(c.speaker, c.text) for c in cues] == [
        ("Speaker A", "How did you find the search page?"), ("Speaker B", "It was slow."),
        ("Speaker B", "I gave up."), ("Speaker A", "Why was that?")]


def test_a_segment_running_across_a_turn_silence_is_cut_there() -> None:
    words = _words("What do you think", 0) + _words("It looks fine", 3)
    segment = RecognisedSegment(start=0, end=4, text="What do you think It looks fine", words=words)
    recognition = Recognition(recording="rec.wav", duration=5, segments=[segment],
                              speech=[SpeechSpan(start=0, end=1.2), SpeechSpan(start=3, end=4)])
    assert [(c.speaker, c.text, c.start) for c in split_turns(recognition)] == [
        ("Speaker A", "What do you think", 0.0), ("Speaker B", "It looks fine", 3.0)]


def test_the_speaker_who_asks_becomes_the_moderator_with_words_kept() -> None:
    recognition = Recognition(
        recording="rec.wav", duration=20,
        segments=[_segment("I like the map a lot.", 0), _segment("What would you expect to see here?", 4),
                  _segment("The price before I pay.", 8)],
        speech=[SpeechSpan(start=0, end=2), SpeechSpan(start=4, end=6.5), SpeechSpan(start=8, end=9.5)])
    transcript = transcript_of_recording(SOURCE, recognition)
    assert [transcript.role_of(s.speaker) for s in transcript.segments] == [
        Role.PARTICIPANT, Role.MODERATOR, Role.PARTICIPANT]
    assert next(w.text for w in transcript.segments[1].words) == " What"
    assert transcript.error is None and transcript.note is None


def test_no_speech_is_a_note_not_an_error() -> None:
    transcript = transcript_of_recording(SOURCE, Recognition(recording="rec.wav", duration=5))
    assert transcript.segments == [] and transcript.error is None
    assert transcript.note == "no speech found in rec.wav"


def test_a_truncation_warning_reaches_the_transcript() -> None:
    recognition = Recognition(recording="rec.wav", duration=5, segments=[_segment("Hello there.", 0)],
                              speech=[SpeechSpan(start=0, end=1)], warning="rec.wav looks truncated")
    assert transcript_of_recording(SOURCE, recognition).note == "rec.wav looks truncated"



def test_the_voice_splitter_labels_by_voice_and_records_its_confidence() -> None:
    """Three people in one recording: three labels, each person's turns always the same code."""
    recognition = recognition_from_truth("espeak-3")
    audio, _ = load_audio(RECORDINGS / "espeak-3.ogg", "espeak-3.ogg")
    transcript = transcript_of_recording(SOURCE, recognition, by_voice(audio))
    assert transcript.diarisation is not None and transcript.diarisation.speakers == 3
    assert transcript.diarisation.confidence > 0.5
    assert {s.label for s in transcript.speakers} == {"Speaker A", "Speaker B", "Speaker C"}
    codes: dict[str, set[str]] = {}
    for clip in truth("espeak-3"):
        if len(str(clip["text"]).split()) > 1:
            start = float(clip["start"])  # type: ignore[arg-type]
            nearest = min(transcript.segments, key=lambda segment: abs(segment.start - start))
            if abs(nearest.start - start) < 0.01:
                codes.setdefault(str(clip["speaker"]), set()).add(nearest.speaker)
    assert sorted(len(found) for found in codes.values()) == [1, 1, 1]


def test_an_unsure_diarisation_is_a_note_on_the_session() -> None:
    recognition = Recognition(recording="rec.wav", duration=10, segments=[_segment("Hello there.", 0)],
                              speech=[SpeechSpan(start=0, end=1)])

    def unsure(found: Recognition) -> Turns:
        return Turns(split_turns(found), Diarisation(method="voice/1", speakers=2, confidence=0.4))

    transcript = transcript_of_recording(SOURCE, recognition, unsure)
    assert transcript.diarisation is not None and transcript.diarisation.confidence == 0.4
    assert transcript.note == "who is speaking is unsure in rec.wav (only 40% of speech clearly attributed): " \
                              "check people.yaml"
