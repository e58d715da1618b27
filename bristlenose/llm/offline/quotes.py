"""Offline quote extraction: the participant sentences that carry an opinion or a feeling.

Every participant segment is split into sentences (over-long ones into clauses); each run
of one to five consecutive sentences of 5–60 words is a candidate, its leading fillers
trimmed so it starts cleanly while staying a verbatim substring of the segment. A candidate scores by the lexicon
markers in it (emotion counts more than opinion, intensified markers more still) plus a
little for substance, less for padding. Each topic keeps its best few candidates, never two
that overlap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bristlenose.analysis.quotes import MAX_WORDS, MIN_WORDS, QuoteProposal, QuoteResponse, QuotesInput
from bristlenose.analysis.text import find_verbatim, word_count
from bristlenose.llm.offline.dialogue import Turn, turns
from bristlenose.llm.offline.lexicon import HARD_FILLERS, PRONOUNS, SOFT_FILLERS
from bristlenose.llm.offline.screens import mentions
from bristlenose.llm.offline.sentiment import Hit, find_hits, read
from bristlenose.llm.offline.text import content_stems, sentences, tokens, words
from bristlenose.models import QuoteType, Role, TopicBoundary, TopicKind, TopicMap, Transcript

MAX_SENTENCES = 5
MAX_QUOTES = 25
MIN_SCORE = 2.0
_OPINION_SHARE = 0.6
_SUBSTANCE_PER_STEM = 0.15
_SUBSTANCE_CAP = 12
_LONG_WORDS = 30
_SHORT_WORDS = 8
_CONJUNCTIONS = frozenset("and but or because so then".split())
_DANGLING = frozenset("that that's it it's its this they they're those these which there there's".split())
_OBJECTS = frozenset({"it", "them"})
_ABOUT = re.compile(
    r"\b(?:about|of)\s+((?:\w+ing\s+)?(?:the|your|this|these|those|that|a|an)\s+[\w'\- ]+?)"
    r"\s*(?:\?|$|,|\.| here\b| so far\b| at all\b| now\b| for you\b| overall\b| at this point\b| that\b| being\b)"
)
_CONTEXT_WORDS = 6
_SCREEN_STEMS = frozenset("screen page tab view app".split())
_CLAUSE_END = re.compile(r"[,;:\u2014]\s")
_QUOTE_MARKS = ('"', "\u201c", "\u201d")


@dataclass(frozen=True)
class _Candidate:
    """A possible quote: ``text`` is ``segment.text[start:end]``."""

    position: int
    start: int
    end: int
    text: str
    score: float


def answer(context: QuotesInput) -> QuoteResponse:
    """The session's most telling participant quotes, in transcript order."""
    transcript, topics = context.transcript, context.topics
    words_by_topic: dict[int, int] = {}
    candidates: list[_Candidate] = []
    for position, segment in enumerate(transcript.segments):
        if transcript.role_of(segment.speaker) is not Role.PARTICIPANT:
            continue
        topic = _topic_number(topics, position)
        words_by_topic[topic] = words_by_topic.get(topic, 0) + word_count(segment.text)
        candidates.extend(_candidates(position, segment.text))
    chosen = _choose(candidates, topics, words_by_topic)
    spoken = turns(transcript)
    return QuoteResponse(quotes=[_proposal(transcript, topics, spoken, c) for c in chosen])


def _candidates(position: int, text: str) -> list[_Candidate]:
    """Every quotable run of sentences in one segment, scored."""
    hits = find_hits(text)
    spans = [piece for span in sentences(text) for piece in _clauses(text, span)]
    found: list[_Candidate] = []
    for first in range(len(spans)):
        for last in range(first, min(first + MAX_SENTENCES, len(spans))):
            start = _trim_start(text, spans[first][0], spans[first][1])
            end = _trim_end(text, start, spans[last][1])
            quote = _as_kept(text[start:end])
            if quote is None:
                continue
            count = word_count(quote)
            if count > MAX_WORDS:
                break
            if count < MIN_WORDS or word_count(text[spans[last][0]:spans[last][1]]) < 3 or not _reads_cleanly(quote):
                continue
            start = text.index(quote, start)
            end = start + len(quote)
            inside = [h for h in hits if h.start >= start and h.end <= end]
            score = _score(text, quote, inside, spans[first:last + 1], hits, count)
            if score > 0:
                found.append(_Candidate(position, start, end, quote, score))
    return found


