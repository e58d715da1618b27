"""The report's view model: ``ReportInput`` turned into what the templates show.

All lookups, ordering, counting and formatting happen here, so the HTML, Markdown and CSV
renderers stay dumb and agree with each other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bristlenose.analysis.merge import session_order
from bristlenose.models import Quote, Role, Sentiment, Transcript
from bristlenose.report.data import Provenance, ReportInput
from bristlenose.report.paths import segment_anchor, transcript_path
from bristlenose.report.slug import report_filename, slugify
from bristlenose.report.timecode import format_duration, format_timecode

PROVIDER_NAMES = {"offline": "Offline analyser", "anthropic": "Anthropic", "openai": "OpenAI-compatible"}
UNKNOWN_ANALYSER = "not recorded"
POSITIVE = frozenset({Sentiment.SATISFACTION, Sentiment.DELIGHT, Sentiment.CONFIDENCE})


def tone(sentiment: Sentiment) -> str:
    """``friction``, ``positive`` or ``neutral``: how a sentiment label is coloured."""
    if sentiment.is_friction:
        return "friction"
    return "positive" if sentiment in POSITIVE else "neutral"


@dataclass(frozen=True)
class SpeakerView:
    """A speaker under their study-wide code."""

    code: str
    label: str
    role: str


@dataclass(frozen=True)
class QuoteCard:
    """One quote with everything a card, a Markdown line or a CSV row shows."""

    id: str
    text: str
    context: str
    speaker: str
    speaker_label: str
    session_id: str
    segment_index: int
    start: float
    timecode: str
    href: str | None
    topic: str
    quote_type: str
    sentiment: str
    intensity: int
    is_friction: bool
    tone: str
    sections: tuple[str, ...]
    themes: tuple[str, ...]


@dataclass(frozen=True)
class QuoteGroup:
    """A section (screen cluster) or a theme, with its quotes in order."""

    anchor: str
    label: str
    description: str
    quotes: tuple[QuoteCard, ...]

    @property
    def friction_count(self) -> int:
        """Quotes in the group that express friction."""
        return sum(1 for quote in self.quotes if quote.is_friction)


@dataclass(frozen=True)
class Stat:
    """A labelled number in the project summary."""

    label: str
    value: str


@dataclass(frozen=True)
class SentimentCount:
    """How many quotes carry one sentiment."""

    sentiment: str
    count: int
    tone: str


@dataclass(frozen=True)
class SessionRow:
    """An analysed session in the sessions table."""

    session_id: str
    name: str
    sources: tuple[str, ...]
    participants: tuple[SpeakerView, ...]
    duration: str
    quote_count: int
    analysed_with: str
    href: str


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
    """One segment of a transcript page."""

    anchor: str
    timecode: str
    speaker: SpeakerView
    text: str
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
    rows: tuple[TranscriptRow, ...]
    error: str | None = None


@dataclass(frozen=True)
class ReportView:
    """Everything the report shows, in display order."""

    project: str
    filename: str
    generated_at: str
    generated_iso: str
    stats: tuple[Stat, ...]
    analysers: tuple[str, ...]
    dropped_unverified: int
    sentiments: tuple[SentimentCount, ...]
    quotes: tuple[QuoteCard, ...]
    sections: tuple[QuoteGroup, ...]
    themes: tuple[QuoteGroup, ...]
    unsorted: tuple[QuoteCard, ...]
    friction: tuple[QuoteCard, ...]
    sessions: tuple[SessionRow, ...]
    failed: tuple[FailedSession, ...]
    skipped: tuple[SkippedView, ...]
    transcripts: tuple[TranscriptPage, ...]


def build_view(data: ReportInput) -> ReportView:
    """The view model of a study; pure and deterministic."""
    transcripts = sorted(data.transcripts, key=lambda t: session_order(t.session_id))
    analysed = [t for t in transcripts if t.error is None]
    speakers = {(t.session_id, local): view for t in analysed for local, view in _speakers(t, data).items()}
    labels = {(sid, view.code): view.label for (sid, _), view in speakers.items()}
    anchors = {t.session_id: {seg.index for seg in t.segments} for t in analysed}
    clusters = sorted(data.clusters.clusters, key=lambda c: c.order)
    section_labels = _labels_by_quote((c.label, c.quote_ids) for c in clusters)
    theme_labels = _labels_by_quote((t.label, t.quote_ids) for t in data.themes.themes)
    cards = {
        q.id: _card(q, labels, anchors, section_labels.get(q.id, ()), theme_labels.get(q.id, ()))
        for q in data.quotes.quotes
    }
    ordered = tuple(cards[q.id] for q in data.quotes.quotes)
    sections = _groups("section", ((c.id, c.label, c.description, c.quote_ids) for c in clusters), cards)
    themes = _groups("theme", ((t.id, t.label, t.description, t.quote_ids) for t in data.themes.themes), cards)
    filename = report_filename(data.project)
    return ReportView(
        project=data.project,
        filename=filename,
        generated_at=_format_datetime(data.generated_at),
        generated_iso=data.generated_at.isoformat(),
        stats=_stats(data, analysed, speakers, sections, themes),
        analysers=_analysers(analysed, data.provenance),
        dropped_unverified=data.quotes.dropped_unverified,
        sentiments=_sentiment_counts(ordered),
        quotes=ordered,
        sections=sections,
        themes=themes,
        unsorted=tuple(c for c in ordered if not c.sections and not c.themes),
        friction=tuple(sorted((c for c in ordered if c.is_friction), key=lambda c: -c.intensity)),
        sessions=tuple(_session_row(t, data, speakers, ordered) for t in analysed),
        failed=tuple(
            FailedSession(t.session_id, t.name, _sources(t), t.error) for t in transcripts if t.error is not None
        ),
        skipped=tuple(SkippedView(s.path, s.reason) for s in data.skipped),
        transcripts=tuple(_transcript_page(t, data, speakers, ordered, filename) for t in transcripts),
    )


def _speakers(transcript: Transcript, data: ReportInput) -> dict[str, SpeakerView]:
    """Session-local speaker code → the speaker under their study-wide code."""
    return {
        s.code: SpeakerView(data.participants.code_for(transcript.session_id, s.code), s.label, s.role.value)
        for s in transcript.speakers
    }


def _labels_by_quote(groups: Iterable[tuple[str, list[str]]]) -> dict[str, tuple[str, ...]]:
    """Quote id → labels of the groups that hold it, in group order."""
    found: dict[str, list[str]] = {}
    for label, quote_ids in groups:
        for quote_id in dict.fromkeys(quote_ids):
            found.setdefault(quote_id, []).append(label)
    return {quote_id: tuple(labels) for quote_id, labels in found.items()}


def _card(
    quote: Quote,
    labels: dict[tuple[str, str], str],
    anchors: dict[str, set[int]],
    sections: tuple[str, ...],
    themes: tuple[str, ...],
) -> QuoteCard:
    """A quote's card; it links to its transcript only where that segment is rendered."""
    linked = quote.segment_index in anchors.get(quote.session_id, set())
    href = f"{transcript_path(quote.session_id)}#{segment_anchor(quote.segment_index)}" if linked else None
    return QuoteCard(
        id=quote.id,
        text=quote.text,
        context=quote.context,
        speaker=quote.speaker,
        speaker_label=labels.get((quote.session_id, quote.speaker), ""),
        session_id=quote.session_id,
        segment_index=quote.segment_index,
        start=quote.start,
        timecode=format_timecode(quote.start),
        href=href,
        topic=quote.topic,
        quote_type=quote.quote_type.value,
        sentiment=quote.sentiment.value,
        intensity=quote.intensity,
        is_friction=quote.sentiment.is_friction,
        tone=tone(quote.sentiment),
        sections=sections,
        themes=themes,
    )


