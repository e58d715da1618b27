"""What the analysis stages produce: topics, quotes, screen clusters and themes."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict, Field


class TopicKind(str, Enum):
    """Whether a stretch of the session is about one product screen or something broader."""

    SCREEN = "screen"
    GENERAL = "general"


class TopicBoundary(BaseModel):
    """Where a topic starts in a session, and what it is about."""

    model_config = ConfigDict(extra="forbid")

    segment_index: int = Field(ge=0, description="First segment of the topic.")
    start: float = Field(ge=0)
    label: str = Field(min_length=1, description="Short readable name, e.g. 'Checkout'.")
    kind: TopicKind = TopicKind.GENERAL
    summary: str = ""


class TopicMap(BaseModel):
    """Output of ``topics:sN``: the session's topic boundaries in order."""

    model_config = ConfigDict(extra="forbid")

    session_id: str
    boundaries: list[TopicBoundary] = []

    def topic_at(self, segment_index: int) -> TopicBoundary | None:
        """The topic that segment ``segment_index`` falls in."""
        current = None
        for boundary in self.boundaries:
            if boundary.segment_index > segment_index:
                break
            current = boundary
        return current


class Sentiment(str, Enum):
    """The emotion a quote expresses, as researchers code it."""

    FRUSTRATION = "frustration"
    CONFUSION = "confusion"
    DOUBT = "doubt"
    SURPRISE = "surprise"
    SATISFACTION = "satisfaction"
    DELIGHT = "delight"
    CONFIDENCE = "confidence"
    NONE = "none"

    @property
    def is_friction(self) -> bool:
        """Frustration, confusion and doubt are the friction a report should surface."""
        return self in (Sentiment.FRUSTRATION, Sentiment.CONFUSION, Sentiment.DOUBT)


class QuoteType(str, Enum):
    """Whether a quote is about a specific screen or the product/experience in general."""

    SCREEN_SPECIFIC = "screen-specific"
    GENERAL = "general"


class Quote(BaseModel):
    """A verbatim excerpt of what one participant said."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Stable within the study, e.g. 's2-q4'.")
    session_id: str
    speaker: str = Field(description="Speaker code: session-local per session, study-wide once merged.")
    segment_index: int = Field(ge=0)
    start: float = Field(ge=0)
    text: str = Field(min_length=1, description="Verbatim words of the speaker.")
    context: str = Field(default="", description="Researcher's note on what prompted the quote.")
    topic: str
    quote_type: QuoteType
    sentiment: Sentiment = Sentiment.NONE
    intensity: int = Field(default=1, ge=1, le=3)


class SessionQuotes(BaseModel):
    """Output of ``quotes:sN``."""

    model_config = ConfigDict(extra="forbid")

    session_id: str
    quotes: list[Quote] = []
    dropped_unverified: int = Field(
        default=0, ge=0, description="Quotes the analyser proposed that are not verbatim in the transcript."
    )


class ScreenCluster(BaseModel):
    """Quotes about one product screen, across sessions."""

    model_config = ConfigDict(extra="forbid")

    id: str
    label: str = Field(min_length=1)
    description: str = ""
    order: int = Field(ge=0, description="Position in the product flow.")
    quote_ids: list[str]


class ScreenClusters(BaseModel):
    """Output of ``clusters``: sections of the report, in product-flow order."""

    model_config = ConfigDict(extra="forbid")

    clusters: list[ScreenCluster] = []
    note: str = Field(default="", description="Why there are no sections, when there are none.")


class Theme(BaseModel):
    """A pattern across sessions, with the quotes that show it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    label: str = Field(min_length=1)
    description: str = ""
    quote_ids: list[str]


class ThemeGroups(BaseModel):
    """Output of ``themes``."""

    model_config = ConfigDict(extra="forbid")

    themes: list[Theme] = []
    note: str = Field(default="", description="Why there are no themes, when there are none.")
