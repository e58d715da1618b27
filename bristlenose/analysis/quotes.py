"""Quote extraction: verbatim participant words, checked against the transcript."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bristlenose.analysis.chunks import ask_in_parts
from bristlenose.analysis.text import find_verbatim, word_count
from bristlenose.llm.base import AnalysisRequest, Provider
from bristlenose.models import Quote, QuoteType, Role, Segment, Sentiment, SessionQuotes, TopicMap, Transcript
from bristlenose.prompts import load_prompt

PROMPT_ID = "quotes"
LOGIC_VERSION = 1
MIN_WORDS = 5
MAX_WORDS = 60


class QuotesInput(BaseModel):
    """What the provider is asked about."""

    transcript: Transcript
    topics: TopicMap


class QuoteProposal(BaseModel):
    """A quote as a provider proposes it; only verbatim, participant ones are kept."""

    model_config = ConfigDict(extra="ignore")

    segment_index: int = Field(ge=0)
    text: str
    context: str = ""
    topic: str = ""
    quote_type: QuoteType = QuoteType.GENERAL
    sentiment: Sentiment = Sentiment.NONE
    intensity: int = Field(default=1, ge=1, le=3)


class QuoteResponse(BaseModel):
    """A provider's answer."""

    quotes: list[QuoteProposal]


def extract_quotes(transcript: Transcript, topics: TopicMap, provider: Provider) -> SessionQuotes:
    """The session's participant quotes, each verbatim from the segment it cites."""
    if not any(transcript.role_of(s.speaker) is Role.PARTICIPANT for s in transcript.segments):
        return SessionQuotes(session_id=transcript.session_id)
    prompt = load_prompt(PROMPT_ID)

    def request_for(segments: list[Segment]) -> AnalysisRequest[QuoteResponse]:
        part = transcript.model_copy(update={"segments": segments})
        return AnalysisRequest(
            task=PROMPT_ID,
            system=prompt.system,
            user=prompt.render_user(session_id=transcript.session_id, topics=topics.boundaries, segments=segments),
            response_model=QuoteResponse,
            context=QuotesInput(transcript=part, topics=topics),
            session_id=transcript.session_id,
        )

    def combine(parts: list[QuoteResponse]) -> QuoteResponse:
        return QuoteResponse(quotes=[q for part in parts for q in part.quotes])

    return verify_quotes(transcript, topics, ask_in_parts(provider, request_for, transcript.segments, combine))


def verify_quotes(transcript: Transcript, topics: TopicMap, response: QuoteResponse) -> SessionQuotes:
    """Keep proposals that are verbatim, 5–60 words and a participant's; count the rest.

    The speaker and timecode come from the cited segment, never from the provider, so a
    quote is attributed to whoever said it.
    """
    kept: list[tuple[int, int, str, QuoteProposal]] = []
    seen: set[tuple[int, str]] = set()
    dropped = 0
    for proposal in response.quotes:
        segment = transcript.segments[proposal.segment_index] if proposal.segment_index < len(transcript.segments) else None
        text = find_verbatim(proposal.text, segment.text) if segment else None
        if (segment is None or text is None or transcript.role_of(segment.speaker) is not Role.PARTICIPANT
                or not MIN_WORDS <= word_count(text) <= MAX_WORDS):
            dropped += 1
            continue
        if (segment.index, text) in seen:
            continue
        seen.add((segment.index, text))
        kept.append((segment.index, segment.text.find(text), text, proposal))
    quotes = []
    for number, (index, _, text, proposal) in enumerate(sorted(kept, key=lambda k: k[:2]), start=1):
        segment = transcript.segments[index]
        topic = topics.topic_at(index)
        quotes.append(Quote(
            id=f"{transcript.session_id}-q{number}",
            session_id=transcript.session_id,
            speaker=segment.speaker,
            segment_index=index,
            start=segment.start,
            text=text,
            context=proposal.context.strip().strip("[]").strip(),
            topic=topic.label if topic else (proposal.topic.strip() or "General"),
            quote_type=proposal.quote_type,
            sentiment=proposal.sentiment,
            intensity=proposal.intensity,
        ))
    return SessionQuotes(session_id=transcript.session_id, quotes=quotes, dropped_unverified=dropped)
