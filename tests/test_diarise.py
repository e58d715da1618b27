"""Speaker diarisation told apart by voice: the encoder, the clustering, the smoothing, and
whole recordings with known speakers (words placed from the ground truth, so no Whisper)."""

from __future__ import annotations

import numpy as np
import pytest

from bristlenose.diarise import diarise
from bristlenose.diarise.assignment import assign
from bristlenose.diarise.clustering import find_voices
from bristlenose.diarise.embedding import embed
from bristlenose.diarise.pieces import MAX_PIECE, cut_pieces
from bristlenose.models import RecognisedSegment, Recognition, Word
from bristlenose.transcribe.media import SAMPLE_RATE, load_audio
from tests.support.diarisation import RECORDINGS, recognition_from_truth, score, truth


def _audio(name: str) -> np.ndarray:
    return load_audio(RECORDINGS / f"{name}.ogg", f"{name}.ogg")[0]


def _clusters(centres: int, per: int, spread: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    points = []
    for centre in rng.normal(size=(centres, 256)):
        centre /= np.linalg.norm(centre)
        noisy = centre + spread * rng.normal(size=(per, 256)) / np.sqrt(256)
        points.append(noisy / np.linalg.norm(noisy, axis=1, keepdims=True))
    return np.concatenate(points)


def test_a_voice_sounds_more_like_itself_than_like_another() -> None:
    audio = _audio("espeak-2")
    clips = {speaker: [audio[int(float(c["start"]) * SAMPLE_RATE):int(float(c["end"]) * SAMPLE_RATE)]  # type: ignore[arg-type]
                       for c in truth("espeak-2") if c["speaker"] == speaker and float(c["end"]) - float(c["start"]) > 2][:2]  # type: ignore[arg-type]
             for speaker in "AB"}
    a1, a2, b1, b2 = embed(clips["A"] + clips["B"])
    assert np.allclose(np.linalg.norm([a1, b1], axis=1), 1.0, atol=1e-5)
    assert min(a1 @ a2, b1 @ b2) > 0.85
    assert max(a1 @ b1, a2 @ b2) < min(a1 @ a2, b1 @ b2) - 0.1


@pytest.mark.parametrize("voices", [1, 2, 3, 4])
def test_the_number_of_voices_is_found_between_one_and_four(voices: int) -> None:
    vectors = _clusters(voices, per=20, spread=0.25)
    found = find_voices(vectors, np.full(len(vectors), 2.0))
    assert len(found.centroids) == voices


def test_a_voice_with_under_three_seconds_of_speech_is_not_a_person() -> None:
    vectors = _clusters(2, per=20, spread=0.25)[:22]
    seconds = np.full(len(vectors), 2.0)
    seconds[20:] = 1.0
    assert len(find_voices(vectors, seconds).centroids) == 1


def test_an_ambiguous_short_piece_stays_with_the_turn_around_it() -> None:
    similarity = np.array([[0.9, 0.6], [0.9, 0.6], [0.72, 0.75], [0.9, 0.6]])
    assert assign(similarity, np.array([1.5, 1.5, 0.4, 1.5])).tolist() == [0, 0, 0, 0]


def test_a_clear_backchannel_is_its_own_and_the_turn_resumes_after_it() -> None:
    similarity = np.array([[0.9, 0.6], [0.9, 0.6], [0.55, 0.92], [0.9, 0.6], [0.6, 0.9]])
    seconds = np.array([1.5, 1.5, 0.6, 1.5, 1.5])
    assert assign(similarity, seconds).tolist() == [0, 0, 1, 0, 1]


def test_pieces_end_at_pauses_and_at_the_length_limit_within_one_stretch() -> None:
    words = [Word(start=0.3 * i, end=0.3 * i + 0.28, text=f" w{i}", probability=0.9) for i in range(10)]
    words += [Word(start=5.0, end=5.3, text=" after", probability=0.9)]
    recognition = Recognition(recording="r.wav", duration=6, segments=[
        RecognisedSegment(start=0, end=5.3, text="", words=words)])
    pieces = cut_pieces(recognition)
    assert all(piece.seconds <= MAX_PIECE for piece in pieces)
    assert [piece.stretch for piece in pieces] == [0, 0, 1]
    assert pieces[-1].text == "after"


@pytest.mark.parametrize("name,people,least", [("espeak-2", 2, 0.95), ("human-2", 2, 0.95),
                                                ("espeak-3", 3, 0.85), ("human-3", 3, 0.85), ("human-1", 1, 1.0)])
def test_recordings_get_their_number_of_speakers_and_speech_time_attributed_right(
        name: str, people: int, least: float) -> None:
    cues, record = diarise(_audio(name), recognition_from_truth(name))
    found = score(cues, truth(name))
    assert found.speakers_found == people == record.speakers
    assert found.right >= least
    assert 0.0 <= record.confidence <= 1.0


@pytest.mark.parametrize("name", ["espeak-2", "human-2", "human-3"])
def test_backchannels_and_a_long_pause_inside_a_turn_never_swap_the_turns_around_them(name: str) -> None:
    """Every clip of real turns gets its own speaker's label; a backchannel ("mm-hm") spoken
    over someone's turn may go either way, but nothing after it changes."""
    spoken = truth(name)
    cues, _ = diarise(_audio(name), recognition_from_truth(name))
    label_at = {round(cue.start, 2): cue.speaker for cue in cues}
    backchannel = [len(str(clip["text"]).split()) == 1 for clip in spoken]
    paused = [b for a, b in zip(spoken, spoken[1:]) if a["speaker"] == b["speaker"]
              and float(b["start"]) - float(a["end"]) > 2.4]  # type: ignore[arg-type]
    assert paused and any(backchannel)
    labels = {}
    for clip, short in zip(spoken, backchannel):
        if not short:
            labels.setdefault(str(clip["speaker"]), set()).add(label_at[round(float(clip["start"]), 2)])  # type: ignore[arg-type]
    assert all(len(found) == 1 for found in labels.values()), labels
    assert len({next(iter(found)) for found in labels.values()}) == len(labels)


def test_silence_gives_no_cues_and_no_speakers() -> None:
    cues, record = diarise(np.zeros(SAMPLE_RATE * 3, dtype=np.float32),
                           Recognition(recording="quiet.wav", duration=3))
    assert cues == [] and record.speakers == 0


@pytest.mark.parametrize("name,least", [("espeak-2", 0.95), ("human-3", 0.85)])
def test_whisper_words_of_a_recording_are_attributed_to_the_right_speakers(name: str, least: float) -> None:
    """The real faster-whisper (bundled tiny.en) gives the words and their times."""
    from bristlenose.transcribe import WhisperOptions, recognise

    path = RECORDINGS / f"{name}.ogg"
    recognition = recognise(path, path.name, WhisperOptions())
    cues, record = diarise(_audio(name), recognition)
    found = score(cues, truth(name))
    assert found.speakers_found == found.speakers_true == record.speakers
    assert found.right >= least
    assert found.covered > 0.8
