"""Reading a rendered bristlenose user message back into its parts, as a model would see them.

The formats are those of ``bristlenose/prompts/*.md``: transcript lines ``[index] code: text``
inside ``<transcript>`` tags, the topic list inside ``<topics>``, quote lines inside
``<quotes>`` tags (``id [topic] text`` for clusters, ``id (session, sentiment) text`` for
themes) and, outside the tags, the session. Whatever lies outside the data tags is what a naive model takes as
instructions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DATA = re.compile(r"<(transcript|quotes|topics|speakers|rejected)>(.*?)</\1>", re.DOTALL)
_SESSION = re.compile(r"\bSession ([\w-]+)")
_SEGMENT = re.compile(r"^\[(\d+)\] (\S+?): ?(.*)$")
_SPEAKER = re.compile(r"^- (\w+): (.*)$")
_TOPIC = re.compile(r"^- from segment (\d+): (.*) \((\w+)\)$")
_CLUSTER_QUOTE = re.compile(r"^(\S+) \[([^\]]*)\] (.*)$")
_THEME_QUOTE = re.compile(r"^(\S+) \((\S+), (\w+)\) (.*)$")


@dataclass(frozen=True)
class Segment:
    """One transcript line."""

    index: int
    speaker: str
    text: str


@dataclass(frozen=True)
class TopicLine:
    """A topic the quotes prompt lists: where it starts, its label and kind."""

    segment_index: int
    label: str
    kind: str


@dataclass(frozen=True)
class QuoteLine:
    """A quote line: ``topic`` for the clusters prompt, ``session``/``sentiment`` for themes."""

    id: str
    text: str
    topic: str = ""
    session: str = ""
    sentiment: str = ""


@dataclass(frozen=True)
class UserMessage:
    """What a user message holds: data inside the tags, instructions outside."""

    session: str | None
    segments: list[Segment]
    topics: list[TopicLine]
    quotes: list[QuoteLine]
    outside: str
    speakers: dict[str, str] | None = None
    """Speaker key → label, as the speakers prompts list them."""

    def participant_segments(self) -> list[Segment]:
        """Segments spoken by participants (codes starting with ``p``)."""
        return [s for s in self.segments if s.speaker.startswith("p")]


def read(user: str) -> UserMessage:
    """Parse ``user``; the first closing tag ends a data block, as it would for a naive model."""
    segments: list[Segment] = []
    quotes: list[QuoteLine] = []
    topics: list[TopicLine] = []
    speakers: dict[str, str] = {}
    for match in _DATA.finditer(user):
        if match.group(1) == "transcript":
            segments.extend(_segments(match.group(2)))
        elif match.group(1) == "speakers":
            speakers.update((m.group(1), m.group(2)) for m in map(_SPEAKER.match, match.group(2).splitlines()) if m)
        elif match.group(1) == "rejected":
            continue
        elif match.group(1) == "topics":
            topics.extend(TopicLine(int(m.group(1)), m.group(2), m.group(3))
                          for m in map(_TOPIC.match, match.group(2).splitlines()) if m)
        else:
            quotes.extend(_quotes(match.group(2)))
    outside = _DATA.sub(" ", user)
    session = _SESSION.search(outside)
    return UserMessage(session=session.group(1) if session else None, segments=segments, topics=topics,
                       quotes=quotes, outside=outside, speakers=speakers)


def _segments(block: str) -> list[Segment]:
    """Transcript lines; a line that is no ``[index] code:`` line continues the one before."""
    segments: list[Segment] = []
    for line in block.strip("\n").splitlines():
        match = _SEGMENT.match(line)
        if match:
            segments.append(Segment(int(match.group(1)), match.group(2), match.group(3)))
        elif segments:
            last = segments[-1]
            segments[-1] = Segment(last.index, last.speaker, f"{last.text}\n{line}")
    return segments


def _quotes(block: str) -> list[QuoteLine]:
    quotes: list[QuoteLine] = []
    for line in block.strip("\n").splitlines():
        if match := _THEME_QUOTE.match(line):
            quotes.append(QuoteLine(match.group(1), match.group(4), session=match.group(2),
                                    sentiment=match.group(3)))
        elif match := _CLUSTER_QUOTE.match(line):
            quotes.append(QuoteLine(match.group(1), match.group(3), topic=match.group(2)))
    return quotes
