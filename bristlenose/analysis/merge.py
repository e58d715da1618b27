"""Merges of per-session outputs into study-wide files, and study-wide participant codes."""

from __future__ import annotations

from bristlenose.models import (
    ExtractedQuotes,
    ParticipantEntry,
    Participants,
    Role,
    SessionQuotes,
    TopicBoundaries,
    TopicMap,
    Transcript,
)


def session_order(session_id: str) -> tuple[int, str]:
    """Sort key that puts s2 before s10."""
    digits = session_id.lstrip("s")
    return (int(digits), session_id) if digits.isdigit() else (1 << 30, session_id)


def assign_participants(transcripts: list[Transcript], previous: Participants | None = None) -> Participants:
    """Study-wide speaker codes: participants numbered across the study, moderators and
    observers per session.

    Codes already assigned in ``previous`` are kept, so adding or removing a session never
    renumbers anyone else; new participants get the next free numbers, in session order.
    Entries of removed sessions stay reserved, so a session that comes back keeps its codes.
    """
    kept = {(e.session_id, e.local_code, e.label): e for e in (previous.entries if previous else [])}
    used = {int(e.code[1:]) for e in kept.values() if e.code.startswith("p") and e.code[1:].isdigit()}
    entries: list[ParticipantEntry] = []
    for transcript in sorted(transcripts, key=lambda t: session_order(t.session_id)):
        for speaker in transcript.speakers:
            old = kept.get((transcript.session_id, speaker.code, speaker.label))
            if old is not None and old.role == speaker.role.value:
                entries.append(old)
                continue
            code = speaker.code
            if speaker.role is Role.PARTICIPANT:
                number = next(n for n in range(1, len(used) + 2) if n not in used)
                used.add(number)
                code = f"p{number}"
            entries.append(ParticipantEntry(session_id=transcript.session_id, local_code=speaker.code, code=code,
                                            label=speaker.label, role=speaker.role.value))
    current = {t.session_id for t in transcripts}
    retired = [e for e in kept.values() if e.session_id not in current]
    return Participants(entries=entries + retired)


def merge_topics(maps: list[TopicMap]) -> TopicBoundaries:
    """All sessions' topic maps, in session order."""
    return TopicBoundaries(sessions=sorted(maps, key=lambda m: session_order(m.session_id)))


def merge_quotes(sessions: list[SessionQuotes], participants: Participants) -> ExtractedQuotes:
    """All sessions' quotes in session order, attributed with study-wide speaker codes."""
    ordered = sorted(sessions, key=lambda s: session_order(s.session_id))
    return ExtractedQuotes(
        quotes=[q.model_copy(update={"speaker": participants.code_for(q.session_id, q.speaker)})
                for s in ordered for q in s.quotes],
        dropped_unverified=sum(s.dropped_unverified for s in ordered),
    )
