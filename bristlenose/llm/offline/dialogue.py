"""Turns: consecutive segments of one speaker, the unit of conversation the offline tasks reason in.

Caption formats split one speaker's turn into several cues; grouping them back gives the
moderator's whole question and the participant's whole answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from bristlenose.models import Role, Segment, Transcript


@dataclass(frozen=True)
class Turn:
    """One speaker's consecutive segments, ``first`` to ``last`` (positions in the transcript, inclusive)."""

    speaker: str
    role: Role | None
    first: int
    last: int
    text: str

    @property
    def is_researcher(self) -> bool:
        """Moderators and observers ask the questions; anyone else (unknown roles too) answers."""
        return self.role in (Role.MODERATOR, Role.OBSERVER)


def turns(transcript: Transcript) -> list[Turn]:
    """The transcript's turns in order."""
    grouped: list[list[tuple[int, Segment]]] = []
    for position, segment in enumerate(transcript.segments):
        if grouped and grouped[-1][-1][1].speaker == segment.speaker:
            grouped[-1].append((position, segment))
        else:
            grouped.append([(position, segment)])
    return [
        Turn(speaker=group[0][1].speaker, role=transcript.role_of(group[0][1].speaker), first=group[0][0],
             last=group[-1][0], text=" ".join(s.text.strip() for _, s in group))
        for group in grouped
    ]
