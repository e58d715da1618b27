"""Each piece of speech given to one voice, smoothed so that a stray piece cannot flip a turn.

Every piece scores its similarity to each voice's centroid, weighted by its length (a half-
second "mm-hm" says less about a voice than a sentence). A Viterbi pass then picks the
sequence of voices that best fits those scores less :data:`SWITCH_COST` per change of
speaker: a change needs clear evidence, so an ambiguous short piece stays with the turn
around it, while a backchannel in a clearly different voice becomes its own short cue and
the turn around it keeps its speaker (labels come from voices, never from alternation). A
pause alone never changes the speaker.
"""

from __future__ import annotations

import numpy as np

SCALE = 12.0
"""Score per unit of cosine similarity for a piece of :data:`FULL_WEIGHT_SECONDS` or more."""
FULL_WEIGHT_SECONDS = 1.0
SWITCH_COST = 0.6
CLEAR_MARGIN = 0.08
"""A piece is attributed with confidence when its voice beats the next best by this much."""
CLEARLY_THE_ONE_VOICE = 0.73
"""With one voice, a piece at least this similar to it counts as clearly theirs."""


def assign(similarity: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """The voice index of each piece: ``similarity`` is (pieces, voices), cosine."""
    pieces, voices = similarity.shape
    if voices <= 1 or pieces == 0:
        return np.zeros(pieces, dtype=int)
    weight = np.minimum(seconds / FULL_WEIGHT_SECONDS, 1.0)[:, None]
    emission = SCALE * weight * similarity
    score = emission[0].copy()
    back = np.zeros((pieces, voices), dtype=int)
    change = SWITCH_COST * (1 - np.eye(voices))
    for index in range(1, pieces):
        options = score[:, None] - change
        back[index] = np.argmax(options, axis=0)
        score = options[back[index], np.arange(voices)] + emission[index]
    path = np.zeros(pieces, dtype=int)
    path[-1] = int(np.argmax(score))
    for index in range(pieces - 1, 0, -1):
        path[index - 1] = back[index, path[index]]
    return path


def confidence(similarity: np.ndarray, labels: np.ndarray, seconds: np.ndarray) -> float:
    """Share of speech time attributed clearly: for several voices, pieces whose voice beats
    the next best by :data:`CLEAR_MARGIN`; for one voice, pieces that sound like it."""
    total = float(seconds.sum())
    if total <= 0 or len(labels) == 0:
        return 0.0
    chosen = similarity[np.arange(len(labels)), labels]
    if similarity.shape[1] == 1:
        clear = chosen >= CLEARLY_THE_ONE_VOICE
    else:
        others = similarity.copy()
        others[np.arange(len(labels)), labels] = -np.inf
        clear = chosen - others.max(axis=1) >= CLEAR_MARGIN
    return round(float(seconds[clear].sum()) / total, 3)
