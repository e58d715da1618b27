"""Quote extraction: verbatim participant words, checked against the transcript."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bristlenose.analysis.answers import require_known
from bristlenose.analysis.chunks import ask_in_parts
from bristlenose.analysis.text import find_verbatim, word_count
from bristlenose.llm.base import AnalysisRequest, Provider, ProviderError
from bristlenose.models import Quote, QuoteType, Role, Segment, Sentiment, SessionQuotes, TopicMap, Transcript
from bristlenose.prompts import load_prompt

PROMPT_ID = "quotes"
LOGIC_VERSION = 1
MIN_WORDS = 5
MAX_WORDS = 60
REASK_SHARE = 3
"""Ask once more when more than one proposal in this many is not verbatim."""


class NoVerbatimQuotes(ProviderError):
    """The model's quotes of a session with participant speech were none of them verbatim."""


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
    """The session's participant quotes, each verbatim from the segment it cites.

    When more than a third of the proposals are not verbatim the model is asked once more,
    shown the quotes it got wrong; a session with participant speech that still has no
    verbatim quote fails (:class:`NoVerbatimQuotes`) rather than passing with nothing to show.
    """
    if not any(transcript.role_of(s.speaker) is Role.PARTICIPANT for s in transcript.segments):
        return SessionQuotes(session_id=transcript.session_id)
    prompt = load_prompt(PROMPT_ID)

    def ask_about(rejected: list[QuoteProposal]) -> QuoteResponse:
        def request_for(segments: list[Segment]) -> AnalysisRequest[QuoteResponse]:
            part = transcript.model_copy(update={"segments": segments})
            shown = {s.index for s in segments}
            return AnalysisRequest(
                task=PROMPT_ID,
                system=prompt.system,
                user=prompt.render_user(session_id=transcript.session_id, topics=topics.boundaries,
                                        segments=segments, rejected=[r for r in rejected if r.segment_index in shown]),
                response_model=QuoteResponse,
                context=QuotesInput(transcript=part, topics=topics),
                session_id=transcript.session_id,
                check=lambda answer: require_known("segment indexes", [q.segment_index for q in answer.quotes], shown),
            )

        return ask_in_parts(provider, request_for, transcript.segments, combine)

    def combine(parts: list[QuoteResponse]) -> QuoteResponse:
        return QuoteResponse(quotes=[q for part in parts for q in part.quotes])

    first = ask_about([])
    rejected = unverified(transcript, first)
    again = ask_about(rejected) if len(rejected) * REASK_SHARE > len(first.quotes) else None
    result = verify_quotes(transcript, topics, combine([first, again]) if again else first)
    if not result.quotes and _has_quotable_speech(transcript):
        raise NoVerbatimQuotes(_none_verbatim(len(first.quotes), len(again.quotes) if again else None))
    return result


def _none_verbatim(first: int, again: int | None) -> str:
    """Why a session with participant speech has no quote."""
    if not first and not again:
        return "no quote proposed although participants spoke; tried again next run"
    asked = f", nor of {again} when asked again and shown them" if again is not None else ""
    return f"no verbatim quote: none of {first} proposed quotes is in the transcript{asked}; tried again next run"


def unverified(transcript: Transcript, response: QuoteResponse) -> list[QuoteProposal]:
    """Proposals that fail the checks of :func:`verify_quotes`."""
    return [p for p in response.quotes if _verified_text(transcript, p) is None]


def _verified_text(transcript: Transcript, proposal: QuoteProposal) -> str | None:
    """The quote's exact words in its segment, if it is verbatim, 5–60 words and a participant's."""
    if proposal.segment_index >= len(transcript.segments):
        return None
    segment = transcript.segments[proposal.segment_index]
    text = find_verbatim(proposal.text, segment.text)
    if text is None or transcript.role_of(segment.speaker) is not Role.PARTICIPANT:
        return None
    return text if MIN_WORDS <= word_count(text) <= MAX_WORDS else None


def _has_quotable_speech(transcript: Transcript) -> bool:
    """Whether a participant said anything long enough to quote."""
    return any(transcript.role_of(s.speaker) is Role.PARTICIPANT and word_count(s.text) >= MIN_WORDS
               for s in transcript.segments)


def verify_quotes(transcript: Transcript, topics: TopicMap, response: QuoteResponse) -> SessionQuotes:
    """Keep proposals that are verbatim, 5–60 words and a participant's; count the rest.

    The speaker and timecode come from the cited segment, never from the provider, so a
    quote is attributed to whoever said it.
    """
    kept: list[tuple[int, int, str, QuoteProposal]] = []
    seen: set[tuple[int, str]] = set()
    dropped = 0
    for proposal in response.quotes:
        text = _verified_text(transcript, proposal)
        if text is None:
            dropped += 1
            continue
        segment = transcript.segments[proposal.segment_index]
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
