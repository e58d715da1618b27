"""Text matching that tolerates the differences LLMs and exporters introduce."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                         "\u2013": "-", "\u2014": "-", "\u2026": "..."})
_WORD = re.compile(r"[\w']+")
_EDGE = " \t\n\"'.,;:!?-\u2026"
_CLOSING = ".!?\u2026"
_MARKS = {'"': ("\u201c\u201e\u201f", "\u201d"), "'": ("\u2018\u201a\u201b", "\u2019")}
"""Straight quote mark: (opening curly forms, closing curly forms) of its kind."""
_KINDS = {char: straight for straight, forms in _MARKS.items() for char in (straight, *forms[0], *forms[1])}


def normalise(text: str) -> str:
    """Unicode-normalised text with straight quotes and single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split())


def word_count(text: str) -> int:
    """Words as a reader counts them."""
    return len(_WORD.findall(text))


def find_verbatim(needle: str, haystack: str) -> str | None:
    """The exact span of ``haystack`` that ``needle`` quotes, or None if it is not verbatim.

    Matching ignores case, whitespace runs, quote-mark style and leading/trailing
    punctuation or ellipses; what comes back is the original text, so a stored quote is
    always the speaker's own words, with the sentence-ending punctuation that follows it
    and the quotation marks that balance the ones inside it (``ask "was this you?"``).
    """
    wanted = normalise(needle).strip(_EDGE).casefold()
    if not wanted:
        return None
    flat, origin = _flatten(haystack)
    at = flat.find(wanted)
    if at < 0:
        return None
    start, end = origin[at], _past_closing(haystack, origin[at + len(wanted) - 1] + 1)
    for kind in _MARKS:
        opened = _open_marks(haystack, start, end, kind)
        if opened > 0 and end < len(haystack) and _role(haystack, end) == (kind, -1):
            end = _past_closing(haystack, end + 1)
        elif opened < 0 and start > 0 and _role(haystack, start - 1) == (kind, 1):
            start -= 1
    return haystack[start:end]


def _past_closing(text: str, end: int) -> int:
    """``end`` moved past the sentence-ending punctuation that follows it."""
    while end < len(text) and text[end] in _CLOSING:
        end += 1
    return end


def _open_marks(text: str, start: int, end: int, kind: str) -> int:
    """Opening minus closing quotation marks of ``kind`` in ``text[start:end]``."""
    roles = (_role(text, at) for at in range(start, end))
    return sum(role[1] for role in roles if role is not None and role[0] == kind)


def _role(text: str, at: int) -> tuple[str, int] | None:
    """(kind, +1) for an opening quotation mark at ``at``, (kind, -1) for a closing one, None
    for anything else, apostrophes included (a mark between two letters or digits)."""
    kind = _KINDS.get(text[at])
    if kind is None:
        return None
    before = text[at - 1] if at > 0 else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    if before.isalnum() and after.isalnum():
        return None
    opening, closing = _MARKS[kind]
    if text[at] in opening:
        return kind, 1
    if text[at] in closing:
        return kind, -1
    return (kind, 1) if before.isspace() or before in "([{" else (kind, -1)


def _flatten(text: str) -> tuple[str, list[int]]:
    """``normalise(text).casefold()`` char by char, with each char's index in ``text``."""
    chars: list[str] = []
    origin: list[int] = []
    pending_space = False
    for index, char in enumerate(text):
        mapped = unicodedata.normalize("NFKC", char).translate(_QUOTES).casefold()
        if not mapped.strip():
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            origin.append(index)
            pending_space = False
        for piece in mapped:
            chars.append(piece)
            origin.append(index)
    return "".join(chars), origin
