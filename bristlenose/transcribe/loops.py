"""Whisper's repetition loops ("thanks thanks thanks thanks …") collapsed to one occurrence.

On silence, music or crosstalk Whisper can get stuck repeating a word or a short phrase,
sometimes across several segments. People repeat themselves too: briefly inside a sentence
("no, no", "very very", "no no no"), and whole sentences ("Thank you. Thank you.", a
question asked twice). So only what speech does not produce is collapsed:

* inside one sentence of one segment, a word four or more times in a row, or a phrase of
  two to six words three or more times;
* across sentences or segments, a word or phrase four or more times in a row;
* a repeat Whisper gave no time to speak (most of its words last under
  :data:`MIN_WORD_SECONDS`), which no voice produces.

The comparison ignores case and punctuation; the first occurrence is kept with its timings.
"""

from __future__ import annotations

import re

from bristlenose.models import RecognisedSegment, Word

MAX_PHRASE_WORDS = 6
MIN_WORD_REPEATS = 4
MIN_PHRASE_REPEATS = 3
MIN_SENTENCE_REPEATS = 4
"""Repeats needed when the copies are separate sentences or segments: a sentence said twice
or three times is speech."""
MIN_WORD_SECONDS = 0.02
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)]*$")
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
    sentences = _sentence_numbers(stream)
    kept: list[tuple[int, Word]] = []
    position = 0
    while position < len(stream):
        size, repeats = _longest_loop(keys, sentences, [word for _, word in stream], position)
        kept.extend(stream[position:position + size])
        position += size * repeats
    return kept


def _sentence_numbers(stream: list[tuple[int, Word]]) -> list[int]:
    """For each word, the number of its sentence: a new one after sentence-ending
    punctuation and at every segment boundary."""
    numbers: list[int] = []
    current = 0
    for position, (segment, word) in enumerate(stream):
        if position and (segment != stream[position - 1][0] or _SENTENCE_END.search(stream[position - 1][1].text)):
            current += 1
        numbers.append(current)
    return numbers


def _longest_loop(keys: list[str], sentences: list[int], words: list[Word], start: int) -> tuple[int, int]:
    """(phrase length, repeats) of the loop starting at ``start``, or (1, 1) if there is none."""
    best = (1, 1)
    for size in range(1, MAX_PHRASE_WORDS + 1):
        phrase = keys[start:start + size]
        if len(phrase) < size or not all(phrase):
            break
        repeats = 1
        while keys[start + repeats * size:start + (repeats + 1) * size] == phrase:
            repeats += 1
        repeats = _loop_repeats(sentences, words, start, size, repeats)
        if repeats > 1 and size * repeats > best[0] * best[1]:
            best = (size, repeats)
    return best


def _loop_repeats(sentences: list[int], words: list[Word], start: int, size: int, repeats: int) -> int:
    """How many of ``repeats`` copies of a phrase form a machine loop (1: none do)."""
    end = start + size * repeats
    one_sentence = sentences[start] == sentences[end - 1]
    needed = (MIN_WORD_REPEATS if size == 1 else MIN_PHRASE_REPEATS) if one_sentence else MIN_SENTENCE_REPEATS
    if repeats >= needed:
        return repeats
    timeless = 1
    while timeless < repeats and _timeless(words[start + timeless * size:start + (timeless + 1) * size]):
        timeless += 1
    return timeless


def _timeless(copy: list[Word]) -> bool:
    """Whether most words of a repeated copy were given no time to be spoken."""
    return sum(word.end - word.start < MIN_WORD_SECONDS for word in copy) * 2 > len(copy)
