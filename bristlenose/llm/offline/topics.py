"""Offline topic segmentation: moderator transitions first, lexical shifts second.

1. A researcher turn that moves the session on ("let's move on to the home screen", "next,
   could you find…", "this is the payments screen", "before we finish…") starts a topic when
   it names a screen or subject other than the current one, or uses an unmistakable
   transition ("next task").
2. Within long topics, a researcher turn where the participants' vocabulary before and after
   differs sharply (cosine of content-stem vectors of three turns either side) starts a topic.
3. Topics are labelled by the place the transition named, in its own words (a screen named
   outright, a navigation, a task: see :mod:`screens`); where it named none or only a task's
   object, by the label the participant reads out as they start ("Approvals. Four waiting.");
   else the place the topic talks about most, else Introduction or Wrap-up, else their
   participants' key terms. Tiny topics are
   merged into a neighbour, and neighbours with one label joined.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from bristlenose.analysis.topics import TopicProposal, TopicResponse, TopicsInput
from bristlenose.llm.offline.dialogue import Turn, turns
from bristlenose.llm.offline.keywords import key_terms, name_stems
from bristlenose.llm.offline.screens import TASK, Mention, asked_about, label_key, mentions, places, read_out
from bristlenose.llm.offline.text import (
    cosine,
    join_words,
    plural,
    sentences,
    term_vector,
    title_case,
)
from bristlenose.models import TopicKind

_STRONG = re.compile(
    r"\b(?:move on|moving on|go on to|next task|first task|new task|last task|final task|last screen|"
    r"next screen|next,|next i'd like|next i would like|next up|now let's|now i'd like|let's start|let's begin|"
    r"so first|first,|to start with|to start,|to begin,|to begin with|skip ahead|switch to|let's talk about|"
    r"i'd like to (?:ask|talk) (?:you )?about|you've just|you have just|imagine you(?:'ve| have| are|'re| need| want)|"
    r"pretend (?:you|that))"
)
_WRAP_UP = re.compile(
    r"\b(?:before we (?:finish|wrap|end|close|go)|to (?:finish|wrap up|wrap things up|close|end)\b|wrap(?:ping)? up|"
    r"final thoughts|overall thoughts|any last|any final|one last|last question|final question|so overall|overall,|"
    r"sum up|summing up|magic wand|anything else you'd|one thing you'd)"
)
_INTRO = re.compile(
    r"\b(?:thanks? (?:you )?(?:so much )?for (?:joining|coming|making|taking|being)|welcome|no right or wrong|"
    r"think aloud|thinking aloud|recording|introduce yourself|about yourself|hear me|consent|set the scene)"
)
INTRODUCTION = "Introduction"
WRAP_UP = "Wrap-up"
_SHIFT_WINDOW = 3
_SHIFT_MAX_SIMILARITY = 0.1
_SHIFT_MIN_STEMS = 10
_MIN_PARTICIPANT_TURNS = 2
_SUMMARY_WORDS = 15


@dataclass(frozen=True)
class _Cue:
    """What a researcher's transition turn moves on to."""

    screen: Mention | None
    subject: str | None

    @property
    def key(self) -> str | None:
        return self.screen.key if self.screen else self.subject


@dataclass(frozen=True)
class _Topic:
    """Turns ``start`` to ``end`` (exclusive); ``cue`` is set when a transition opened it."""

    start: int
    end: int
    cue: _Cue | None = None
    label: str = ""
    kind: TopicKind = TopicKind.GENERAL
    named: bool = False


def answer(context: TopicsInput) -> TopicResponse:
    """The session's topics, from its turns."""
    transcript = context.transcript
    spoken = turns(transcript)
    if not spoken:
        return TopicResponse(topics=[])
    topics = [t for topic in _by_transitions(spoken) for t in _split_by_shifts(spoken, topic)]
    topics = [_labelled(spoken, topic, topics) for topic in topics]
    topics = _merge_tiny(spoken, topics)
    return TopicResponse(topics=[
        TopicProposal(segment_index=spoken[topic.start].first, label=topic.label, kind=topic.kind,
                      summary=_summary(spoken, topic))
        for topic in topics
    ])


