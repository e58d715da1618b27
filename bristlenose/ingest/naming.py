"""Which files belong to the same session: names without the suffixes meeting tools add.

Zoom, Teams and Meet name a recording and its transcript differently
(``interview-01_Recording.mp4`` and ``interview-01_Recording.transcript.vtt``;
``Interview 03-20261014_140512-Meeting Recording.mp4`` and ``Interview 03 - Transcript.docx``).
Stripping those suffixes and normalising case, Unicode and separators gives one key per
session. Zoom's local recordings and per-session folders have generic names
(``zoom_0.mp4``, ``recording.mp4``, ``transcript.vtt``), so their folder names the session.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

_SEP = r"(?:\s*-\s*|[\s._-]+)"
_DOWNLOAD_SUFFIXES = [
    re.compile(
        rf"{_SEP}(?:meeting[\s_-]*recording|recording|transcript|closed[\s_-]*captions?|captions?|subtitles?)$",
        re.IGNORECASE,
    ),
    re.compile(r"(?:_[a-z]+)?_\d{2,5}x\d{2,5}$", re.IGNORECASE),
    re.compile(r"-\d{8}_\d{6}$"),
    re.compile(r"\.[a-z]{2}(?:-[A-Za-z]{2,4})?$"),
]
_ZOOM_STAMP = re.compile(r"^GMT\d{8}-\d{6}_", re.IGNORECASE)
_GENERIC_STEMS = re.compile(
    r"zoom_\d+|audio_only|playback|closed_caption|(?:meeting[\s_-]*)?recording|transcript", re.IGNORECASE
)
_SEPARATOR_RUN = re.compile(r"[\s_-]+")


def session_key(path: Path) -> tuple[str, str]:
    """(normalised key, readable name) of the session ``path`` belongs to."""
    name = readable_name(path)
    key = _SEPARATOR_RUN.sub("-", unicodedata.normalize("NFKC", name).casefold()).strip("-")
    return key, name


def readable_name(path: Path) -> str:
    """The file's stem without download suffixes, or its folder's name for generic names."""
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    if _GENERIC_STEMS.fullmatch(stem) and path.parent.name:
        return path.parent.name
    stripped = _strip_suffixes(stem)
    without_stamp = _ZOOM_STAMP.sub("", stripped)
    return _strip_suffixes(without_stamp) if without_stamp.strip(" _-.") else stripped


def _strip_suffixes(stem: str) -> str:
    """``stem`` with trailing download suffixes removed for as long as something remains."""
    while True:
        for pattern in _DOWNLOAD_SUFFIXES:
            shorter = pattern.sub("", stem).rstrip(" _-.")
            if shorter != stem.rstrip(" _-.") and shorter:
                stem = shorter
                break
        else:
            return stem.strip()
