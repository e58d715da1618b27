"""What meeting platforms write into transcript exports that nobody said.

Google Meet ends its transcript with a "Transcription ended after 00:08:09" line and a
disclaimer; Teams notes who started and stopped transcription; Zoom and others announce
that a meeting is being recorded; Gemini's "Notes by Gemini" documents are a summary written
by a model, with a transcript tab at most. Left in, such a line joins the last speaker's turn
and can come back as a participant quote. Every parser asks this module, line by line or cue
by cue, so the rules live in one place.

A line is boilerplate only when the whole of it (speaker label aside) is one of these
notices: a participant who says "they told me this meeting is being recorded" keeps it.
"""

from __future__ import annotations

import re

_CLOCK = r"\d{1,2}(?::\d{2}){1,2}"
_NOTICES = [
    # Google Meet (and Teams) footers
    rf"(?:transcription|transcript|meeting|recording) ended after {_CLOCK}",
    r"this editable transcript was computer[- ]generated and might contain errors"
    r"(?:\W+people can also change the text after it was created)?",
    r"people can also change the text after it was created",
    # Teams: "Ravi Menon started transcription", "Transcription has stopped"
    r"[^.!?:,]{1,60} (?:started|stopped|paused|resumed) transcription",
    r"(?:transcription|recording) (?:has )?(?:started|stopped|ended|paused|resumed)",
    # Zoom, Teams, Meet announcements
    r"(?:this|the) (?:meeting|call|session|webinar|conference) is (?:now )?being (?:recorded|transcribed)"
    r"(?: and (?:recorded|transcribed))?",
    r"recording in progress",
    r"(?:cloud )?recording (?:in progress|paused|stopped)",
    # Gemini notes
    r"you should review gemini'?s notes to make sure they(?:'?re| are) accurate(?:\W+get tips and learn how gemini"
    r" takes notes)?",
    r"get tips and learn how gemini takes notes",
    r"please provide feedback about using gemini to take notes(?: in a short survey)?",
]
_NOTICE = re.compile(rf"(?:{'|'.join(_NOTICES)})", re.IGNORECASE)
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
"""Punctuation, emoji (Meet's 👋) and spaces around a notice."""
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})

GEMINI_NOTES = re.compile(r"(?:^|\W)notes by gemini(?:\W|$)", re.IGNORECASE)
"""The title line of a Gemini notes document (``Interview 05 – 2026/10/14 – Notes by Gemini``)."""
GEMINI_TRANSCRIPT = re.compile(r"\W*transcript", re.IGNORECASE)
"""The heading of a Gemini document's transcript tab (``📖 Transcript``)."""


def is_boilerplate(text: str) -> bool:
    """Whether ``text`` (one line, cue or paragraph) is a platform notice, not speech."""
    core = _EDGES.sub("", " ".join(text.split()).translate(_APOSTROPHES))
    return bool(core) and _NOTICE.fullmatch(core) is not None


def without_boilerplate(lines: list[str]) -> list[str]:
    """``lines`` without platform notices."""
    return [line for line in lines if not is_boilerplate(line)]


def gemini_transcript(lines: list[str]) -> list[str] | None:
    """The transcript part of a "Notes by Gemini" document (empty when it has none), or
    None when ``lines`` are not such a document. Gemini's summary is a model's words, not
    what was said, so it is never read as speech."""
    if not any(GEMINI_NOTES.search(line) for line in lines[:10]):
        return None
    headings = [index for index, line in enumerate(lines) if GEMINI_TRANSCRIPT.fullmatch(line.strip())]
    return lines[headings[0] + 1:] if headings else []
