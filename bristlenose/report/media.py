"""Recordings as the report plays them: a path relative to the page, so the report works
from ``file://`` with no server, and keeps working when input and output move together."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from bristlenose.models import Transcript
from bristlenose.report.paths import SESSIONS_DIR
from bristlenose.report.timecode import format_seconds

VIDEO_EXTENSIONS = frozenset({".mp4", ".m4v", ".mov", ".mkv", ".webm"})


@dataclass(frozen=True)
class Recording:
    """A session's recording, addressed from the report page and from its transcript page."""

    path: str
    name: str
    kind: str
    report_src: str
    page_src: str


def recording_of(transcript: Transcript, input_dir: Path, output_dir: Path) -> Recording | None:
    """The session's first media file, or None for a transcript-only session."""
    media = next((s.path for s in transcript.sources if s.kind == "media"), None)
    if media is None:
        return None
    target = input_dir / media
    return Recording(
        path=media,
        name=PurePosixPath(media).name,
        kind="video" if PurePosixPath(media).suffix.lower() in VIDEO_EXTENSIONS else "audio",
        report_src=relative_url(target, output_dir),
        page_src=relative_url(target, output_dir / SESSIONS_DIR),
    )


def relative_url(target: Path, page_dir: Path) -> str:
    """A URL of ``target`` relative to a page in ``page_dir``; a file URL where no relative
    path exists (another drive on Windows)."""
    try:
        relative = os.path.relpath(os.path.abspath(target), os.path.abspath(page_dir))
    except ValueError:
        return Path(os.path.abspath(target)).as_uri()
    return quote(Path(relative).as_posix())


def at_time(src: str, seconds: float) -> str:
    """A media-fragment URL that starts playback at ``seconds`` (also when opened directly)."""
    return f"{src}#t={format_seconds(seconds)}"
