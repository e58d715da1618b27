"""The real faster-whisper on the bundled tiny.en model transcribes the generated sample
interviews: accurate words, increasing times, and each voice's turns told apart by voice."""

from __future__ import annotations

import itertools
import re
import threading
from pathlib import Path

import jiwer
import pytest

from bristlenose.analysis.turns import by_voice, transcript_of_recording
from bristlenose.models import Role, SessionSource, SpeechSpan, Transcript
from bristlenose.transcribe import WhisperOptions, engine, recognise
from bristlenose.transcribe.engine import WINDOW_SECONDS, windows
from bristlenose.transcribe.media import load_audio
from scripts.make_sample_media import SOURCES, Turn, read_script
from tests.support.study import SAMPLE_DATA

MAX_WER = 0.15
SAMPLES = {"interview-05": "interview-05.mp3", "interview-06": "interview-06.webm"}


def _words(text: str) -> str:
    """Lower case, no punctuation: WER counts words, not commas (British spelling kept)."""
    return " ".join(re.sub(r"[^a-z' ]", " ", text.casefold().replace("favorite", "favourite")).split())


def _script(name: str) -> list[Turn]:
    """The turns the sample recording was spoken from."""
    return read_script(SOURCES / f"{name}.script.txt")


@pytest.fixture(scope="module")
def transcripts() -> dict[str, Transcript]:
    """Each sample recording transcribed once for the module."""
    found = {}
    for name, recording in SAMPLES.items():
        source = SessionSource(session_id=name, key=name, name=name, media=[recording])
        path = SAMPLE_DATA / recording
        found[name] = transcript_of_recording(source, recognise(path, recording, WhisperOptions()),
                                              by_voice(load_audio(path, recording)[0]))
    return found


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_recording_word_error_rate_is_at_most_15_percent(transcripts: dict[str, Transcript],
                                                                 name: str) -> None:
    reference = _words(" ".join(turn.text for turn in _script(name)))
    heard = _words(" ".join(segment.text for segment in transcripts[name].segments))
    assert jiwer.wer(reference, heard) <= MAX_WER


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_timestamps_increase_through_segments_and_words(transcripts: dict[str, Transcript], name: str) -> None:
    segments = transcripts[name].segments
    starts = [segment.start for segment in segments]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    words = [word for segment in segments for word in segment.words]
    assert len(words) > 100
    assert all(a.start <= b.start for a, b in itertools.pairwise(words))
    assert all(word.start <= word.end for word in words)
    assert all(segment.start <= segment.end for segment in segments if segment.end is not None)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_scripted_turn_is_found_with_its_speakers_role(transcripts: dict[str, Transcript], name: str) -> None:
    transcript = transcripts[name]
    expected = [Role.MODERATOR if turn.speaker == "m" else Role.PARTICIPANT for turn in _script(name)]
    assert [transcript.role_of(segment.speaker) for segment in transcript.segments] == expected
    assert {s.label for s in transcript.speakers} == {"Speaker A", "Speaker B"}
    assert transcript.diarisation is not None and transcript.diarisation.speakers == 2
    assert transcript.error is None and transcript.note is None


def test_one_model_serves_concurrent_transcriptions_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two threads transcribing at once share the process's model and never overlap in it."""
    import faster_whisper

    real = faster_whisper.WhisperModel
    created: list[object] = []
    inside = {"now": 0, "most": 0}
    guard = threading.Lock()

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            created.append(self)
            super().__init__(*args, **kwargs)

        def transcribe(self, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            with guard:
                inside["now"] += 1
                inside["most"] = max(inside["most"], inside["now"])
            try:
                segments, info = super().transcribe(*args, **kwargs)
                return list(segments), info
            finally:
                with guard:
                    inside["now"] -= 1

    monkeypatch.setattr(faster_whisper, "WhisperModel", Counting)
    monkeypatch.setattr(engine, "_loaded", {})
    recording = SAMPLE_DATA / SAMPLES["interview-06"]
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(
        len(recognise(recording, recording.name, WhisperOptions()).segments))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(created) == 1
    assert inside["most"] == 1
    assert len(results) == 2 and results[0] == results[1] > 0


def test_video_decodes_without_ffmpeg_on_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import shutil

    monkeypatch.setenv("PATH", str(tmp_path))
    assert shutil.which("ffmpeg") is None
    recording = SAMPLE_DATA / SAMPLES["interview-06"]
    recognition = recognise(recording, recording.name, WhisperOptions())
    assert recognition.duration > 55
    assert "substitutions" in " ".join(segment.text for segment in recognition.segments).casefold()


def test_long_recordings_are_cut_into_windows_in_silences() -> None:
    speech = [SpeechSpan(start=t, end=t + 50) for t in range(0, 1000, 60)]
    cuts = windows(speech, 1000.0)
    assert cuts[0][0] == 0.0 and cuts[-1][1] == 1000.0
    assert all(a[1] == b[0] for a, b in itertools.pairwise(cuts))
    assert all(end - start <= WINDOW_SECONDS + 60 for start, end in cuts)
    silences = [(a.end, b.start) for a, b in itertools.pairwise(speech)]
    assert all(any(lo < start < hi for lo, hi in silences) for start, _ in cuts[1:])
    assert windows([], 30.0) == [(0.0, 30.0)]


@pytest.mark.parametrize("name", ["interview-06"])
def test_the_first_words_of_the_sample_recording_are_kept(transcripts: dict[str, Transcript], name: str) -> None:
    said = _words(_script(name)[0].text).split()[:4]
    assert _words(transcripts[name].segments[0].text).split()[:4] == said


def test_each_window_is_told_what_was_heard_before_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows of a long recording continue one decode: the next window's context is the
    text already heard (the first has none); the same audio always gives the same words."""
    import faster_whisper

    real = faster_whisper.WhisperModel
    contexts: list[object] = []

    class Recording(real):  # type: ignore[misc, valid-type]
        def transcribe(self, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            contexts.append(kwargs.get("initial_prompt"))
            return super().transcribe(*args, **kwargs)

    monkeypatch.setattr(faster_whisper, "WhisperModel", Recording)
    monkeypatch.setattr(engine, "_loaded", {})
    monkeypatch.setattr(engine, "WINDOW_SECONDS", 12.0)
    recording = SAMPLE_DATA / SAMPLES["interview-06"]
    first = recognise(recording, recording.name, WhisperOptions())
    assert len(contexts) >= 2 and contexts[0] is None
    heard = " ".join(segment.text for segment in first.segments)
    assert all(isinstance(context, str) and context and context in heard for context in contexts[1:])
    again = recognise(recording, recording.name, WhisperOptions())
    assert [s.text for s in again.segments] == [s.text for s in first.segments]
