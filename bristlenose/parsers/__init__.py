"""Transcript files → raw segments, one parser per format, dispatched by extension.

Every way a file can be unreadable ends as a :class:`ParseError` with a plain reason, so
one bad file becomes a named outcome for its session instead of a library traceback.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

from bristlenose.parsers.base import ParseError, RawSegment
from bristlenose.parsers.docx import parse_docx
from bristlenose.parsers.srt import parse_srt
from bristlenose.parsers.txt import format_txt, parse_txt
from bristlenose.parsers.vtt import parse_vtt

TRANSCRIPT_EXTENSIONS = frozenset({".vtt", ".srt", ".docx", ".txt"})
MEDIA_EXTENSIONS = frozenset(
    {".wav", ".mp3", ".m4a", ".flac", ".ogg", ".aac", ".mp4", ".m4v", ".mov", ".mkv", ".webm"}
)

_TEXT_PARSERS: dict[str, Callable[[str], list[RawSegment]]] = {
    ".vtt": parse_vtt,
    ".srt": parse_srt,
    ".txt": parse_txt,
}

__all__ = [
    "MEDIA_EXTENSIONS",
    "TRANSCRIPT_EXTENSIONS",
    "ParseError",
    "RawSegment",
    "format_txt",
    "parse_transcript",
]


def parse_transcript(path: Path) -> list[RawSegment]:
    """Raw segments of a transcript file, or a ParseError saying why there are none."""
    extension = path.suffix.lower()
    if extension not in TRANSCRIPT_EXTENSIONS:
        raise ParseError(f"unsupported transcript type {extension or '(no extension)'}")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ParseError(f"cannot read the file ({error.strerror or error})") from error
    if extension == ".docx":
        if not data.strip():
            raise ParseError("empty file")
        segments = parse_docx(data)
    else:
        text = _decode(data)
        if not text.strip():
            raise ParseError("empty file")
        segments = _TEXT_PARSERS[extension](text)
    if not segments:
        raise ParseError("no speech found in the transcript")
    return segments


def _decode(data: bytes) -> str:
    """Text of a transcript: UTF-8 (BOM or not) or UTF-16 with a BOM, else legacy cp1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ParseError("not a text file (broken UTF-16)") from error
    if b"\x00" in data:
        raise ParseError("not a text file (it contains binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ParseError("not a text file (neither UTF-8 nor Windows-1252 text)") from error
