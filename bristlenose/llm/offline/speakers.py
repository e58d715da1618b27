"""Speaker roles, offline: the transcript stage's heuristic roles stand (see ``analysis/roles.py``)."""

from __future__ import annotations

from bristlenose.analysis.speakers import RoleProposal, SpeakersInput, SpeakersResponse


def answer(context: SpeakersInput) -> SpeakersResponse:
    """Each speaker key with the role the heuristics gave it."""
    speakers = {s.code: s for s in context.transcript.speakers}
    return SpeakersResponse(speakers=[RoleProposal(speaker=key, role=speakers[code].role)
                                      for code, key in context.keys.items() if code in speakers])
