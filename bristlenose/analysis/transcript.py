"""Raw segments of a source file → the session's Transcript: speakers, roles and turns."""

from __future__ import annotations

from bristlenose.analysis.roles import assign_roles
from bristlenose.models import Segment, SessionSource, Speaker, Transcript
from bristlenose.parsers.base import RawSegment

MAX_GAP = 3.0
"""Seconds of silence within which one speaker's consecutive cues are one turn."""
MAX_TURN = 60.0
"""Seconds a merged turn may span: long enough for a thought, short enough to quote."""


def build_transcript(source: SessionSource, raw: list[RawSegment]) -> Transcript:
    """The session's transcript: roles assigned, and caption cues merged into speaker turns.

    Captions cut speech every few seconds; a quote reads better as a whole turn, so a
    speaker's consecutive cues join while the pause between them is under ``MAX_GAP`` and
    the turn stays under ``MAX_TURN``. A turn starts at its first cue and ends at its last.
    """
    roles = assign_roles(raw)
    speakers: dict[str, Speaker] = {}
    for label, (role, code) in roles.items():
        speakers.setdefault(code, Speaker(code=code, label=label, role=role))
    segments: list[Segment] = []
    for cue in raw:
        code = roles[cue.speaker][1]
        previous = segments[-1] if segments else None
        if previous is not None and previous.speaker == code and _joins(previous, cue):
            previous.text = f"{previous.text} {cue.text}"
            previous.end = cue.end
            previous.words.extend(cue.words)
        else:
            segments.append(Segment(index=len(segments), start=max(cue.start, 0.0), end=cue.end,
                                    speaker=code, text=cue.text, words=list(cue.words)))
    return Transcript(session_id=source.session_id, name=source.name, sources=source.sources,
                      speakers=list(speakers.values()), segments=segments)


def failed_transcript(source: SessionSource, error: str) -> Transcript:
    """The named outcome of a session whose source cannot be read: no segments, an error."""
    return Transcript(session_id=source.session_id, name=source.name, sources=source.sources, error=error)


def _joins(turn: Segment, cue: RawSegment) -> bool:
    """Whether ``cue`` continues ``turn``: a short pause, and the turn stays quotable.

    Only timed cues join; formats without end times (docx, txt) already hold whole turns.
    """
    if turn.end is None or cue.end is None:
        return False
    return cue.start - turn.end < MAX_GAP and cue.end - turn.start < MAX_TURN
