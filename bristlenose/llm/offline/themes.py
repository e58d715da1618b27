"""Offline theming: patterns across sessions, named as findings.

1. Each quote is anchored to the catalogue subject whose vocabulary it uses most (a core
   word, or talk on the subject's screen, is needed). A subject with quotes from two or
   more sessions is a theme, labelled by how participants feel about it ("Hidden costs
   erode trust" when friction dominates).
2. The remaining quotes are clustered agglomeratively (average link, cosine of tf-idf
   vectors). A cluster of three or more quotes from two or more sessions is a theme,
   labelled from its shared key terms and dominant feeling ("Frustration with the outfit
   planner", "Mixed feelings about recipes and suggestions").
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from bristlenose.analysis.themes import ThemeProposal, ThemeResponse, ThemesInput
from bristlenose.llm.offline.describe import POSITIVE, describe, feelings, sessions
from bristlenose.llm.offline.findings import CATALOGUE, Subject
from bristlenose.llm.offline.keywords import key_terms
from bristlenose.llm.offline.screens import screen_of_label
from bristlenose.llm.offline.text import content_stems, cosine, join_words, stem, words
from bristlenose.models import Quote, Sentiment

MIN_SESSIONS = 2
MIN_QUOTES = 2
MIN_CLUSTER_QUOTES = 3
_MIN_ANCHOR = 2
_MERGE_SIMILARITY = 0.2
_CLEAR_MAJORITY = 2 / 3
_FALLBACK_LABELS = {
    Sentiment.FRUSTRATION: "Frustration with {}",
    Sentiment.CONFUSION: "Confusion about {}",
    Sentiment.DOUBT: "Doubts about {}",
    Sentiment.SURPRISE: "Surprise at {}",
    Sentiment.SATISFACTION: "Praise for {}",
    Sentiment.DELIGHT: "Delight at {}",
    Sentiment.CONFIDENCE: "Confidence with {}",
}


def answer(context: ThemesInput) -> ThemeResponse:
    """Themes found in the study's quotes: catalogue subjects first, then lexical clusters."""
    quotes = list(context.quotes)
    by_subject: dict[str, list[Quote]] = {}
    pool: list[Quote] = []
    for quote in quotes:
        subject = _anchor(quote)
        if subject is None:
            pool.append(quote)
        else:
            by_subject.setdefault(subject.name, []).append(quote)
    groups: list[tuple[str, list[Quote]]] = []
    for subject in CATALOGUE:
        members = by_subject.get(subject.name, [])
        if _is_theme(members):
            groups.append((_subject_label(subject, members), members))
        else:
            pool.extend(members)
    order = {quote.id: position for position, quote in enumerate(quotes)}
    pool.sort(key=lambda q: order[q.id])
    clusters = [c for c in _agglomerate(pool) if _is_theme(c) and len(c) >= MIN_CLUSTER_QUOTES]
    corpus = [[q.text for q in members] for _, members in groups] + [[q.text for q in c] for c in clusters]
    groups += [(_fallback_label(c, corpus), c) for c in clusters]
    return ThemeResponse(themes=[
        ThemeProposal(label=label, description=describe(members, corpus), quote_ids=[q.id for q in members])
        for label, members in groups
    ])


def _anchor(quote: Quote) -> Subject | None:
    """The catalogue subject a quote speaks to most, if any (ties: catalogue order).

    The quote's words and its researcher context count; so does its topic, when the topic is
    a screen the subject belongs to. A core word or such a screen is needed.
    """
    stems = {stem(w) for w in words(f"{quote.text} {quote.context}")}
    screen = screen_of_label(quote.topic)
    best: tuple[int, Subject] | None = None
    for subject in CATALOGUE:
        core = len(subject.core & stems) + (screen is not None and screen.key in subject.screens)
        score = 2 * core + len(subject.related & stems)
        if core and score >= _MIN_ANCHOR and (best is None or score > best[0]):
            best = (score, subject)
    return best[1] if best else None


def _is_theme(members: Sequence[Quote]) -> bool:
    return len(members) >= MIN_QUOTES and sessions(members) >= MIN_SESSIONS


