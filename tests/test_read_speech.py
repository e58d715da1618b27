"""Real read speech (a human voice, ``tests/fixtures/read-speech.mp3``, made by
``scripts/make_read_speech.py``) through the real ``doit``: the transcript loses no more
words than the bare faster-whisper model, keeps every sentence said twice, and keeps the
first word of the recording."""

from __future__ import annotations

from pathlib import Path

import jiwer
import pytest

from scripts.make_read_speech import FIXTURE
from tests.support.speech import bare_model_text, product_text, words

RECORDING = FIXTURE.with_suffix(".mp3")
REFERENCE = FIXTURE.with_suffix(".txt").read_text(encoding="utf-8")
EXTRA_ERRORS = 1
"""Errors the product may make beyond the bare model's on these 160 words (0.6 points):
decoding a recording in windows cut at silences shifts Whisper's context a little."""


@pytest.fixture(scope="module")
def heard(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The fixture as the bare model and as ``doit transcript`` hear it, normalised."""
    root: Path = tmp_path_factory.mktemp("read-speech")
    return {"bare": words(bare_model_text(RECORDING)), "product": words(product_text(RECORDING, root))}


def _errors(heard: str) -> int:
    out = jiwer.process_words(words(REFERENCE), heard)
    return out.substitutions + out.deletions + out.insertions


def test_transcript_through_doit_loses_no_more_words_than_the_bare_model(heard: dict[str, str]) -> None:
    assert _errors(heard["product"]) <= _errors(heard["bare"]) + EXTRA_ERRORS


def test_sentences_said_twice_are_both_kept(heard: dict[str, str]) -> None:
    sentences = [s.strip() for s in REFERENCE.replace("?", ".").split(".") if len(s.split()) >= 3]
    twice = {words(s) for s in sentences if f"{s}. {s}." in REFERENCE.replace("?", ".")}
    assert twice, "the fixture says some sentences twice"
    for sentence in twice:
        assert heard["product"].count(f"{sentence} {sentence}") >= 1, sentence


def test_the_first_word_of_the_recording_is_kept(heard: dict[str, str]) -> None:
    assert heard["product"].split()[0] == words(REFERENCE).split()[0]
