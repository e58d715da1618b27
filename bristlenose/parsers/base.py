"""What every parser returns, the error it raises, and the speaker-label rule they share."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bristlenose.models import Word


@dataclass(frozen=True)
class RawSegment:
    """One cue or turn as the source file has it, before roles and merging."""

    start: float
    end: float | None
    speaker: str
    text: str
    words: tuple[Word, ...] = ()


class ParseError(Exception):
    """A transcript file that cannot be read, said plainly; the caller adds the file name."""


_PREFIX = re.compile(r"([^:\n]{1,40}?)\s*:(?:\s+|$)(.*)", re.DOTALL)
_LABEL_CHARS = re.compile(r"[^\W\d_][\w .'’()&-]*")
_SURNAME_FIRST = re.compile(r"[^\W\d_a-z][\w'’-]*(?: [^\W\d_a-z][\w'’-]*)?, [^\W\d_a-z][\w .'’-]*")
_KNOWN_LABEL = re.compile(
    r"(?:[mpo]\d+|speaker\s*\d+|unknown speaker"
    r"|(?:interviewer|moderator|researcher|facilitator|participant|interviewee|respondent"
    r"|observer|note[\s-]?taker|user|customer)(?:\s*\d+)?)",
    re.IGNORECASE,
)
_NOT_SPEAKERS = frozenset(
    {"note", "nb", "ps", "tip", "warning", "example", "edit", "update", "reminder", "fyi", "important"}
)
_MAX_LABEL_WORDS = 4
_LABELLED_FILE_SHARE = 0.5


def clean_text(text: str) -> str:
    """Single-spaced text: cue line breaks and exporter padding are not meaningful."""
    return " ".join(text.split())


def split_speaker_prefixes(texts: Sequence[str]) -> list[tuple[str | None, str]]:
    """Each text as (speaker label or None, text without the label).

    A ``Name: text`` prefix is only a speaker when the name looks like a label (up to four
    words, starting with a letter, no sentence punctuation except directory-style
    ``Doe, Jane``; ``10:30`` and ``https://`` never qualify because a label's colon is
    followed by a space) *and* the file vouches for it:
    the label is a known pattern (``p1``, ``Speaker 2``, ``Interviewer``), or it recurs, or
    most of the file's texts carry a recurring label (so a once-speaking observer in a fully
    labelled file still counts). A participant saying "Note: this is fine" once therefore
    stays text, and common note-like words are never speakers.
    """
    candidates = [_candidate(text) for text in texts]
    counts = Counter(label.casefold() for label, _ in filter(None, candidates))
    vouched = {label for label, count in counts.items() if count > 1 or _KNOWN_LABEL.fullmatch(label)}
    labelled = sum(1 for found in candidates if found and found[0].casefold() in vouched)
    file_is_labelled = bool(texts) and labelled / len(texts) >= _LABELLED_FILE_SHARE
    results: list[tuple[str | None, str]] = []
    for text, found in zip(texts, candidates):
        if found and (file_is_labelled or found[0].casefold() in vouched):
            results.append(found)
        else:
            results.append((None, text))
    return results


def _candidate(text: str) -> tuple[str, str] | None:
    """(label, rest) when ``text`` starts with something shaped like a speaker label."""
    match = _PREFIX.match(text.strip())
    if not match:
        return None
    label, rest = clean_text(match.group(1)), match.group(2).strip()
    shaped = (
        (_LABEL_CHARS.fullmatch(label) is not None or _SURNAME_FIRST.fullmatch(label) is not None)
        and len(label.split()) <= _MAX_LABEL_WORDS
        and not label.endswith(".")
        and label.casefold() not in _NOT_SPEAKERS
    )
    return (label, rest) if shaped else None
