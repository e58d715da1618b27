"""Offline screen clustering: one report section per place, across sessions, in the study's words.

Each quote's place comes from its topic when the topic is a place ("Payments" in one session
and "Payments Screen" in another share a key), else from the screen the quote names outright.
A place whose name's words all fall within another's ("Roles" in "Roles and Permissions") joins
it; a section that names no place joins the most similar section by vocabulary when close
enough. Labels are the names sessions used most; descriptions are built from the quotes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from bristlenose.analysis.clusters import ClusterProposal, ClusterResponse, ClustersInput
from bristlenose.llm.offline.describe import describe
from bristlenose.llm.offline.screens import label_key, mentions, screen_of_label
from bristlenose.llm.offline.text import cosine, stem, term_vector, words
from bristlenose.models import Quote, TopicKind, TopicMap

_JOIN_SIMILARITY = 0.3
_SCREEN_SUFFIX = re.compile(r"\s+(?:screen|page|tab|view)$", re.IGNORECASE)


@dataclass
class _Section:
    """Quotes gathered under one key, with the labels they came with."""

    key: str
    known: bool
    labels: Counter[str] = field(default_factory=Counter)
    quotes: list[Quote] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The label used most (ties: the shorter, then alphabetical)."""
        return min(self.labels.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0]


def answer(context: ClustersInput) -> ClusterResponse:
    """Sections of screen-specific quotes, in order of first appearance."""
    sections: dict[str, _Section] = {}
    maps: dict[str, TopicMap] = {}
    for topic_map in context.topics.sessions:
        maps.setdefault(topic_map.session_id, topic_map)
    for quote in context.quotes:
        key, label, known = _screen_of(quote, maps.get(quote.session_id))
        section = sections.setdefault(key, _Section(key=key, known=known))
        section.labels[label] += 1
        section.quotes.append(quote)
    merged = _join_unknown(list(sections.values()))
    corpus = [[q.text for q in s.quotes] for s in merged]
    return ClusterResponse(clusters=[
        ClusterProposal(label=s.label, description=describe(s.quotes, corpus, _label_stems(s.label)),
                        quote_ids=[q.id for q in s.quotes])
        for s in merged
    ])


def _screen_of(quote: Quote, topic_map: TopicMap | None) -> tuple[str, str, bool]:
    """``(key, label, known)`` of the place a quote is about, given its session's topics."""
    boundary = topic_map.topic_at(quote.segment_index) if topic_map else None
    if (boundary is not None and boundary.kind is TopicKind.SCREEN) or screen_of_label(quote.topic) is not None:
        label = _SCREEN_SUFFIX.sub("", quote.topic.strip()) or quote.topic.strip()
        return label_key(label), label, True
    named = [m for m in mentions(quote.text) if m.explicit]
    if named:
        return named[0].key, named[0].label, True
    return label_key(quote.topic), quote.topic.strip(), False


def _join_unknown(sections: list[_Section]) -> list[_Section]:
    """Fold places named within others into them, then each section that names no place into its
    most similar section, if close."""
    places = [s for s in sections if s.known]
    for section in sorted(places, key=lambda s: len(s.key.split())):
        wider = [o for o in places if o is not section and set(section.key.split()) < set(o.key.split())]
        if wider:
            target = max(wider, key=lambda o: (len(o.quotes), -places.index(o)))
            target.labels.update(section.labels)
            target.quotes.extend(section.quotes)
            places.remove(section)
    kept: list[_Section] = []
    vectors: list[dict[str, float]] = []
    for section in sections:
        if section.known:
            if section in places:
                kept.append(section)
                vectors.append(_vector(section))
            continue
        vector = _vector(section)
        scored = [(cosine(vector, other), index) for index, other in enumerate(vectors)]
        best = max(scored, key=lambda item: (item[0], -item[1]), default=(0.0, -1))
        if best[0] >= _JOIN_SIMILARITY:
            target = kept[best[1]]
            target.labels.update(section.labels)
            target.quotes.extend(section.quotes)
            vectors[best[1]] = _vector(target)
        else:
            kept.append(section)
            vectors.append(vector)
    return kept


def _vector(section: _Section) -> dict[str, float]:
    """The section's vocabulary: its labels (weighted up) and its quotes."""
    counts = term_vector(q.text for q in section.quotes)
    for label, uses in sorted(section.labels.items()):
        for key in (stem(w) for w in words(label)):
            counts[key] += 3 * uses
    return {key: float(value) for key, value in sorted(counts.items())}


def _label_stems(label: str) -> frozenset[str]:
    """Stems of a section's own name, left out of its description."""
    return frozenset(stem(w) for w in words(label))