def _by_transitions(spoken: list[Turn]) -> list[_Topic]:
    """Topics opened by researcher transitions."""
    has_researcher = any(turn.is_researcher for turn in spoken)
    topics: list[_Topic] = [_Topic(0, len(spoken))]
    current: str | None = None
    for index, turn in enumerate(spoken):
        if has_researcher and not turn.is_researcher:
            continue
        cue = _cue(turn.text, current)
        if cue is None or (cue.key is not None and cue.key == current):
            continue
        current = cue.key
        last = topics[-1]
        if all(t.is_researcher for t in spoken[last.start:index]):
            topics[-1] = replace(last, cue=cue)
        else:
            topics[-1] = replace(last, end=index)
            topics.append(_Topic(index, len(spoken), cue))
    return topics


def _cue(text: str, current: str | None) -> _Cue | None:
    """The place or subject a researcher turn moves on to, or None if it does not move on.

    Naming a new place is a move in itself; the surest naming wins ("Let's go to the users list.
    Actually, let's look at the billing page." → Billing). A place that shares a word with
    the current one ("Custom Role" within "Roles and Permissions") is the same stretch.
    """
    low = text.lower().replace("\u2019", "'")
    named = places(text)
    if named:
        best = max(named, key=lambda m: (m.strength, m.start))
        if current is not None and _same_place(best.key, current):
            return None
        return _Cue(best, None)
    if _WRAP_UP.search(low):
        return _Cue(None, WRAP_UP)
    return _Cue(None, None) if _STRONG.search(low) else None


def _same_place(key: str, other: str) -> bool:
    return bool(set(key.split()) & set(other.split()))


def _split_by_shifts(spoken: list[Turn], topic: _Topic) -> list[_Topic]:
    """``topic`` cut at researcher turns where the participants' vocabulary shifts sharply."""
    participant_at = [i for i in range(topic.start, topic.end) if not spoken[i].is_researcher]
    gaps: list[tuple[float, int]] = []
    for index in range(topic.start + 1, topic.end):
        if spoken[index].is_researcher or not any(t.is_researcher for t in spoken):
            before = [i for i in participant_at if i < index][-_SHIFT_WINDOW:]
            after = [i for i in participant_at if i >= index][:_SHIFT_WINDOW]
            if len(before) < _MIN_PARTICIPANT_TURNS or len(after) < _MIN_PARTICIPANT_TURNS:
                continue
            left = term_vector(spoken[i].text for i in before)
            right = term_vector(spoken[i].text for i in after)
            if sum(left.values()) < _SHIFT_MIN_STEMS or sum(right.values()) < _SHIFT_MIN_STEMS:
                continue
            similarity = cosine(dict(left), dict(right))
            if similarity < _SHIFT_MAX_SIMILARITY:
                gaps.append((similarity, index))
    cuts: list[int] = []
    for _, index in sorted(gaps):
        edges = sorted([topic.start, topic.end, *cuts, index])
        at = edges.index(index)
        if all(sum(1 for i in participant_at if lo <= i < hi) >= _MIN_PARTICIPANT_TURNS
               for lo, hi in ((edges[at - 1], index), (index, edges[at + 1]))):
            cuts.append(index)
    edges = sorted([topic.start, *cuts, topic.end])
    return [_Topic(lo, hi, topic.cue if lo == topic.start else None) for lo, hi in zip(edges, edges[1:], strict=False)]


def _labelled(spoken: list[Turn], topic: _Topic, topics: list[_Topic]) -> _Topic:
    """``topic`` with its label and kind; ``named`` when a transition or opening named it."""
    if topic.cue is not None and topic.cue.subject is None and (topic.cue.screen is None
                                                                or topic.cue.screen.strength <= TASK):
        said = _read_out(spoken[topic.start:topic.end])
        if said is not None:
            return replace(topic, label=said.label, kind=TopicKind.SCREEN, named=True)
    if topic.cue is not None and topic.cue.screen is not None:
        return replace(topic, label=topic.cue.screen.label, kind=TopicKind.SCREEN, named=True)
    if topic.cue is not None and topic.cue.subject is not None:
        return replace(topic, label=topic.cue.subject, named=True)
    researcher_text = " ".join(t.text for t in spoken[topic.start:topic.end] if t.is_researcher).lower()
    if topic.start == 0 and _INTRO.search(researcher_text.replace("\u2019", "'")):
        return replace(topic, label=INTRODUCTION, named=True)
    screen = _most_talked_about_screen(spoken[topic.start:topic.end])
    if screen is not None:
        return replace(topic, label=screen, kind=TopicKind.SCREEN)
    return replace(topic, label=_subject(spoken, topic, topics))


