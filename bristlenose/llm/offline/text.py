"""Words, sentences and term vectors: the plain text tools every offline task shares.

Everything here is deterministic and standard-library only, so the offline analyser gives
byte-identical answers for the same transcript on any machine.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*|[£$€]")
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])([\"'\u201d\u2019)]*)\s+")
_SMALL_WORDS = frozenset("a an and as at but by for in of on or the to with".split())

STOP_WORDS: frozenset[str] = frozenset("""
a about above actually after again against ago all almost also although always am an and another any anyone
anything anyway are aren't around as ask asked at away back be because been before being below between bit both
but by can can't cannot could couldn't did didn't do does doesn't doing don't done down during each either else
enough even ever every everything exactly few first for from further get gets getting give go goes going gone
gonna good got gotta guess had hadn't has hasn't have haven't having he he'd he's her here hers herself him
himself his hmm how i i'd i'll i'm i've if in into is isn't it it'd it'll it's its itself just kind kinda know
let let's like likely lot lots made make makes making many may maybe me mean might mine mm more most mostly much
must my myself need needs never new no nor not nothing now of off oh ok okay on once one ones only or other
others our ours ourselves out over own part pretty probably put quite rather really right said same say saying
says see seem seems she she'd she's should shouldn't so some someone something sometimes sort still stuff such
sure take tell than that that'd that's the their theirs them themselves then there there's these they they'd
they'll they're they've thing things think this those though through to too totally try trying uh uhm um under
until up upon us use used using usually very via wanna want wanted wants was wasn't way we we'd we'll we're
we've well went were weren't what what's whatever when where where's whether which while who who's whole why
will with within without won't would wouldn't yeah yep yes yet you you'd you'll you're you've your yours
yourself er erm ah eh mhm hm huh wow okay alright thanks thank please look looks looking looked go went click
tap zero one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty
seventy eighty ninety hundred thousand
""".split())


@dataclass(frozen=True)
class Token:
    """A word of a text, lower-cased, with where it sits in the original string."""

    word: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """The words of ``text`` with their offsets; curly apostrophes become straight ones."""
    return [Token(m.group().lower().replace("\u2019", "'"), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def words(text: str) -> list[str]:
    """The lower-cased words of ``text``."""
    return [t.word for t in tokens(text)]


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``, ending after its final punctuation.

    Splits only where end punctuation is followed by white space, so prices such as
    ``£3.99`` stay whole.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() + len(match.group(1))
        if text[start:end].strip():
            spans.append(_strip_span(text, start, end))
        start = match.end()
    if text[start:].strip():
        spans.append(_strip_span(text, start, len(text)))
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` narrowed past white space at either edge."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def stem(word: str) -> str:
    """A light suffix-stripping stem, so ``fees``/``fee`` and ``charged``/``charging`` meet.

    Deliberately simpler than Porter: it only has to make the same word's inflections agree.
    """
    word = word.lower().replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "i"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ation", "ment", "ness", "ing", "ion", "ed", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and _has_vowel(word[:-len(suffix)]):
            word = word[:-len(suffix)]
            if suffix in ("ing", "ed") and len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if word.endswith("ier") and len(word) > 4:
        word = word[:-2]
    if word.endswith("y") and len(word) > 3 and word[-2] not in "aeiou":
        word = word[:-1] + "i"
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def _has_vowel(text: str) -> bool:
    return any(char in "aeiouy" for char in text)


def is_content(word: str) -> bool:
    """Whether a word carries meaning (not a stop word, a number or a lone letter)."""
    return len(word) > 1 and word not in STOP_WORDS and not word.isdigit()


def content_stems(text: str) -> list[str]:
    """Stems of the content words of ``text``, in order."""
    return [stem(word) for word in words(text) if is_content(word)]


def term_vector(texts: Iterable[str]) -> Counter[str]:
    """Counts of content stems over ``texts``."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(content_stems(text))
    return counts


def cosine(left: dict[str, float], right: dict[str, float]) -> float:
    """Cosine similarity of two sparse vectors (0 when either is empty)."""
    if not left or not right:
        return 0.0
    if len(left) > len(right):
        left, right = right, left
    dot = sum(value * right.get(key, 0.0) for key, value in sorted(left.items()))
    norm = vector_length(left) * vector_length(right)
    return dot / norm if norm else 0.0


def vector_length(vector: dict[str, float]) -> float:
    """Euclidean length of a sparse vector."""
    return math.sqrt(sum(value * value for _, value in sorted(vector.items())))


def sparse_cosines(vectors: Sequence[dict[str, float]], indices: Iterable[int]) -> dict[int, dict[int, float]]:
    """:func:`cosine` of every pair of ``vectors[i]`` (``i`` in ``indices``) that share a key, both ways round.

    An inverted index of keys means only pairs sharing a key are ever compared: the rest are 0
    and left out, so the cost follows the pairs that share words, not the square of the count.
    Each value is bit-for-bit what :func:`cosine` gives (products summed in key order).
    """
    chosen = sorted(set(indices))
    lengths = {i: vector_length(vectors[i]) for i in chosen}
    similar: dict[int, dict[int, float]] = {i: {} for i in chosen}
    postings: dict[str, list[int]] = {}
    for i in reversed(chosen):
        vector = vectors[i]
        dots: dict[int, float] = {}
        for key, value in sorted(vector.items()):
            for j in postings.get(key, ()):
                dots[j] = dots.get(j, 0.0) + value * vectors[j][key]
            postings.setdefault(key, []).append(i)
        for j, dot in dots.items():
            similar[i][j] = similar[j][i] = dot / (lengths[i] * lengths[j])
    return similar


def title_case(phrase: str) -> str:
    """Title case for labels ("Search Results", "Sign-up"): small words stay lower after the first."""
    titled = []
    for position, part in enumerate(phrase.split()):
        titled.append(part.lower() if position and part.lower() in _SMALL_WORDS else part[:1].upper() + part[1:])
    return " ".join(titled)


def join_words(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def plural(count: int, noun: str) -> str:
    """``1 quote``, ``3 quotes``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
