"""Labels and one-sentence descriptions of a group of quotes (a report section or a theme).

Built only from the quotes, and stating only what they show: how many, from how many people,
what they talk about, the feeling that dominates and the participants' own strongest words, e.g.
"5 quotes from 3 participants in 3 sessions talk about railcard and discounts, mostly with
frustration, in words such as “really buried” and “hidden away”."
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bristlenose.llm.offline.keywords import key_terms, name_stems
from bristlenose.llm.offline.lexicon import INTENSIFIERS
from bristlenose.llm.offline.sentiment import Hit, find_hits
from bristlenose.llm.offline.text import join_words, plural, tokens
from bristlenose.models import Quote, Sentiment

POSITIVE = frozenset({Sentiment.SATISFACTION, Sentiment.DELIGHT, Sentiment.CONFIDENCE})
_MOSTLY = 0.6
_PAIR = 0.8
_MAX_WORDS_QUOTED = 2
_CLEAR_WEIGHT = 2
_QUESTION_WORDS = frozenset("why what which where how did does do is".split())
_DANGLING_ENDS = frozenset("it i i'd i'm i've this that do does to the a an my".split())


def participants(quotes: Sequence[Quote]) -> int:
    """People quoted: speaker codes are study-wide once merged, session-local before."""
    return len({(q.session_id, q.speaker) for q in quotes})


def sessions(quotes: Sequence[Quote]) -> int:
    """Sessions the quotes come from."""
    return len({q.session_id for q in quotes})


def feelings(quotes: Sequence[Quote]) -> tuple[str, list[Sentiment]]:
    """How the group feels in words ("mostly frustration", "confusion and doubt", "mixed feelings",
    or "" when no quote has a sentiment), and the sentiments named, strongest first."""
    counts: Counter[Sentiment] = Counter(q.sentiment for q in quotes if q.sentiment is not Sentiment.NONE)
    if not counts:
        return "", []
    ranked = sorted(counts, key=lambda s: (-counts[s], list(Sentiment).index(s)))
    total = sum(counts.values())
    top = ranked[0]
    if counts[top] / total >= _MOSTLY or len(ranked) == 1:
        return ("mostly " if len(ranked) > 1 else "") + top.value, [top]
    pair = ranked[:2]
    if (counts[pair[0]] + counts[pair[1]]) / total >= _PAIR:
        opposed = {pair[0] in POSITIVE, pair[1] in POSITIVE} == {True, False} and any(s.is_friction for s in pair)
        return f"{'mixed: ' if opposed else ''}{pair[0].value} and {pair[1].value}", pair
    return "mixed feelings", []


def describe(quotes: Sequence[Quote], corpus: Sequence[Sequence[str]], exclude: frozenset[str] = frozenset(),
             about: str = "") -> str:
    """A sentence that sums up a group of quotes, against the other groups in ``corpus``; ``about``
    says what they talk about when no term stands out."""
    counted = f"{plural(len(quotes), 'quote')} from {plural(participants(quotes), 'participant')}"
    if sessions(quotes) > 1:
        counted += f" in {plural(sessions(quotes), 'session')}"
    mood, named = feelings(quotes)
    names = frozenset().union(*(name_stems(q.text) for q in quotes))
    terms = key_terms([q.text for q in quotes], corpus, limit=2, min_texts=2 if len(quotes) > 2 else 1,
                      exclude=exclude | names)
    verb = "talks" if len(quotes) == 1 else "talk"
    if terms or about:
        sentence = f"{counted} {verb} about {join_words(terms) if terms else about}"
    else:
        sentence = f"{counted} {'is' if len(quotes) == 1 else 'are'} grouped here"
    if mood:
        sentence += f", {_with(mood)}"
    said = strongest_words(quotes, named)
    if said:
        sentence += f", in words such as {join_words([f'“{w}”' for w in said])}"
    return f"{sentence}."


def label(subject: str, quotes: Sequence[Quote]) -> str:
    """A theme's label: what its quotes talk about, how they feel and how widely ("Railcard — mostly
    frustration, 3 sessions"): nothing the quotes do not show."""
    mood, _ = feelings(quotes)
    spread = plural(sessions(quotes), "session")
    subject = subject[:1].upper() + subject[1:]
    return f"{subject} — {mood.replace('mixed: ', 'mixed, ')}, {spread}" if mood else f"{subject} — {spread}"


def _with(mood: str) -> str:
    """A mood as an adverbial: "mostly frustration" → "mostly with frustration"."""
    if mood.startswith("mixed: "):
        return f"with mixed feelings ({mood.removeprefix('mixed: ')})"
    if mood.startswith("mostly "):
        return f"mostly with {mood.removeprefix('mostly ')}"
    return f"with {mood}"


def strongest_words(quotes: Sequence[Quote], sentiments: Sequence[Sentiment]) -> list[str]:
    """The participants' own words for the group's feeling ("really annoying"), most intense first.

    Only clear markers count: not negated ("not great" says nothing quotable about
    greatness) and not weak ones such as "oh".
    """
    found: list[tuple[int, float, int, str]] = []
    for order, quote in enumerate(quotes):
        if quote.sentiment not in sentiments:
            continue
        for hit in find_hits(quote.text):
            said = quote.text[hit.start:hit.end]
            if (hit.sentiment is quote.sentiment and not hit.negated and hit.weight >= _CLEAR_WEIGHT
                    and not _is_fragment(said)):
                found.append((-quote.intensity, -hit.weight, order, _with_intensifier(quote.text, hit)))
    chosen: list[str] = []
    for *_, said in sorted(found):
        if said.lower() not in {c.lower() for c in chosen}:
            chosen.append(said)
        if len(chosen) == _MAX_WORDS_QUOTED:
            break
    return chosen


def _is_fragment(said: str) -> bool:
    """Whether a marker's words read as a cut-off question or clause ("Why does it", "not sure I'd"),
    which say nothing quoted on their own."""
    found = [t.word for t in tokens(said)]
    return bool(found) and (found[0] in _QUESTION_WORDS or found[-1] in _DANGLING_ENDS)


def _with_intensifier(text: str, hit: Hit) -> str:
    """The marker's words, with the intensifier just before it ("really annoying")."""
    before = tokens(text[:hit.start])
    if before and before[-1].word in INTENSIFIERS and not text[before[-1].end:hit.start].strip():
        return text[before[-1].start:hit.end]
    return text[hit.start:hit.end]