def _groups(
    kind: str, groups: Iterable[tuple[str, str, str, list[str]]], cards: dict[str, QuoteCard]
) -> tuple[QuoteGroup, ...]:
    """Sections or themes with unique anchors; quote ids without a quote are left out."""
    used: set[str] = set()
    result = []
    for position, (group_id, label, description, quote_ids) in enumerate(groups, start=1):
        anchor = f"{kind}-{slugify(group_id) or position}"
        while anchor in used:
            anchor = f"{anchor}-{position}"
        used.add(anchor)
        quotes = tuple(cards[i] for i in dict.fromkeys(quote_ids) if i in cards)
        result.append(QuoteGroup(anchor, label, description, quotes))
    return tuple(result)


def _stats(
    data: ReportInput,
    analysed: list[Transcript],
    speakers: dict[tuple[str, str], SpeakerView],
    sections: tuple[QuoteGroup, ...],
    themes: tuple[QuoteGroup, ...],
) -> tuple[Stat, ...]:
    """The summary numbers at the top of the report."""
    participants = {v.code for v in speakers.values() if v.role == Role.PARTICIPANT.value}
    return (
        Stat("Sessions", str(len(analysed))),
        Stat("Participants", str(len(participants))),
        Stat("Total duration", format_duration(sum(t.duration for t in analysed))),
        Stat("Quotes", str(len(data.quotes.quotes))),
        Stat("Sections", str(len(sections))),
        Stat("Themes", str(len(themes))),
    )


