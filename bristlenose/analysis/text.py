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
    always the speaker's own words, with the sentence-ending punctuation that follows it.
    """
    wanted = normalise(needle).strip(_EDGE).casefold()
    if not wanted:
        return None
    flat, origin = _flatten(haystack)
    at = flat.find(wanted)
    if at < 0:
        return None
    end = origin[at + len(wanted) - 1] + 1
    while end < len(haystack) and haystack[end] in _CLOSING:
        end += 1
    return haystack[origin[at]:end]


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
