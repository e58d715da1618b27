"""Key terms of a group of texts against the rest, for labels and descriptions.

Scores each content word (and each pair of adjacent content words that recurs) by how many
of the group's texts use it, weighted by how rare it is across all groups, and returns the
words as participants said them ("delivery fee", not "deliveri fe").
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Sequence

from bristlenose.llm.offline.lexicon import INTENSIFIERS, MARKERS
from bristlenose.llm.offline.text import Token, is_content, stem, tokens

_BLAND = frozenset(
    """
app apps screen page bit one ones time times thing way lot today day fine good nice great yeah okay people
person everything anything something little big small sort kind actually sure mean feel find found show
shows showed put tell told says said expect expected try tried bought wonder ask asking asks wants wanted give
giving stop stops end start beginning pound pounds pence quid dollar dollars euro euros cent cents
""".split()
)
_FEELING_WORDS = frozenset(word for m in MARKERS for word in m.words if not word.endswith("*"))
_FEELING_PREFIXES = tuple(sorted(m.words[0][:-1] for m in MARKERS if len(m.words) == 1 and m.words[0].endswith("*")))
_BLAND_STEMS = frozenset(stem(word) for word in _BLAND | _FEELING_WORDS | INTENSIFIERS | {"honest", "honestly"})
_PAIR_BONUS = 1.3
_DETERMINERS = frozenset("the a an my your our their his her its this that these those".split())
_MAX_PHRASE_WORDS = 3


def key_terms(texts: Sequence[str], corpus: Sequence[Sequence[str]], limit: int = 3, min_texts: int = 1,
              exclude: frozenset[str] = frozenset()) -> list[str]:
    """Up to ``limit`` terms that characterise ``texts`` among the groups of ``corpus``.

    A term must occur in at least ``min_texts`` of the texts; ``exclude`` holds stems to leave out
    on their own (e.g. the screen a section is named after: "fee" but "delivery fee" still counts).
    Feeling words are left out too: the description says what people felt about, not how.
    """
    idf = _inverse_frequency(corpus)
    unigram_texts: Counter[str] = Counter()
    pair_texts: Counter[tuple[str, str]] = Counter()
    forms: dict[tuple[str, ...], Counter[str]] = {}
    for text in texts:
        runs = _content_runs(text)
        seen_words: set[str] = set()
        seen_pairs: set[tuple[str, str]] = set()
        for run in runs:
            for index, (key, word) in enumerate(run):
                forms.setdefault((key,), Counter())[word.removeprefix("of ")] += 1
                seen_words.add(key)
                if index:
                    pair = (run[index - 1][0], key)
                    forms.setdefault(pair, Counter())[f"{run[index - 1][1]} {word}"] += 1
                    seen_pairs.add(pair)
        unigram_texts.update(seen_words)
        pair_texts.update(seen_pairs)
    wanted = max(1, min_texts)
    scored: list[tuple[float, tuple[str, ...]]] = []
    for key, count in sorted(unigram_texts.items()):
        if count >= wanted and key not in exclude and key not in _BLAND_STEMS and not _is_participle(forms[(key,)]):
            scored.append((count * idf.get(key, 1.0), (key,)))
    for pair, count in sorted(pair_texts.items()):
        if (count >= max(2, wanted) and not set(pair) & _BLAND_STEMS and not set(pair) <= exclude
                and pair[0] != pair[1]):
            scored.append((count * _PAIR_BONUS * (idf.get(pair[0], 1.0) + idf.get(pair[1], 1.0)) / 2, pair))
    scored.sort(key=lambda item: (-item[0], item[1]))
    chosen: list[tuple[str, ...]] = []
    for _, term in scored:
        if len(chosen) == limit:
            break
        if any(set(term) & set(other) for other in chosen):
            continue
        chosen.append(term)
    return [min(forms[term].items(), key=lambda item: (-item[1], item[0]))[0] for term in chosen]


def _is_participle(forms: Counter[str]) -> bool:
    """Whether a word is mostly used as a past participle ("updated"), which makes a poor subject alone."""
    return sum(n for word, n in forms.items() if word.endswith("ed")) * 2 > sum(forms.values())


def _content_runs(text: str) -> list[list[tuple[str, str]]]:
    """Runs of adjacent content words as ``(stem, surface)``; a stop word or punctuation ends a run,
    except "of" between two content words, which joins them ("date of birth")."""
    runs: list[list[tuple[str, str]]] = [[]]
    previous_end: int | None = None
    linked = False
    for token in tokens(text):
        broken = previous_end is not None and bool(text[previous_end:token.start].strip())
        previous_end = token.end
        if token.word.startswith(_FEELING_PREFIXES):
            runs.append([])
            linked = False
            continue
        if is_content(token.word) and not broken:
            runs[-1].append((stem(token.word), f"of {token.word}" if linked and runs[-1] else token.word))
            linked = False
        elif token.word == "of" and runs[-1] and not broken and not linked:
            linked = True
        else:
            if runs[-1]:
                runs.append([])
            linked = False
            if is_content(token.word):
                runs[-1].append((stem(token.word), token.word))
    return [run for run in runs if run]


def _inverse_frequency(corpus: Sequence[Sequence[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency of stems, each group of texts one document.

    Remembered for the last corpora seen: a stage labels and describes every group against the
    same corpus, and reading all of a big study's quotes again for each group is what costs.
    """
    return _frequency_of(tuple(tuple(group) for group in corpus))


