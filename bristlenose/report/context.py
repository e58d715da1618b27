"""The report's view model: ``ReportInput`` turned into what the templates show.

All lookups, ordering, counting and formatting happen here, so the HTML, Markdown and CSV
renderers stay dumb and agree with each other.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from bristlenose.analysis.merge import session_order
from bristlenose.analysis.roles import is_code
from bristlenose.models import Quote, Role, Sentiment, Transcript
from bristlenose.report.chart import sentiment_chart, stacked_chart
from bristlenose.report.data import Provenance, ReportInput
from bristlenose.report.highlight import split_quoted
from bristlenose.report.media import Recording, at_time, recording_of
from bristlenose.report.paths import segment_anchor, transcript_path
from bristlenose.report.slug import FALLBACK_SLUG, report_filename, slugify
from bristlenose.report.timecode import format_duration, format_timecode
from bristlenose.report.views import (
    FailedSession,
    GroupRef,
    ParticipantOption,
    QuoteCard,
    QuoteGroup,
    ReportView,
    SentimentCount,
    SessionRow,
    SkippedView,
    SpeakerView,
    Stat,
    TranscriptPage,
    TranscriptRow,
)

PROVIDER_NAMES = {"offline": "Offline analyser", "anthropic": "Anthropic", "openai": "OpenAI-compatible"}
UNKNOWN_ANALYSER = "not recorded"
POSITIVE = frozenset({Sentiment.SATISFACTION, Sentiment.DELIGHT, Sentiment.CONFIDENCE})
STRONGEST = 3


def tone(sentiment: Sentiment) -> str:
    """``friction``, ``positive`` or ``neutral``: how a sentiment label is coloured."""
    if sentiment.is_friction:
        return "friction"
    return "positive" if sentiment in POSITIVE else "neutral"


def sentiment_label(sentiment: Sentiment) -> str:
    """The word a reader sees: ``none`` reads as ``neutral``."""
    return "neutral" if sentiment is Sentiment.NONE else sentiment.value


def is_friction_point(sentiment: Sentiment, intensity: int) -> bool:
    """Frustration, confusion or doubt, or anything else felt at full strength but positive:
    what a team should look at first."""
    return sentiment.is_friction or (intensity >= STRONGEST and sentiment not in POSITIVE)


def quote_key(quote: Quote) -> str:
    """Key of a quote's star and hide marks in the browser: its session, segment and words,
    so the marks follow the quote even when a re-analysis numbers quotes differently."""
    digest = hashlib.sha256(f"{quote.session_id}\0{quote.segment_index}\0{quote.text}".encode()).hexdigest()
    return digest[:16]


def build_view(data: ReportInput) -> ReportView:
    """The view model of a study; pure and deterministic."""
    transcripts = sorted(data.transcripts, key=lambda t: session_order(t.session_id))
    analysed = [t for t in transcripts if t.error is None]
    speakers = {(t.session_id, local): view for t in analysed for local, view in _speakers(t, data).items()}
    labels = {(sid, view.code): view.label for (sid, _), view in speakers.items()}
    anchors = {t.session_id: {seg.index for seg in t.segments} for t in analysed}
    recordings = {t.session_id: recording_of(t, data.input_dir, data.output_dir) for t in transcripts}
    clusters = sorted(data.clusters.clusters, key=lambda c: c.order)
    section_refs = _anchored("section", ((c.id, c.label, c.quote_ids) for c in clusters))
    theme_refs = _anchored("theme", ((t.id, t.label, t.quote_ids) for t in data.themes.themes))
    section_of, theme_of = _refs_by_quote(section_refs), _refs_by_quote(theme_refs)
    cards = {
        q.id: _card(q, labels, anchors, recordings.get(q.session_id), section_of.get(q.id, ()),
                    theme_of.get(q.id, ()))
        for q in data.quotes.quotes
    }
    ordered = tuple(cards[q.id] for q in data.quotes.quotes)
    sections = _groups(section_refs, (c.description for c in clusters), cards)
    themes = _groups(theme_refs, (t.description for t in data.themes.themes), cards)
    filename = report_filename(data.project)
    slug = slugify(data.project) or FALLBACK_SLUG
    sentiments = _sentiment_counts(data.quotes.quotes)
    analysers = _analysers(analysed, data.provenance)
    return ReportView(
        project=data.project,
        filename=filename,
        storage_key=f"bristlenose:{slug}:curation",
        csv_filename=f"{slug}-quotes.csv",
        generated_at=_format_datetime(data.generated_at),
        generated_iso=data.generated_at.isoformat(),
        stats=_stats(analysed, speakers, ordered, sections, themes),
        analysers=analysers,
        grouped_with=_grouped_with(analysers, data.stage_provenance),
        dropped_unverified=data.quotes.dropped_unverified,
        sentiments=sentiments,
        sentiment_chart=sentiment_chart((s.label, s.count, s.tone) for s in sentiments),
        section_chart=stacked_chart((s.label, Counter(_bucket(q) for q in s.quotes)) for s in sections if s.quotes),
        participants=_participant_options(analysed, speakers, ordered),
        quotes=ordered,
        sections=sections,
        themes=themes,
        unsorted=tuple(c for c in ordered if not c.sections and not c.themes),
        friction=tuple(sorted((c for c in ordered if c.friction_point), key=lambda c: -c.intensity)),
        sessions=tuple(_session_row(t, data, speakers, ordered, recordings[t.session_id]) for t in analysed),
        failed=tuple(
            FailedSession(t.session_id, t.name, _sources(t), t.error) for t in transcripts if t.error is not None
        ),
        skipped=tuple(SkippedView(s.path, s.reason) for s in data.skipped),
        transcripts=tuple(
            _transcript_page(t, data, speakers, ordered, filename, recordings[t.session_id]) for t in transcripts
        ),
    )


def _bucket(quote: QuoteCard) -> str:
    """Where a quote counts in the section chart: friction points first, then by tone."""
    return "friction" if quote.friction_point else quote.tone


def _speakers(transcript: Transcript, data: ReportInput) -> dict[str, SpeakerView]:
    """Session-local speaker code → the speaker under their study-wide code, named as the
    people file says, else as the transcript does (no name in an anonymous report)."""
    names = data.names.get(transcript.session_id, {})
    return {
        s.code: SpeakerView(
            data.participants.code_for(transcript.session_id, s.code),
            "" if data.codes_only else names.get(s.label) or s.name or ("" if is_code(s.label) else s.label),
            s.role.value,
        )
        for s in transcript.speakers
    }


def _anchored(kind: str, groups: Iterable[tuple[str, str, list[str]]]) -> list[tuple[GroupRef, list[str]]]:
    """Sections or themes with unique fragment ids, each with its quote ids."""
    used: set[str] = set()
    result = []
    for position, (group_id, label, quote_ids) in enumerate(groups, start=1):
        anchor = f"{kind}-{slugify(group_id) or position}"
        while anchor in used:
            anchor = f"{anchor}-{position}"
        used.add(anchor)
        result.append((GroupRef(anchor, label), quote_ids))
    return result


def _refs_by_quote(groups: list[tuple[GroupRef, list[str]]]) -> dict[str, tuple[GroupRef, ...]]:
    """Quote id → the groups that hold it, in group order."""
    found: dict[str, list[GroupRef]] = {}
    for ref, quote_ids in groups:
        for quote_id in dict.fromkeys(quote_ids):
            found.setdefault(quote_id, []).append(ref)
    return {quote_id: tuple(refs) for quote_id, refs in found.items()}


def _card(
    quote: Quote,
    labels: dict[tuple[str, str], str],
    anchors: dict[str, set[int]],
    recording: Recording | None,
    sections: tuple[GroupRef, ...],
    themes: tuple[GroupRef, ...],
) -> QuoteCard:
    """A quote's card; it links to its transcript only where that segment is rendered."""
    linked = quote.segment_index in anchors.get(quote.session_id, set())
    href = f"{transcript_path(quote.session_id)}#{segment_anchor(quote.segment_index)}" if linked else None
    return QuoteCard(
        id=quote.id,
        key=quote_key(quote),
        text=quote.text,
        context=quote.context,
        speaker=quote.speaker,
        speaker_label=labels.get((quote.session_id, quote.speaker), ""),
        session_id=quote.session_id,
        segment_index=quote.segment_index,
        start=quote.start,
        timecode=format_timecode(quote.start),
        transcript_href=href,
        recording=recording,
        topic=quote.topic,
        quote_type=quote.quote_type.value,
        sentiment=quote.sentiment.value,
        sentiment_label=sentiment_label(quote.sentiment),
        intensity=quote.intensity,
        friction_point=is_friction_point(quote.sentiment, quote.intensity),
        tone=tone(quote.sentiment),
        sections=sections,
        themes=themes,
    )