def _read_out(stretch: list[Turn]) -> Mention | None:
    """The label the first participant answer of a task reads out, if it starts with one: what is
    on screen beats a task's object ("log a train ticket" → "Add expense. Photo of the ticket.")."""
    answer = next((t for t in stretch if not t.is_researcher), None)
    if answer is None or not any(t.is_researcher for t in stretch[:stretch.index(answer)]):
        return None
    return read_out(answer.text, name_stems(" ".join(t.text for t in stretch)))


def _most_talked_about_screen(stretch: list[Turn]) -> str | None:
    """The place a stretch names most (what researchers name or ask about counts double; ties:
    the one named first)."""
    votes: Counter[str] = Counter()
    labels: dict[str, Counter[str]] = {}
    for turn in stretch:
        named = places(turn.text) + asked_about(turn.text) if turn.is_researcher else mentions(turn.text)
        for mention in named:
            votes[mention.key] += 2 if turn.is_researcher else 1
            labels.setdefault(mention.key, Counter())[mention.label] += 1
    if not votes:
        return None
    first = list(labels)
    key, _ = min(votes.items(), key=lambda item: (-item[1], first.index(item[0])))
    return min(labels[key].items(), key=lambda item: (-item[1], -len(item[0]), item[0]))[0]


def _subject(spoken: list[Turn], topic: _Topic, topics: list[_Topic]) -> str:
    """A general topic's label: the two terms its participants used most, against the other topics."""
    corpus = [[t.text for t in spoken[other.start:other.end] if not t.is_researcher] for other in topics]
    answers = [t.text for t in spoken[topic.start:topic.end] if not t.is_researcher]
    terms = key_terms(answers, corpus, limit=2, min_texts=2) or key_terms(answers, corpus, limit=2)
    return title_case(join_words(terms)) if terms else "General"


def _merge_tiny(spoken: list[Turn], topics: list[_Topic]) -> list[_Topic]:
    """Fold topics with too little participant talk into a neighbour, then join equal neighbours.

    A topic a transition named stays if a participant answered at all: one long answer about a
    screen is a real topic. Unnamed ones need two participant turns to stand alone.
    """
    kept = list(topics)
    changed = True
    while changed and len(kept) > 1:
        changed = False
        for position, topic in enumerate(kept):
            answers = sum(1 for t in spoken[topic.start:topic.end] if not t.is_researcher)
            if answers >= _MIN_PARTICIPANT_TURNS or (topic.named and answers >= 1):
                continue
            if position == 0:
                following = kept[1]
                kept[0:2] = [replace(following, start=topic.start)]
            else:
                previous = kept[position - 1]
                kept[position - 1:position + 1] = [replace(previous, end=topic.end)]
            changed = True
            break
    joined: list[_Topic] = []
    for topic in kept:
        if joined and label_key(joined[-1].label) == label_key(topic.label):
            joined[-1] = replace(joined[-1], end=topic.end)
        else:
            joined.append(topic)
    return joined


def _summary(spoken: list[Turn], topic: _Topic) -> str:
    """How much participants said in the topic, and the question that opened it."""
    stretch = spoken[topic.start:topic.end]
    answers = sum(1 for t in stretch if not t.is_researcher)
    said = plural(answers, "participant turn")
    opening = next((t for t in stretch if t.is_researcher), None)
    if opening is None:
        return f"{said}."
    spans = sentences(opening.text)
    asked = [opening.text[a:b] for a, b in spans if opening.text[a:b].endswith("?")]
    chosen = asked[-1] if asked else opening.text[spans[-1][0]:spans[-1][1]]
    cut = chosen.split()
    phrase = " ".join(cut[:_SUMMARY_WORDS]) + ("…" if len(cut) > _SUMMARY_WORDS else "")
    return f"{said}; opened by “{phrase}”"
