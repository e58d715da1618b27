"""Word transcripts (Microsoft Teams and Google Meet exports) → raw segments."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from bristlenose.parsers.base import ParseError, RawSegment, clean_text, split_speaker_prefixes
from bristlenose.parsers.boilerplate import gemini_transcript, without_boilerplate

_STAMP = r"\d{1,2}(?::\d{2}){1,2}"
_TEAMS_HEADER = re.compile(rf"(?P<name>\S.{{0,80}}?)(?:\t|\s{{2,}})\s*(?P<time>{_STAMP})")
_BARE_STAMP = re.compile(_STAMP)
_WORDS_PER_SECOND = 2.5


def parse_docx(data: bytes) -> list[RawSegment]:
    """Segments of a Teams or Meet transcript export, one per speaker turn.

    Teams writes a ``Name   0:03`` line before each turn's paragraphs; Meet writes
    ``Name: text`` paragraphs with a bare ``00:05:00`` line every few minutes. Title and
    date lines before the first turn are not speech, nor are the platforms' notices and
    footers (:mod:`bristlenose.parsers.boilerplate`).
    """
    lines = _lines(data)
    if any(_TEAMS_HEADER.fullmatch(line) for line in lines):
        return _teams(lines)
    return _meet(lines)


def _lines(data: bytes) -> list[str]:
    """Non-empty lines of the document's paragraphs, stripped but with inner spacing kept."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ParseError("not a .docx file (not a zip archive)")
    import docx  # python-docx and lxml load in ~0.3 s: only when a .docx is read, not on every doit
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
    except KeyError as error:
        raise ParseError("not a .docx file (no Word document inside the zip archive)") from error
    except (PackageNotFoundError, zipfile.BadZipFile, XMLSyntaxError, ValueError) as error:
        raise ParseError(f"damaged .docx file ({error})") from error
    found = [line.strip() for paragraph in document.paragraphs for line in paragraph.text.splitlines()]
    lines = [line for line in found if line]
    transcript = gemini_transcript(lines)
    if transcript is not None and not transcript:
        raise ParseError("a 'Notes by Gemini' document without a transcript: its notes are a summary, "
                         "not what was said (export the meeting's transcript instead)")
    return without_boilerplate(lines if transcript is None else transcript)


def _teams(lines: list[str]) -> list[RawSegment]:
    """Turns introduced by ``Name   0:03`` lines; lines before the first are a title block."""
    segments: list[RawSegment] = []
    speaker: str | None = None
    start = 0.0
    words: list[str] = []
    for line in [*lines, ""]:
        header = _TEAMS_HEADER.fullmatch(line)
        if header or not line:
            if speaker is not None and words:
                segments.append(RawSegment(start=start, end=None, speaker=speaker, text=" ".join(words)))
            if header:
                speaker, start, words = clean_text(header["name"]), _seconds(header["time"]), []
        elif speaker is not None:
            words.append(clean_text(line))
    return segments


@dataclass
class _MeetTurn:
    """A Meet turn before its start time is known: the block of timestamps it falls in."""

    speaker: str
    block: int
    words: list[str] = field(default_factory=list)


def _meet(lines: list[str]) -> list[RawSegment]:
    """``Name: text`` turns timed from the bare timestamps around them.

    Within a block between two timestamps, turns are placed in proportion to the words
    before them; after the last timestamp, at an ordinary speaking rate.
    """
    stamps = [index for index, line in enumerate(lines) if _BARE_STAMP.fullmatch(line)]
    body = lines[stamps[0]:] if stamps else lines
    anchors = [0.0]
    texts: list[tuple[int, str]] = []
    for line in body:
        if _BARE_STAMP.fullmatch(line):
            anchors.append(_seconds(line))
        else:
            texts.append((len(anchors) - 1, clean_text(line)))
    turns: list[_MeetTurn] = []
    for (block, _), (label, words) in zip(texts, split_speaker_prefixes([text for _, text in texts])):
        if label is not None:
            turns.append(_MeetTurn(speaker=label, block=block))
        if turns and words:
            turns[-1].words.append(words)
    return _timed(turns, anchors)


def _timed(turns: list[_MeetTurn], anchors: list[float]) -> list[RawSegment]:
    """Segments with starts interpolated inside their timestamp block."""
    segments: list[RawSegment] = []
    for block, start in enumerate(anchors):
        members = [turn for turn in turns if turn.block == block and turn.words]
        total = sum(len(" ".join(turn.words).split()) for turn in members) or 1
        following = anchors[block + 1] if block + 1 < len(anchors) else None
        before = 0
        for turn in members:
            text = " ".join(turn.words)
            offset = (following - start) * before / total if following is not None else before / _WORDS_PER_SECOND
            segments.append(RawSegment(start=start + max(offset, 0.0), end=None, speaker=turn.speaker, text=text))
            before += len(text.split())
    return segments


def _seconds(stamp: str) -> float:
    """``M:SS`` or ``H:MM:SS`` in seconds."""
    total = 0.0
    for part in stamp.split(":"):
        total = total * 60 + int(part)
    return total
