"""People's names from how they introduce themselves ("I'm Priya, I look after payroll").

A transcribed recording only knows voices (``Speaker A``); transcript files already carry
names in their labels (VTT voice tags, Teams and Zoom names). A speaker whose label is one of
ours and who introduces themselves early in the session takes that name as their label, so
the report shows "Priya" rather than a second "Speaker B".

Rules: the phrase is said by the speaker themself ("I'm", "I am", "my name is", "my name's",
"call me") within their first :data:`EARLY_TURNS` cues, followed by one or two capitalised
words (Whisper capitalises names, not ordinary words mid-sentence) that are not common
capitalised non-names (days, months, nationalities, "OK"). A name claimed by two speakers is
nobody's. Limits: a name Whisper misspells stays misspelt; "I'm Sure" mis-capitalised would
be taken as a name unless listed; names said by others ("thanks, Priya") are not used.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bristlenose.parsers.base import RawSegment

EARLY_TURNS = 4
_INTRODUCTION = re.compile(
    r"\b(?:I['’]m|I am|[Mm]y name is|[Mm]y name's|[Cc]all me)\s+([A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)")
_NOT_NAMES = frozenset("""
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december english british american french german spanish indian irish
    scottish welsh canadian australian ok okay sorry sure fine good not just really so the a an from in on at
    here there glad happy new not doctor mr mrs ms miss dr
""".split())


def introduced_names(cues: list[RawSegment], ours: Callable[[str], bool]) -> dict[str, str]:
    """Each label (of those ``ours`` accepts) and the name its speaker introduced themself by."""
    seen: dict[str, int] = {}
    found: dict[str, str] = {}
    for cue in cues:
        turn = seen[cue.speaker] = seen.get(cue.speaker, 0) + 1
        if turn > EARLY_TURNS or cue.speaker in found or not ours(cue.speaker):
            continue
        name = _name_in(cue.text)
        if name:
            found[cue.speaker] = name
    claimed: dict[str, int] = {}
    for name in found.values():
        claimed[name.casefold()] = claimed.get(name.casefold(), 0) + 1
    return {label: name for label, name in found.items() if claimed[name.casefold()] == 1}


def named(cues: list[RawSegment], ours: Callable[[str], bool]) -> list[RawSegment]:
    """``cues`` with each self-introduced speaker's label replaced by their name."""
    names = introduced_names(cues, ours)
    taken = {cue.speaker for cue in cues}
    names = {label: name for label, name in names.items() if name not in taken}
    return [RawSegment(cue.start, cue.end, names.get(cue.speaker, cue.speaker), cue.text, cue.words)
            for cue in cues]


def _name_in(text: str) -> str | None:
    """The first introduced name in ``text``, without trailing non-name words."""
    for match in _INTRODUCTION.finditer(text):
        words = match.group(1).split()
        while words and words[-1].casefold() in _NOT_NAMES:
            words.pop()
        if words and words[0].casefold() not in _NOT_NAMES:
            return " ".join(words)
    return None
