"""Offline theming: patterns across sessions, named as findings.

1. Each quote is anchored to the catalogue subject whose vocabulary it uses most (a core
   word, or talk on the subject's screen, is needed). A subject with quotes from two or
   more sessions is a theme, labelled by how participants feel about it ("Hidden costs
   erode trust" when friction dominates).
2. The remaining quotes are clustered agglomeratively (average link, cosine of tf-idf
   vectors; only quotes that share a word are ever compared, and past :data:`MAX_CLUSTERED`
   the most opinionated are clustered and the rest join the groups found). A cluster of
   three or more quotes from two or more sessions is a theme, labelled from its shared key
   terms and dominant feeling ("Frustration with the outfit planner", "Mixed feelings about
   recipes and suggestions").
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Sequence

from bristlenose.analysis.themes import ThemeProposal, ThemeResponse, ThemesInput
from bristlenose.llm.offline.describe import POSITIVE, describe, feelings, sessions
from bristlenose.llm.offline.findings import CATALOGUE, Subject
from bristlenose.llm.offline.keywords import key_terms
from bristlenose.llm.offline.screens import screen_of_label
from bristlenose.llm.offline.text import content_stems, join_words, sparse_cosines, stem, vector_length, words
from bristlenose.models import Quote, Sentiment

MIN_SESSIONS = 2
MIN_QUOTES = 2
MIN_CLUSTER_QUOTES = 3
_MIN_ANCHOR = 2
_MERGE_SIMILARITY = 0.2
_CLEAR_MAJORITY = 2 / 3
MAX_CLUSTERED = 1000
"""Most starting clusters (distinct wordings of leftover quotes) clustered pair by pair.