def _groups(
    refs: list[tuple[GroupRef, list[str]]], descriptions: Iterable[str], cards: dict[str, QuoteCard]
) -> tuple[QuoteGroup, ...]:
    """Sections or themes with their cards; quote ids without a quote are left out."""
    return tuple(
        QuoteGroup(ref.anchor, ref.label, description,
                   tuple(cards[i] for i in dict.fromkeys(quote_ids) if i in cards))
        for (ref, quote_ids), description in zip(refs, descriptions, strict=True)
    )


def _stats(
    analysed: list[Transcript],
    speakers: dict[tuple[str, str], SpeakerView],
    quotes: tuple[QuoteCard, ...],
    sections: tuple[QuoteGroup, ...],
    themes: tuple[QuoteGroup, ...],
) -> tuple[Stat, ...]:
    """The overview numbers at the top of the report."""
    participants = {v.code for v in speakers.values() if v.role == Role.PARTICIPANT.value}
    return (
        Stat("Sessions", str(len(analysed))),
        Stat("Participants", str(len(participants))),
        Stat("Total duration", format_duration(sum(t.duration for t in analysed))),
        Stat("Quotes", str(len(quotes))),
        Stat("Friction points", str(sum(1 for q in quotes if q.friction_point))),
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


def _grouped_with(analysers: tuple[str, ...], stages: dict[str, Provenance]) -> str | None:
    """Who grouped quotes into sections and themes, where that is not simply the one analyser
    of every session."""
    described = tuple(dict.fromkeys(describe_provenance(p) for p in stages.values()))
    if not described or described == analysers:
        return None
    return ", ".join(described)


def _sentiment_counts(quotes: Iterable[Quote]) -> tuple[SentimentCount, ...]:
    """Counts per sentiment in the codebook's order, leaving out sentiments no quote has."""
    counts = Counter(q.sentiment for q in quotes)
    return tuple(SentimentCount(s.value, sentiment_label(s), counts[s], tone(s)) for s in Sentiment if counts[s])


def _participant_options(
    analysed: list[Transcript], speakers: dict[tuple[str, str], SpeakerView], quotes: tuple[QuoteCard, ...]
) -> tuple[ParticipantOption, ...]:
    """Quoted participants in session order, each once, with their number of quotes."""
    counts = Counter(q.speaker for q in quotes)
    found: dict[str, SpeakerView] = {}
    for transcript in analysed:
        for speaker in transcript.speakers:
            view = speakers[(transcript.session_id, speaker.code)]
            if counts[view.code] and view.role == Role.PARTICIPANT.value:
                found.setdefault(view.code, view)
    return tuple(ParticipantOption(v.code, v.label, counts[v.code]) for v in found.values())


def _sources(transcript: Transcript) -> tuple[str, ...]:
    """A session's input files, media marked as such."""
    return tuple(s.path if s.kind == "transcript" else f"{s.path} ({s.kind})" for s in transcript.sources)


def _session_row(
    transcript: Transcript,
    data: ReportInput,
    speakers: dict[tuple[str, str], SpeakerView],
    quotes: tuple[QuoteCard, ...],
    recording: Recording | None,
) -> SessionRow:
    """A row of the sessions table."""
    participants = tuple(
        speakers[(transcript.session_id, s.code)] for s in transcript.speakers if s.role is Role.PARTICIPANT
    )
    own = [q for q in quotes if q.session_id == transcript.session_id]
    return SessionRow(
        session_id=transcript.session_id,
        name=transcript.name,
        sources=_sources(transcript),
        other_files=tuple(s.path for s in transcript.sources if recording is None or s.path != recording.path),
        participants=participants,
        duration=format_duration(transcript.duration),
        quote_count=len(own),
        friction_count=sum(1 for q in own if q.friction_point),
        analysed_with=describe_provenance(data.provenance.get(transcript.session_id)),
        href=transcript_path(transcript.session_id),
        recording=recording,
        note=transcript.note,
    )


def _transcript_page(
    transcript: Transcript,
    data: ReportInput,
    speakers: dict[tuple[str, str], SpeakerView],
    quotes: tuple[QuoteCard, ...],
    filename: str,
    recording: Recording | None,
) -> TranscriptPage:
    """A session's transcript page; quoted segments carry their quotes, their words marked."""
    sid = transcript.session_id
    by_segment: dict[int, list[QuoteCard]] = {}
    for quote in quotes:
        if quote.session_id == sid:
            by_segment.setdefault(quote.segment_index, []).append(quote)
    rows = tuple(
        TranscriptRow(
            anchor=segment_anchor(seg.index),
            start=seg.start,
            timecode=format_timecode(seg.start),
            play_href=at_time(recording.page_src, seg.start) if recording else None,
            speaker=speakers.get((sid, seg.speaker))
            or SpeakerView(data.participants.code_for(sid, seg.speaker), "", "unknown"),
            parts=split_quoted(seg.text, (q.text for q in by_segment.get(seg.index, ()))),
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
        recording=recording,
        rows=rows,
        note=transcript.note,
        error=transcript.error,
    )


def _format_datetime(moment: datetime) -> str:
    """``2025-03-04 14:05 UTC``: unambiguous and locale-free."""
    zone = moment.tzname()
    return f"{moment:%Y-%m-%d %H:%M}" + (f" {zone}" if zone else "")
