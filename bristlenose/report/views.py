"""What the report's templates show: frozen view records built by ``context.build_view``.

Kept apart from the builder so a template author reads the shapes here, and the logic that
fills them in ``context.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from bristlenose.report.chart import Chart
from bristlenose.report.highlight import TextPart
from bristlenose.report.media import Recording, at_time


@dataclass(frozen=True)
class SpeakerView:
    """A speaker under their study-wide code (no label where the source gave only a code)."""

    code: str
    label: str
    role: str


@dataclass(frozen=True)
class GroupRef:
    """A section or theme as a quote refers to it."""

    anchor: str
    label: str


@dataclass(frozen=True)
class QuoteCard:
    """One quote with everything a card, a Markdown line or a CSV row shows."""

    id: str
    key: str
    text: str
    context: str
    speaker: str
    speaker_label: str
    session_id: str
    segment_index: int
    start: float
    timecode: str
    transcript_href: str | None
    recording: Recording | None
    topic: str
    quote_type: str
    sentiment: str
    sentiment_label: str
    intensity: int
    friction_point: bool
    tone: str
    sections: tuple[GroupRef, ...]
    themes: tuple[GroupRef, ...]

    @property
    def play_href(self) -> str | None:
        """The recording from this quote's moment, relative to the report page."""
        return at_time(self.recording.report_src, self.start) if self.recording else None


@dataclass(frozen=True)
class QuoteGroup:
    """A section (screen cluster) or a theme, with its quotes in order."""

    anchor: str
    label: str
    description: str
    quotes: tuple[QuoteCard, ...]

    @property
    def friction_count(self) -> int:
        """Friction points among the group's quotes."""
        return sum(1 for quote in self.quotes if quote.friction_point)


@dataclass(frozen=True)
class Stat:
    """A labelled number in the project overview."""

    label: str
    value: str


@dataclass(frozen=True)
class SentimentCount:
    """How many quotes carry one sentiment."""

    sentiment: str
    label: str
    count: int
    tone: str


@dataclass(frozen=True)
class ParticipantOption:
    """A quoted participant, as the participant filter offers them."""

    code: str
    label: str
    count: int


@dataclass(frozen=True)
class SessionRow:
    """An analysed session in the sessions table."""

    session_id: str
    name: str
    sources: tuple[str, ...]
    other_files: tuple[str, ...]
    participants: tuple[SpeakerView, ...]
    duration: str
    quote_count: int
    friction_count: int
    analysed_with: str
    href: str
    recording: Recording | None
    note: str | None


@dataclass(frozen=True)
class FailedSession:
    """A session whose transcript could not be read."""

    session_id: str
    name: str
    sources: tuple[str, ...]
    error: str


@dataclass(frozen=True)
class SkippedView:
    """An input file that was not analysed, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class TranscriptRow:
    """One segment of a transcript page; quoted words are marked in ``parts``."""

    anchor: str
    start: float
    timecode: str
    play_href: str | None
    speaker: SpeakerView
    parts: tuple[TextPart, ...]
    quotes: tuple[QuoteCard, ...]


@dataclass(frozen=True)
class TranscriptPage:
    """A session's full transcript, one row per segment."""

    path: str
    report_href: str
    session_id: str
    name: str
    sources: tuple[str, ...]
    speakers: tuple[SpeakerView, ...]
    duration: str
    analysed_with: str
    recording: Recording | None
    rows: tuple[TranscriptRow, ...]
    note: str | None
    error: str | None


@dataclass(frozen=True)
class ReportView:
    """Everything the report shows, in display order."""

    project: str
    filename: str
    storage_key: str
    csv_filename: str
    generated_at: str
    generated_iso: str
    stats: tuple[Stat, ...]
    analysers: tuple[str, ...]
    grouped_with: str | None
    dropped_unverified: int
    sentiments: tuple[SentimentCount, ...]
    sentiment_chart: Chart
    section_chart: Chart
    participants: tuple[ParticipantOption, ...]
    quotes: tuple[QuoteCard, ...]
    sections: tuple[QuoteGroup, ...]
    themes: tuple[QuoteGroup, ...]
    unsorted: tuple[QuoteCard, ...]
    friction: tuple[QuoteCard, ...]
    sessions: tuple[SessionRow, ...]
    failed: tuple[FailedSession, ...]
    skipped: tuple[SkippedView, ...]
    transcripts: tuple[TranscriptPage, ...]

    @property
    def has_recordings(self) -> bool:
        """Whether any session has a recording, so the page needs a player."""
        return any(session.recording for session in self.sessions)