Agglomerative clustering compares every pair of quotes that share a word, and in a big study most
pairs do (everyday words such as "screen" or "order" link nearly everything), so its time and
memory grow with the square of the quotes: 2,500 leftover quotes of a 1,000-session study took
15 minutes and most of 730 MiB. Up to the cap clustering is exact; past it, the thousand most
opinionated, spread over the sessions, still show the patterns that recur (a theme needs several
quotes from two or more sessions), and every other quote then joins the group it is most like, so
themes keep their full size. 10,000 distinct leftover quotes take about 2 s and 60 MiB this way.
"""
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
    """Groups of two or more quotes from average-link clustering by cosine of tf-idf vectors.

    Quotes that share no content word with another can join nothing and are left out from the
    start; quotes worded alike (the same content words as often) start as one cluster, since they
    are as similar as quotes can be and would merge first. Past :data:`MAX_CLUSTERED` such starting
    clusters, the most opinionated are clustered (:func:`_clustered`) and each of the others then
    joins the group it is on average most similar to, if that is close enough (:func:`_join_groups`).
    """
    vectors = _tfidf([q.text for q in pool])
    shared = Counter(key for vector in vectors for key in vector)
    alike: dict[tuple[tuple[str, float], ...], list[int]] = {}
    for index, vector in enumerate(vectors):
        if any(shared[key] > 1 for key in vector):
            alike.setdefault(tuple(vector.items()), []).append(index)
    starts = list(alike.values())
    chosen = _clustered(pool, starts)
    groups = [group for group in _average_link(vectors, chosen) if len(group) > 1]
    if len(chosen) < len(starts):
        picked = {group[0] for group in chosen}
        groups = _join_groups(vectors, groups, [group for group in starts if group[0] not in picked])
    return [[pool[index] for index in group] for group in sorted(groups)]


def _clustered(pool: Sequence[Quote], starts: list[list[int]]) -> list[list[int]]:
    """The starting clusters to cluster: all of them, or the :data:`MAX_CLUSTERED` most opinionated.

    Most opinionated (by a cluster's first quote): a sentiment before none, then the more intense;
    among equals each session's quotes take turns, in the order said, so no session crowds out
    the others.
    """
    if len(starts) <= MAX_CLUSTERED:
        return starts
    turns: Counter[tuple[str, bool, int]] = Counter()
    ranked: list[tuple[bool, int, int, int]] = []
    for position, group in enumerate(starts):
        quote = pool[group[0]]
        kind = (quote.session_id, quote.sentiment is Sentiment.NONE, quote.intensity)
        ranked.append((kind[1], -quote.intensity, turns[kind], position))
        turns[kind] += 1
    return [starts[position] for position in sorted(position for *_, position in sorted(ranked)[:MAX_CLUSTERED])]


def _average_link(vectors: Sequence[dict[str, float]], starts: Sequence[list[int]]) -> list[list[int]]:
    """Average-link agglomerative clustering of quotes from ``starts`` (lists of quotes worded alike,
    each standing for its first quote's vector) until no two clusters are at least
    :data:`_MERGE_SIMILARITY` alike; clusters as sorted lists of quotes, by first quote.

    Similarities are sparse: only clusters that share a word are ever compared (the rest are 0 and
    stay 0, since an average of zeros is zero). They follow the Lance-Williams update. The most
    similar pair merges first (ties: the earliest pair), taken from a heap of the pairs close enough
    to merge, whose stale entries (a cluster merged away, or a similarity since updated) are
    skipped; a merged cluster keeps the earlier number.
    """
    members = {group[0]: list(group) for group in starts}
    near = sparse_cosines(vectors, members)
    heap = [(-similarity, a, b) for a, partners in near.items() for b, similarity in partners.items()
            if a < b and similarity >= _MERGE_SIMILARITY]
    heapq.heapify(heap)
    while heap:
        negated, a, b = heapq.heappop(heap)
        if a not in members or b not in members or near[a].get(b) != -negated:
            continue
        size_a, size_b = len(members[a]), len(members[b])
        members[a] = sorted(members[a] + members.pop(b))
        near_a, near_b = near[a], near.pop(b)
        del near_a[b], near_b[a]
        merged: dict[int, float] = {}
        for other in sorted(near_a.keys() | near_b.keys()):
            weighted = size_a * near_a.get(other, 0.0) + size_b * near_b.get(other, 0.0)
            merged[other] = near[other][a] = weighted / (size_a + size_b)
            near[other].pop(b, None)
            if merged[other] >= _MERGE_SIMILARITY:
                heapq.heappush(heap, (-merged[other], min(a, other), max(a, other)))
        near[a] = merged
    return [group for _, group in sorted(members.items())]


def _join_groups(vectors: Sequence[dict[str, float]], groups: list[list[int]], others: Sequence[list[int]]
                 ) -> list[list[int]]:
    """Each of ``others`` (quotes worded alike) joins the group whose members its quotes are on average
    most similar to (ties: the earlier group), if that average cosine is at least
    :data:`_MERGE_SIMILARITY`; else it stays out.

    The average cosine of a quote with a group is the quote's unit vector against the mean of the
    members' unit vectors, so each quote costs one pass over the groups that share a word with it.
    """
    postings: dict[str, list[tuple[int, float]]] = {}
    for position, group in enumerate(groups):
        total: dict[str, float] = {}
        for index in group:
            length = vector_length(vectors[index])
            for key, value in vectors[index].items():
                total[key] = total.get(key, 0.0) + value / length
        for key, value in sorted(total.items()):
            postings.setdefault(key, []).append((position, value / len(group)))
    joined: list[list[int]] = [[] for _ in groups]
    for other in others:
        vector = vectors[other[0]]
        length = vector_length(vector)
        averages: dict[int, float] = {}
        for key, value in vector.items():
            for position, mean in postings.get(key, ()):
                averages[position] = averages.get(position, 0.0) + value / length * mean
        found = max(((average, -position) for position, average in averages.items()), default=None)
        if found is not None and found[0] >= _MERGE_SIMILARITY:
            joined[-found[1]].extend(other)
    return [sorted(group + extra) for group, extra in zip(groups, joined, strict=True)]


def _tfidf(texts: Sequence[str]) -> list[dict[str, float]]:
    """Tf-idf vectors of content stems, each quote a document (smoothed, so shared words still count)."""
    counts = [Counter(content_stems(text)) for text in texts]
    frequency: Counter[str] = Counter()
    for count in counts:
        frequency.update(count.keys())
    idf = {key: math.log((1 + len(texts)) / (1 + n)) + 1.0 for key, n in sorted(frequency.items())}
    return [{key: value * idf[key] for key, value in sorted(count.items())} for count in counts]
