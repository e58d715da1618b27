"""Whisper's repetition loops ("thanks thanks thanks thanks …") collapsed to one occurrence.

On silence, music or crosstalk Whisper can get stuck repeating a word or a short phrase,
sometimes across several segments. People repeat themselves too, but briefly ("no, no",
"very very", "no no no"), so only runs longer than speech produces are collapsed: one word
four or more times in a row, or a phrase of two to six words three or more times. The
comparison ignores case and punctuation; the first occurrence is kept with its timings.
"""

from __future__ import annotations

import re

from bristlenose.models import RecognisedSegment, Word

MAX_PHRASE_WORDS = 6
MIN_WORD_REPEATS = 4
MIN_PHRASE_REPEATS = 3
_NOT_WORD = re.compile(r"[^\w']+")


def collapse_loops(segments: list[RecognisedSegment]) -> list[RecognisedSegment]:
    """``segments`` with repetition loops collapsed; segments left with no words are dropped."""
    stream = [(index, word) for index, segment in enumerate(segments) for word in segment.words]
    kept = _collapse(stream)
    by_segment: dict[int, list[Word]] = {}
    for index, word in kept:
        by_segment.setdefault(index, []).append(word)
    result = []
    for index, segment in enumerate(segments):
        if not segment.words:
            result.append(segment)
        elif index in by_segment:
            words = by_segment[index]
            if len(words) != len(segment.words):
                segment = segment.model_copy(update={"words": words, "text": "".join(w.text for w in words).strip(),
                                                     "start": words[0].start, "end": words[-1].end})
            result.append(segment)
    return result


def _collapse(stream: list[tuple[int, Word]]) -> list[tuple[int, Word]]:
    keys = [_NOT_WORD.sub("", word.text).casefold() for _, word in stream]
    kept: list[tuple[int, Word]] = []
    position = 0
    while position < len(stream):
        size, repeats = _longest_loop(keys, position)
        kept.extend(stream[position:position + size])
        position += size * repeats
    return kept


def _longest_loop(keys: list[str], start: int) -> tuple[int, int]:
    """(phrase length, repeats) of the loop starting at ``start``, or (1, 1) if there is none."""
    best = (1, 1)
    for size in range(1, MAX_PHRASE_WORDS + 1):
        phrase = keys[start:start + size]
        if len(phrase) < size or not all(phrase):
            break
        repeats = 1
        while keys[start + repeats * size:start + (repeats + 1) * size] == phrase:
            repeats += 1
        needed = MIN_WORD_REPEATS if size == 1 else MIN_PHRASE_REPEATS
        if repeats >= needed and size * repeats > best[0] * best[1]:
            best = (size, repeats)
    return best