@functools.lru_cache(maxsize=4)
def _frequency_of(corpus: tuple[tuple[str, ...], ...]) -> dict[str, float]:
    frequency: Counter[str] = Counter()
    for group in corpus:
        frequency.update({stem(t.word) for text in group for t in tokens(text) if is_content(t.word)})
    total = len(corpus)
    return {key: math.log((1 + total) / (1 + count)) + 1.0 for key, count in sorted(frequency.items())}



def is_bland(word: str) -> bool:
    """Whether a word says nothing about a subject: bland ("app", "thing"), a feeling or an intensifier."""
    return stem(word) in _BLAND_STEMS or word.startswith(_FEELING_PREFIXES)


def subject_phrases(text: str) -> list[tuple[tuple[str, ...], str]]:
    """The things ``text`` talks about, as ``(stems, words as said)``: runs of up to three content
    words right after a determiner ("the booking fee", "my railcard"), less bland and feeling
    words, and less names (capitalised inside a sentence: people, brands)."""
    found: list[tuple[tuple[str, ...], str]] = []
    said = tokens(text)
    for position, token in enumerate(said):
        if token.word not in _DETERMINERS:
            continue
        run: list[tuple[str, str]] = []
        previous = token.end
        for following in said[position + 1:position + 1 + _MAX_PHRASE_WORDS]:
            if text[previous:following.start].strip() or not is_content(following.word) or _is_name(text, following):
                break
            run.append((stem(following.word), following.word))
            previous = following.end
        while run and (run[-1][0] in _BLAND_STEMS or run[-1][1].startswith(_FEELING_PREFIXES)):
            run.pop()
        run = [item for item in run if item[0] not in _BLAND_STEMS and not item[1].startswith(_FEELING_PREFIXES)]
        if run:
            found.append((tuple(key for key, _ in run), " ".join(word for _, word in run)))
    return found


def subject_stems(text: str) -> frozenset[str]:
    """Stems of the things ``text`` talks about (see :func:`subject_phrases`)."""
    return frozenset(key for keys, _ in subject_phrases(text) for key in keys)


def name_stems(text: str) -> frozenset[str]:
    """Stems of the names in ``text`` (words capitalised inside a sentence): people and brands say
    nothing about what a group of quotes is about."""
    return frozenset(stem(t.word) for t in tokens(text) if _is_name(text, t))


def _is_name(text: str, token: Token) -> bool:
    """Whether a word is capitalised inside a sentence: a person's or a brand's name."""
    before = text[:token.start].rstrip()
    return text[token.start].isupper() and bool(before) and before[-1] not in ".!?\"\u201c[(:"