def describe_provenance(provenance: Provenance | None) -> str:
    """``Offline analyser (bristlenose-offline-1)``, ``Anthropic (claude-…)`` and the like."""
    if provenance is None:
        return UNKNOWN_ANALYSER
    name = PROVIDER_NAMES.get(provenance.provider, provenance.provider)
    return f"{name} ({provenance.model})"


def _analysers(analysed: list[Transcript], provenance: dict[str, Provenance]) -> tuple[str, ...]:
    """One line if every session was analysed alike, else one line per analyser with its sessions."""
    sessions: dict[str, list[str]] = {}
    for transcript in analysed:
        described = describe_provenance(provenance.get(transcript.session_id))
        sessions.setdefault(described, []).append(transcript.session_id)
    if len(sessions) <= 1:
        return tuple(sessions)
    return tuple(f"{described}: {', '.join(ids)}" for described, ids in sessions.items())


def _sentiment_counts(quotes: tuple[QuoteCard, ...]) -> tuple[SentimentCount, ...]:
    """Counts per sentiment in the codebook's order, leaving out sentiments no quote has."""
    counts = Counter(q.sentiment for q in quotes)
    return tuple(SentimentCount(s.value, counts[s.value], tone(s)) for s in Sentiment if counts[s.value])


def _sources(transcript: Transcript) -> tuple[str, ...]:
    """A session's input files, media marked as such."""
    return tuple(s.path if s.kind == "transcript" else f"{s.path} ({s.kind})" for s in transcript.sources)


def _session_row(
    transcript: Transcript,
    data: ReportInput,
    speakers: dict[tuple[str, str], SpeakerView],
    quotes: tuple[QuoteCard, ...],
) -> SessionRow:
    """A row of the sessions table."""
    participants = tuple(
        speakers[(transcript.session_id, s.code)] for s in transcript.speakers if s.role is Role.PARTICIPANT
    )
    return SessionRow(
        session_id=transcript.session_id,
        name=transcript.name,
        sources=_sources(transcript),
        participants=participants,
        duration=format_duration(transcript.duration),
        quote_count=sum(1 for q in quotes if q.session_id == transcript.session_id),
        analysed_with=describe_provenance(data.provenance.get(transcript.session_id)),
        href=transcript_path(transcript.session_id),
    )


def _transcript_page(
    transcript: Transcript,
    data: ReportInput,
    speakers: dict[tuple[str, str], SpeakerView],
    quotes: tuple[QuoteCard, ...],
    filename: str,
) -> TranscriptPage:
    """A session's transcript page; quoted segments carry their quotes."""
    sid = transcript.session_id
    by_segment: dict[int, list[QuoteCard]] = {}
    for quote in quotes:
        if quote.session_id == sid:
            by_segment.setdefault(quote.segment_index, []).append(quote)
    rows = tuple(
        TranscriptRow(
            anchor=segment_anchor(seg.index),
            timecode=format_timecode(seg.start),
            speaker=speakers.get((sid, seg.speaker))
            or SpeakerView(data.participants.code_for(sid, seg.speaker), "", "unknown"),
            text=seg.text,
            quotes=tuple(by_segment.get(seg.index, ())),
        )
        for seg in transcript.segments
    )
    return TranscriptPage(
        path=transcript_path(sid),
        report_href=f"../{filename}",
        session_id=sid,
        name=transcript.name,
        sources=_sources(transcript),
        speakers=tuple(speakers[(sid, s.code)] for s in transcript.speakers),
        duration=format_duration(transcript.duration),
        analysed_with=describe_provenance(data.provenance.get(sid)),
        rows=rows,
        error=transcript.error,
    )


def _format_datetime(moment: datetime) -> str:
    """``2025-03-04 14:05 UTC``: unambiguous and locale-free."""
    zone = moment.tzname()
    return f"{moment:%Y-%m-%d %H:%M}" + (f" {zone}" if zone else "")
