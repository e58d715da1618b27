"""Topic segmentation: where each session moves from one screen or subject to the next."""

from __future__ import annotations

from math import ceil

from pydantic import BaseModel, ConfigDict, Field

from bristlenose.analysis.answers import require_known, require_labels
from bristlenose.analysis.chunks import ask_in_parts
from bristlenose.llm.base import AnalysisRequest, ImplausibleAnswer, Provider
from bristlenose.models import Role, Segment, TopicBoundary, TopicKind, TopicMap, Transcript
from bristlenose.prompts import load_prompt

PROMPT_ID = "topics"
LOGIC_VERSION = 1
MAX_TOPICS_PER_TURN = 1.0
"""A topic spans a question and its answers, so it holds at least one participant turn: more
boundaries than participant turns shown (e.g. one at every segment) is no segmentation. Short
scripted sessions really do move to a new task at every answer, so the bound is no tighter."""
MIN_TOPIC_LIMIT = 6
"""Short transcripts may have a topic every turn or two; this many boundaries are always plausible."""


class TopicsInput(BaseModel):
    """What the provider is asked about."""

    transcript: Transcript


class TopicProposal(BaseModel):
    """A topic as a provider proposes it."""

    model_config = ConfigDict(extra="ignore")

    segment_index: int = Field(ge=0)
    label: str = Field(min_length=1)
    kind: TopicKind = TopicKind.GENERAL
    summary: str = ""


class TopicResponse(BaseModel):
    """A provider's answer."""

    topics: list[TopicProposal]


def segment_topics(transcript: Transcript, provider: Provider) -> TopicMap:
    """Topic boundaries of one session, starting at its first segment."""
    if not transcript.segments:
        return TopicMap(session_id=transcript.session_id)
    prompt = load_prompt(PROMPT_ID)

    def request_for(segments: list[Segment]) -> AnalysisRequest[TopicResponse]:
        return AnalysisRequest(
            task=PROMPT_ID,
            system=prompt.system,
            user=prompt.render_user(session_id=transcript.session_id, speakers=transcript.speakers, segments=segments),
            response_model=TopicResponse,
            context=TopicsInput(transcript=transcript.model_copy(update={"segments": segments})),
            session_id=transcript.session_id,
            check=lambda answer: check_topics(answer, transcript, segments),
        )

    def combine(parts: list[TopicResponse]) -> TopicResponse:
        return TopicResponse(topics=[t for part in parts for t in part.topics])

    return _boundaries(transcript, ask_in_parts(provider, request_for, transcript.segments, combine))


def check_topics(answer: TopicResponse, transcript: Transcript, segments: list[Segment]) -> None:
    """Boundaries at segments the prompt showed, with labels, and not at (nearly) every turn."""
    require_known("segment indexes", [t.segment_index for t in answer.topics], [s.index for s in segments])
    require_labels("topic", [t.label for t in answer.topics])
    turns = sum(1 for s in segments if transcript.role_of(s.speaker) is Role.PARTICIPANT)
    limit = max(MIN_TOPIC_LIMIT, ceil(turns * MAX_TOPICS_PER_TURN))
    boundaries = len({t.segment_index for t in answer.topics})
    if boundaries > limit:
        raise ImplausibleAnswer(f"{boundaries} topic boundaries in {len(segments)} segments "
                                f"({turns} participant turns; at most {limit} are plausible)")


def _boundaries(transcript: Transcript, response: TopicResponse) -> TopicMap:
    """Keep proposals that point at real segments, one per segment, in order, the first at 0."""
    last = len(transcript.segments) - 1
    by_segment: dict[int, TopicProposal] = {}
    for proposal in sorted(response.topics, key=lambda p: p.segment_index):
        if proposal.segment_index <= last:
            by_segment.setdefault(proposal.segment_index, proposal)
    if 0 not in by_segment:
        first = min(by_segment) if by_segment else None
        by_segment[0] = by_segment.pop(first) if first is not None else TopicProposal(segment_index=0, label="Introduction")
    return TopicMap(
        session_id=transcript.session_id,
        boundaries=[
            TopicBoundary(segment_index=index, start=transcript.segments[index].start, label=p.label.strip(),
                          kind=p.kind, summary=p.summary.strip())
            for index, p in sorted(by_segment.items())
        ],
    )