def _subject_label(subject: Subject, members: Sequence[Quote]) -> str:
    """The subject's finding for how participants feel: friction, positive, or mixed."""
    friction = sum(1 for q in members if q.sentiment.is_friction)
    positive = sum(1 for q in members if q.sentiment in POSITIVE)
    polar = friction + positive
    if polar and friction / polar >= _CLEAR_MAJORITY:
        return subject.friction
    if polar and positive / polar >= _CLEAR_MAJORITY:
        return subject.positive
    return subject.mixed


def _fallback_label(members: Sequence[Quote], corpus: Sequence[Sequence[str]]) -> str:
    """A label from the cluster's shared key terms and its dominant feeling."""
    terms = key_terms([q.text for q in members], corpus, limit=2, min_texts=2) or key_terms(
        [q.text for q in members], corpus, limit=2)
    subject = join_words(terms) or "the experience"
    mood, named = feelings(members)
    if len(named) == 1 and mood.startswith(("mostly ", named[0].value)):
        label = _FALLBACK_LABELS[named[0]].format(subject)
    elif mood:
        label = f"Mixed feelings about {subject}"
    else:
        label = f"Views on {subject}"
    return label[:1].upper() + label[1:]


def _agglomerate(pool: Sequence[Quote]) -> list[list[Quote]]:
    """Average-link agglomerative clustering of quotes by cosine of tf-idf vectors.

    Cluster similarities follow the Lance-Williams update and each cluster remembers its
    most similar partner, so a merge costs about one pass over the clusters.
    """
    vectors = _tfidf([q.text for q in pool])
    members: dict[int, list[int]] = {index: [index] for index in range(len(pool))}
    similarity = {(a, b): cosine(vectors[a], vectors[b]) for a in range(len(pool)) for b in range(a + 1, len(pool))}
    best = {index: _best_partner(index, members, similarity) for index in members}
    while len(members) > 1:
        score, (a, b) = max((best[i] for i in sorted(best)), key=_rank)
        if score < _MERGE_SIMILARITY:
            break
        size_a, size_b = len(members[a]), len(members[b])
        members[a] = sorted(members[a] + members.pop(b))
        del best[b], similarity[(a, b)]
        for other in members:
            if other != a:
                weighted = size_a * similarity[_pair(a, other)] + size_b * similarity.pop(_pair(b, other))
                similarity[_pair(a, other)] = weighted / (size_a + size_b)
        best[a] = _best_partner(a, members, similarity)
        for other in sorted(best):
            if other == a:
                continue
            if a in best[other][1] or b in best[other][1]:
                best[other] = _best_partner(other, members, similarity)
            else:
                best[other] = max(best[other], (similarity[_pair(a, other)], _pair(a, other)), key=_rank)
    return [[pool[index] for index in group] for _, group in sorted(members.items())]


def _best_partner(index: int, members: dict[int, list[int]], similarity: dict[tuple[int, int], float]
                  ) -> tuple[float, tuple[int, int]]:
    """The cluster most similar to ``index``, as ``(similarity, pair)``; ``(-1, pair)`` when alone."""
    pairs = [(similarity[_pair(index, other)], _pair(index, other)) for other in sorted(members) if other != index]
    return max(pairs, key=_rank, default=(-1.0, (index, index)))


def _rank(item: tuple[float, tuple[int, int]]) -> tuple[float, int, int]:
    """Order of candidate merges: most similar first, then the earliest pair."""
    score, (left, right) = item
    return score, -left, -right


def _pair(left: int, right: int) -> tuple[int, int]:
    return (left, right) if left < right else (right, left)


def _tfidf(texts: Sequence[str]) -> list[dict[str, float]]:
    """Tf-idf vectors of content stems, each quote a document (smoothed, so shared words still count)."""
    counts = [Counter(content_stems(text)) for text in texts]
    frequency: Counter[str] = Counter()
    for count in counts:
        frequency.update(count.keys())
    idf = {key: math.log((1 + len(texts)) / (1 + n)) + 1.0 for key, n in sorted(frequency.items())}
    return [{key: value * idf[key] for key, value in sorted(count.items())} for count in counts]