def _as_kept(span: str) -> str | None:
    """``span`` as the stage will store it: ``find_verbatim`` drops edge punctuation and quote marks."""
    return find_verbatim(span, span)


def _clauses(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """A sentence too long to quote, cut at commas and semicolons into runs of at most MAX_WORDS words.

    Speech-to-text output and run-on talk can hold 100-word sentences; their clauses are still
    quotable.
    """
    start, end = span
    if word_count(text[start:end]) <= MAX_WORDS:
        return [span]
    pieces: list[tuple[int, int]] = []
    piece_start = start
    for match in _CLAUSE_END.finditer(text, start, end):
        if word_count(text[piece_start:match.end()]) >= MAX_WORDS // 2:
            pieces.append((piece_start, match.end() - 1))
            piece_start = match.end()
    pieces.append((piece_start, end))
    return [p for p in pieces if word_count(text[p[0]:p[1]]) <= MAX_WORDS]


def _score(text: str, quote: str, inside: list[Hit], spans: list[tuple[int, int]], hits: list[Hit],
           count: int) -> float:
    """How telling a candidate is: its markers, its substance, minus padding."""
    reading = read(quote, inside)
    base = reading.emotion + _OPINION_SHARE * reading.opinion
    if base == 0:
        return 0.0
    substance = _SUBSTANCE_PER_STEM * min(len(set(content_stems(quote))), _SUBSTANCE_CAP)
    padding = 0.0
    for start, end in spans:
        said = text[start:end]
        if not any(start <= h.start < end for h in hits) and len(set(content_stems(said))) < 3:
            padding += 0.5
    if count > _LONG_WORDS:
        padding += (count - _LONG_WORDS) * 0.08
    if count < _SHORT_WORDS:
        padding += 0.5
    if words(quote)[0] in _CONJUNCTIONS:
        padding += 0.5
    return base + substance - padding


def _reads_cleanly(quote: str) -> bool:
    """Whether a quote stands on its own: quotation marks paired, no spelled-out letters ("O, A, T")."""
    marks = sum(quote.count(mark) for mark in _QUOTE_MARKS)
    letters = sum(1 for t in tokens(quote) if len(t.word) == 1 and t.word.isalpha() and t.word not in "ia")
    return marks % 2 == 0 and letters < 3


def _trim_start(text: str, start: int, end: int) -> int:
    """``start`` moved past leading fillers ("Um, so, I think…" → "I think…").

    Soft fillers ("so", "okay", "yeah") go only before a pronoun or a capital, so that
    "So annoying!" and "Okay, wait." keep their sense.
    """
    while True:
        found = tokens(text[start:end])
        if not found:
            return start
        said = [t.word for t in found]
        skip = 0
        if said[0] in HARD_FILLERS:
            skip = 1
        else:
            for filler in SOFT_FILLERS:
                size = len(filler)
                if tuple(said[:size]) == filler and len(said) > size:
                    following = text[start + found[size].start]
                    if said[size] in PRONOUNS or following.isupper():
                        skip = size
                        break
        if not skip or skip >= len(found):
            return start
        start = start + found[skip].start


def _trim_end(text: str, start: int, end: int) -> int:
    """``end`` moved back past trailing hard fillers and the punctuation before them ("…, um.")."""
    while True:
        found = tokens(text[start:end])
        if len(found) < 2 or found[-1].word not in HARD_FILLERS:
            return end
        end = start + found[-2].end


def _choose(candidates: list[_Candidate], topics: TopicMap, words_by_topic: dict[int, int]) -> list[_Candidate]:
    """The best candidates of each topic, a few per topic by how much was said, none overlapping."""
    ranked = sorted(candidates, key=lambda c: (-c.score, c.position, c.start, c.end))
    taken: list[_Candidate] = []
    per_topic: dict[int, int] = {}
    for candidate in ranked:
        if candidate.score < MIN_SCORE or len(taken) == MAX_QUOTES:
            break
        topic = _topic_number(topics, candidate.position)
        if per_topic.get(topic, 0) >= _topic_quota(words_by_topic.get(topic, 0)):
            continue
        if any(t.position == candidate.position and t.start < candidate.end and candidate.start < t.end
               for t in taken):
            continue
        taken.append(candidate)
        per_topic[topic] = per_topic.get(topic, 0) + 1
    return sorted(taken, key=lambda c: (c.position, c.start))


def _topic_quota(spoken_words: int) -> int:
    """Quotes a topic may give: two, three from 60 participant words, four from 140."""
    return 2 + (spoken_words >= 60) + (spoken_words >= 140)


def _topic_number(topics: TopicMap, position: int) -> int:
    """Index of the topic a segment falls in (0 before any topic)."""
    return max((n for n, b in enumerate(topics.boundaries) if b.segment_index <= position), default=0)


def _proposal(transcript: Transcript, topics: TopicMap, spoken: list[Turn], candidate: _Candidate) -> QuoteProposal:
    """A chosen candidate as the stage expects it: topic, type, sentiment and any context."""
    topic = topics.topic_at(candidate.position)
    reading = read(candidate.text, find_hits(candidate.text))
    named = mentions(candidate.text)
    one_screen = any(m.explicit for m in named) and len({m.key for m in named}) == 1
    screen = topic is not None and topic.kind is TopicKind.SCREEN
    return QuoteProposal(
        segment_index=candidate.position,
        text=candidate.text,
        context=_context(spoken, topic, candidate) if _dangles(candidate.text, topic) else "",
        topic=topic.label if topic else "",
        quote_type=QuoteType.SCREEN_SPECIFIC if screen or one_screen else QuoteType.GENERAL,
        sentiment=reading.sentiment,
        intensity=reading.intensity,
    )


def _dangles(text: str, topic: TopicBoundary | None) -> bool:
    """Whether a quote refers back to something it does not name ("Where do I add it?").

    It does when it opens with a reference ("That's…", "It…"), or has "it" or "them" as an
    object ("add it") while naming nothing of its topic's place.
    """
    found = tokens(text)
    if not found:
        return False
    if found[0].word in _DANGLING:
        return True
    if not any(t.word in _OBJECTS and index and found[index - 1].word not in _OBJECTS for index, t in enumerate(found)
               if not text[:t.start].rstrip().endswith((".", "?", "!"))):
        return False
    subject = set(content_stems(topic.label)) if topic is not None and topic.kind is TopicKind.SCREEN else set()
    return not subject or not subject & set(content_stems(text))


def _context(spoken: list[Turn], topic: TopicBoundary | None, candidate: _Candidate) -> str:
    """What the quote refers to, in a few words: the object of the researcher's last question
    ("the delivery fee"), else the place its topic is about ("the railcard"); nothing when the
    quote already names it."""
    named = set(content_stems(candidate.text))
    question = next((t for t in reversed(spoken) if t.is_researcher and t.first < candidate.position
                     and (topic is None or t.first >= topic.segment_index)), None)
    if question is not None:
        asked = " ".join(question.text[a:b] for a, b in sentences(question.text) if question.text[a:b].endswith("?"))
        objects = [m.group(1) for m in _ABOUT.finditer(asked.lower().replace("\u2019", "'"))]
        usable = [o for o in objects if 1 < len(o.split()) <= _CONTEXT_WORDS and set(content_stems(o)) - _SCREEN_STEMS]
        if usable:
            phrase = re.sub(r"^(?:\w+ing\s+)?(?:this|that|these|those|your)\b", "the", usable[-1])
            return "" if set(content_stems(phrase)) <= named else phrase
    if topic is not None and topic.kind is TopicKind.SCREEN:
        phrase = f"the {topic.label.lower()}"
        return "" if set(content_stems(phrase)) <= named else phrase
    return ""
