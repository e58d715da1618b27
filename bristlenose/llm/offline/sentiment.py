"""Reading sentiment and intensity from text with the lexicon: negation ("not easy" is friction),
hedges ("a bit slow", "fine, I suppose" count less), intensifiers ("really annoying" counts more)
and contrast (what follows the last "but" is the point)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bristlenose.llm.offline.lexicon import GAP_WORDS, HEDGES, INTENSIFIERS, MARKERS, NEGATORS, Marker
from bristlenose.llm.offline.text import Token, tokens
from bristlenose.models import Sentiment

_CLAUSE_BREAK = re.compile(r"[,;:.!?\u2014\u2013]| - | but ")
_TIE_ORDER = (Sentiment.FRUSTRATION, Sentiment.CONFUSION, Sentiment.DOUBT, Sentiment.DELIGHT, Sentiment.SURPRISE,
              Sentiment.SATISFACTION, Sentiment.CONFIDENCE)
_NEGATION_REACH = 4
_HEDGE_REACH = 3
_HEDGED = 0.6
_INTENSIFIER_REACH = 2
_MIXED_SHARE = 0.5
_BEFORE_BUT = 0.5
_BUT = re.compile(r"\b(?:but|although|however|except|that said|having said that)\b|\b(?:still|though|mind you),",
                  re.IGNORECASE)
_HEDGE_AFTER = re.compile(r"\s*,?\s*(?:i suppose|i guess|i think|sort of|kind of|i['\u2019]d say)\b", re.IGNORECASE)


def _index() -> tuple[dict[str, list[Marker]], list[tuple[str, Marker]]]:
    """Markers by exact first word, and those whose first word is a prefix ("annoy*")."""
    exact: dict[str, list[Marker]] = {}
    prefixed: list[tuple[str, Marker]] = []
    for marker in MARKERS:
        if marker.words[0].endswith("*"):
            prefixed.append((marker.words[0][:-1], marker))
        else:
            exact.setdefault(marker.words[0], []).append(marker)
    return exact, prefixed


_BY_FIRST_WORD, _BY_PREFIX = _index()


@dataclass(frozen=True)
class Hit:
    """A lexicon marker found in a text, already resolved for negation.

    ``sentiment`` None is an opinion marker. Offsets are characters of the text searched.
    """

    sentiment: Sentiment | None
    weight: float
    start: int
    end: int
    intensified: bool
    negated: bool


@dataclass(frozen=True)
class Reading:
    """What a stretch of talk expresses: its sentiment, 1–3 intensity, and how strongly it reads."""

    sentiment: Sentiment
    intensity: int
    emotion: float
    opinion: float


def find_hits(text: str) -> list[Hit]:
    """Every marker in ``text``, longest match first, none overlapping.

    A negated marker takes its ``negated`` meaning: "not easy" is friction at full weight,
    "not annoying" only faint praise.
    """
    found = tokens(text)
    hits: list[Hit] = []
    position = 0
    while position < len(found):
        match = _longest_match(found, position, text)
        if match is None:
            position += 1
            continue
        marker, last = match
        meant = marker.sentiment
        negated = meant is not None and _negated(found, position, text)
        sentiment = marker.negated if negated else meant
        if sentiment is not None or meant is None:
            weight = marker.weight / 2 if negated and meant is not None and meant.is_friction else marker.weight
            if _hedged(found, position, last, text):
                weight *= _HEDGED
            hits.append(Hit(sentiment, weight, found[position].start, found[last].end,
                            _intensified(found, position, last, text), negated))
        position = last + 1
    return hits


def read(text: str, hits: Sequence[Hit]) -> Reading:
    """The dominant sentiment of ``hits`` (all within ``text``) and its intensity.

    ``emotion`` counts the dominant sentiment fully and the others at half: a quote that says
    one thing clearly beats one that mixes several weak signals. Feelings before the last
    "but" count half, since what follows it is the point ("Lovely ending, but… worried me").

    Intensity starts at 1 and gains a point for an intensifier before a marker ("really
    annoying"), for an exclamation mark, and for a repeated or very strong marker.
    """
    scores: dict[Sentiment, float] = {}
    opinion = 0.0
    turn = max((m.end() for m in _BUT.finditer(text)), default=0)
    for hit in hits:
        if hit.sentiment is None:
            opinion += hit.weight
        else:
            weight = hit.weight * (1.5 if hit.intensified else 1.0) * (_BEFORE_BUT if hit.end <= turn else 1.0)
            scores[hit.sentiment] = scores.get(hit.sentiment, 0.0) + weight
    if not scores:
        return Reading(Sentiment.NONE, 1, 0.0, opinion)
    best = max(_TIE_ORDER, key=lambda s: (scores.get(s, 0.0), -_TIE_ORDER.index(s)))
    own = [hit for hit in hits if hit.sentiment is best]
    points = sum((
        any(hit.intensified for hit in own),
        "!" in text,
        len(own) >= 2 or any(hit.weight >= 3 for hit in own),
    ))
    emotion = scores[best] + _MIXED_SHARE * (sum(scores.values()) - scores[best])
    return Reading(best, 1 + min(2, points), emotion, opinion)


def _longest_match(found: list[Token], position: int, text: str) -> tuple[Marker, int] | None:
    """The longest marker starting at ``found[position]`` and the index of its last token."""
    best: tuple[Marker, int] | None = None
    word = found[position].word
    candidates = _BY_FIRST_WORD.get(word, []) + [m for prefix, m in _BY_PREFIX if word.startswith(prefix)]
    for marker in candidates:
        last = _match_from(marker, found, position)
        if last is None or (marker.interjection and not _followed_by_punctuation(text, found[last].end)):
            continue
        if best is None or last > best[1] or (last == best[1] and len(marker.words) > len(best[0].words)):
            best = (marker, last)
    return best


def _match_from(marker: Marker, found: list[Token], position: int) -> int | None:
    """Index of the last token if ``marker`` matches at ``position``; one gap word allowed between words."""
    if not marker.matches(0, found[position].word):
        return None
    current = position
    for index in range(1, len(marker.words)):
        nxt = current + 1
        if nxt < len(found) and not marker.matches(index, found[nxt].word) and found[nxt].word in GAP_WORDS:
            nxt += 1
        if nxt >= len(found) or not marker.matches(index, found[nxt].word):
            return None
        current = nxt
    return current


def _followed_by_punctuation(text: str, end: int) -> bool:
    return end >= len(text) or text[end] in ",.!?;:\u2026-\u2014"


def _negated(found: list[Token], position: int, text: str) -> bool:
    """Whether a negator stands shortly before ``found[position]`` in the same clause."""
    for back in range(max(0, position - _NEGATION_REACH), position):
        if found[back].word in NEGATORS and not _CLAUSE_BREAK.search(text[found[back].end:found[position].start]):
            return True
    return False


def _hedged(found: list[Token], position: int, last: int, text: str) -> bool:
    """Whether a hedge softens the marker: just before it in its clause ("a bit slow") or right
    after it ("workable, I suppose")."""
    for back in range(max(0, position - _HEDGE_REACH), position):
        if found[back].word in HEDGES and not _CLAUSE_BREAK.search(text[found[back].end:found[position].start]):
            return True
    return bool(_HEDGE_AFTER.match(text, found[last].end))


def _intensified(found: list[Token], position: int, last: int, text: str) -> bool:
    """Whether an intensifier stands just before the marker, in its clause, or inside it ("I really like")."""
    if any(found[inside].word in INTENSIFIERS for inside in range(position + 1, last)):
        return True
    for back in range(max(0, position - _INTENSIFIER_REACH), position):
        if found[back].word in INTENSIFIERS and not _CLAUSE_BREAK.search(text[found[back].end:found[position].start]):
            return True
    return False
