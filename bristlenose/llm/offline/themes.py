"""Offline theming: what several sessions talk about, named in the study's own words.

1. Subjects come from the study itself: a word participants use (in a quote or its
   ``[context]``) in two or more sessions. Taking the subject heard in the most sessions first,
   each takes the quotes not yet taken that use it; a subject left with quotes from two or
   more sessions is a theme. Words most quotes use say nothing about any of them and are left
   out.
2. The remaining quotes are clustered agglomeratively (average link, cosine of tf-idf
   vectors; only quotes that share a word are ever compared, and past :data:`MAX_CLUSTERED`
   the most opinionated are clustered and the rest join the groups found). A cluster of
   three or more quotes from two or more sessions is a theme.

Every label says what the quotes talk about (their key terms), how they feel and how widely
("Railcard — mostly frustration, 3 sessions"); no finding is asserted that nobody voiced.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Sequence

from bristlenose.analysis.themes import ThemeProposal, ThemeResponse, ThemesInput
from bristlenose.llm.offline.describe import describe, label, sessions
from bristlenose.llm.offline.keywords import key_terms, name_stems, subject_phrases, subject_stems
from bristlenose.llm.offline.text import content_stems, join_words, sparse_cosines, vector_length
from bristlenose.models import Quote, Sentiment

MIN_SESSIONS = 2
MIN_QUOTES = 2
MIN_CLUSTER_QUOTES = 3
_MERGE_SIMILARITY = 0.2
_COMMON_SHARE = 0.4
"""A word in more than this share of the quotes is too common to be a subject."""
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


def answer(context: ThemesInput) -> ThemeResponse:
    """Themes found in the study's quotes: shared subjects first, then lexical clusters."""
    quotes = list(context.quotes)
    groups, pool = _by_subject(quotes)
    clusters = [c for c in _agglomerate(pool) if _is_theme(c) and len(c) >= MIN_CLUSTER_QUOTES]
    corpus = [[q.text for q in members] for members in groups] + [[q.text for q in c] for c in clusters]
    named = [(_subject(members, corpus), members) for members in groups + clusters]
    return ThemeResponse(themes=[
        ThemeProposal(label=label(subject, members), description=describe(members, corpus, about=subject),
                      quote_ids=[q.id for q in members])
        for subject, members in named
    ])


def _by_subject(quotes: Sequence[Quote]) -> tuple[list[list[Quote]], list[Quote]]:
    """Groups of quotes that share a subject heard in two or more sessions, and the quotes left over.

    Subjects are taken greedily, the one heard in most sessions (then by most quotes, then
    alphabetically) first, each with the quotes no earlier subject took.
    """
    stems = [subject_stems(f"{q.text} {q.context}") for q in quotes]
    users: dict[str, list[int]] = {}
    for index, found in enumerate(stems):
        for key in found:
            users.setdefault(key, []).append(index)
    common = _COMMON_SHARE * len(quotes)
    candidates = {key: indices for key, indices in users.items() if len(indices) <= common or len(quotes) < 5}
    taken: set[int] = set()
    groups: list[list[Quote]] = []
    heap = [(-_spread(quotes, indices, taken), -len(indices), key) for key, indices in sorted(candidates.items())]
    heapq.heapify(heap)
    while heap:
        spread, count, key = heapq.heappop(heap)
        free = [i for i in candidates[key] if i not in taken]
        now = (-_spread(quotes, free, taken), -len(free), key)
        if now != (spread, count, key):
            if -now[0] >= MIN_SESSIONS and len(free) >= MIN_QUOTES:
                heapq.heappush(heap, now)
            continue
        if -spread < MIN_SESSIONS or -count < MIN_QUOTES:
            break
        taken.update(free)
        groups.append([quotes[i] for i in free])
    return groups, [q for i, q in enumerate(quotes) if i not in taken]


def _spread(quotes: Sequence[Quote], indices: Sequence[int], taken: set[int]) -> int:
    """Sessions the quotes at ``indices`` not yet ``taken`` come from."""
    return len({quotes[i].session_id for i in indices if i not in taken})


def _is_theme(members: Sequence[Quote]) -> bool:
    return len(members) >= MIN_QUOTES and sessions(members) >= MIN_SESSIONS


def _subject(members: Sequence[Quote], corpus: Sequence[Sequence[str]]) -> str:
    """What a group talks about, in the participants' words: the thing most of its quotes name
    ("booking fee"), else its shared key terms."""
    named: Counter[str] = Counter()
    for quote in members:
        phrases = subject_phrases(f"{quote.text} {quote.context}")
        said = {words.lower() for _, words in phrases}
        if set(content_stems(quote.topic)) & {key for keys, _ in phrases for key in keys}:
            said = {w for w in said if not set(content_stems(w)) <= set(content_stems(quote.topic))}
            said.add(quote.topic.lower())
        named.update(said)
    if named:
        said, uses = min(named.items(), key=lambda item: (-item[1], -len(item[0].split()), item[0]))
        if uses >= 2:
            return said
    texts = [f"{q.text} {q.context}" for q in members]
    names = frozenset().union(*(name_stems(text) for text in texts))
    terms = (key_terms(texts, corpus, limit=2, min_texts=2, exclude=names)
             or key_terms(texts, corpus, limit=2, exclude=names))
    return join_words(terms) or "what participants said"


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
