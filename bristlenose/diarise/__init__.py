"""Offline speaker diarisation: who speaks when in a recording, told apart by voice.

``diarise`` cuts Whisper's words into short pieces (``pieces``), embeds each piece's audio
with a voice encoder that ships inside bristlenose (``embedding``, numpy only), finds one to
four voices by clustering (``clustering``), and gives every piece a voice with smoothing
(``assignment``). Labels are ``Speaker A`` … ``Speaker D`` in order of first speech.
"""

from __future__ import annotations

import numpy as np

from bristlenose.diarise.assignment import assign, confidence
from bristlenose.diarise.clustering import find_voices
from bristlenose.diarise.embedding import embed
from bristlenose.diarise.features import SAMPLE_RATE
from bristlenose.diarise.pieces import Piece, cut_pieces
from bristlenose.models import Diarisation, Recognition
from bristlenose.models.transcript import VOICE_LABELS
from bristlenose.parsers.base import RawSegment

METHOD = "voice/1"
LABELS = VOICE_LABELS
MIN_CLUSTER_SECONDS = 1.0
"""Stretches shorter than this are labelled but not used to find the voices."""
PAD_SECONDS = 0.05


def diarise(audio: np.ndarray, recognition: Recognition) -> tuple[list[RawSegment], Diarisation]:
    """Labelled cues of the recognition, and how sure the split is."""
    pieces = cut_pieces(recognition)
    if not pieces:
        return [], Diarisation(method=METHOD, speakers=0, confidence=0.0)
    vectors = embed([_clip(audio, piece) for piece in pieces])
    seconds = np.maximum(np.array([piece.seconds for piece in pieces]), 0.01)
    stretch_vectors, stretch_seconds = _stretches(pieces, vectors, seconds)
    long_enough = stretch_seconds >= MIN_CLUSTER_SECONDS
    if long_enough.sum() < 2:
        long_enough = np.ones(len(stretch_seconds), dtype=bool)
    voices = find_voices(stretch_vectors[long_enough], stretch_seconds[long_enough])
    similarity = vectors @ voices.centroids.T
    labels = assign(similarity, seconds)
    order = {voice: n for n, voice in enumerate(dict.fromkeys(labels.tolist()))}
    cues = _cues(pieces, [LABELS[order[label]] for label in labels.tolist()])
    record = Diarisation(method=METHOD, speakers=len(order),
                         confidence=confidence(similarity, labels, seconds),
                         silhouette=round(voices.silhouette, 3))
    return cues, record


def _stretches(pieces: list[Piece], vectors: np.ndarray, seconds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each stretch's voice (the normalised, length-weighted mean of its pieces') and seconds."""
    index = np.array([piece.stretch for piece in pieces])
    count = int(index.max()) + 1
    sums = np.zeros((count, vectors.shape[1]))
    np.add.at(sums, index, vectors * seconds[:, None])
    totals = np.bincount(index, weights=seconds, minlength=count)
    present = totals > 0
    norms = np.linalg.norm(sums[present], axis=1, keepdims=True)
    return sums[present] / np.where(norms > 0, norms, 1), totals[present]


def _clip(audio: np.ndarray, piece: Piece) -> np.ndarray:
    start = max(0, int((piece.start - PAD_SECONDS) * SAMPLE_RATE))
    return audio[start:int((piece.end + PAD_SECONDS) * SAMPLE_RATE)]


def _cues(pieces: list[Piece], labels: list[str]) -> list[RawSegment]:
    """Consecutive pieces of one segment and one voice joined into a cue."""
    cues: list[RawSegment] = []
    previous: tuple[int, str] | None = None
    for piece, label in zip(pieces, labels):
        if previous == (piece.segment, label):
            last = cues[-1]
            cues[-1] = RawSegment(start=last.start, end=piece.end, speaker=label, text=f"{last.text} {piece.text}",
                                  words=(*last.words, *piece.words))
        else:
            cues.append(RawSegment(start=piece.start, end=piece.end, speaker=label, text=piece.text,
                                   words=tuple(piece.words)))
        previous = (piece.segment, label)
    return cues
