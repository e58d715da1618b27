"""Walk the input folder and group its files into sessions."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from bristlenose.ingest.errors import IngestError
from bristlenose.ingest.naming import session_key
from bristlenose.models import SkippedFile
from bristlenose.parsers import MEDIA_EXTENSIONS, TRANSCRIPT_EXTENSIONS
from bristlenose.settings import OUTPUT_DIRNAME

TRANSCRIPT_PREFERENCE = (".vtt", ".srt", ".docx", ".txt")
"""When a session has several transcripts: timed captions first, plain text last."""

_SKIPPED_FOLDERS = frozenset({OUTPUT_DIRNAME, "__MACOSX"})
_JUNK_FILES = frozenset({"thumbs.db", "desktop.ini"})
TOOL_FILES = frozenset({"dodo.py", "doit.cfg"})
"""What ``bristlenose init`` writes at the top of a study (``.env`` is hidden anyway): never inputs."""
NOTE_EXTENSIONS = frozenset({
    ".md", ".markdown", ".pdf", ".rtf", ".odt", ".pages", ".xlsx", ".xls", ".ods", ".numbers", ".csv",
    ".pptx", ".ppt", ".key", ".odp", ".png", ".jpg", ".jpeg", ".gif", ".heic", ".webp", ".svg",
})
"""Documents a researcher keeps beside the interviews (briefs, consent forms, notes, screenshots)."""
NOTE_REASON = "a note kept in the study folder (not an interview)"


class SessionFiles(BaseModel):
    """The files of one session, relative to the input folder (posix paths)."""

    model_config = ConfigDict(extra="forbid")

    key: str
    name: str
    transcript: str | None = None
    media: list[str] = []


class Discovery(BaseModel):
    """What the input folder holds: sessions by key, and files left out with reasons."""

    model_config = ConfigDict(extra="forbid")

    groups: list[SessionFiles] = []
    skipped: list[SkippedFile] = []


def discover(input_dir: Path, output_dir: Path) -> Discovery:
    """Sessions in ``input_dir`` (recursively), never looking inside ``output_dir``.

    Operating-system clutter and the tool's own files are ignored silently; documents a
    researcher keeps (``README.md``, PDFs, …) are marked as notes; other files that are neither
    transcripts nor media are listed as skipped, as is every transcript but the preferred one of
    a session. A session with media only is kept: it is transcribed later.
    """
    if not input_dir.is_dir():
        raise IngestError(f"input folder not found: {input_dir}")
    root = input_dir.resolve()
    output = output_dir.resolve()
    transcripts: dict[str, list[tuple[str, str]]] = {}
    media: dict[str, list[tuple[str, str]]] = {}
    skipped: list[SkippedFile] = []
    for path in _files(root, output):
        relative = path.relative_to(root).as_posix()
        extension = path.suffix.lower()
        if relative in TOOL_FILES:
            continue
        key, name = session_key(path.relative_to(root))
        if extension in TRANSCRIPT_EXTENSIONS:
            transcripts.setdefault(key, []).append((relative, name))
        elif extension in MEDIA_EXTENSIONS:
            media.setdefault(key, []).append((relative, name))
        elif extension in NOTE_EXTENSIONS or path.stem.casefold() == "readme":
            skipped.append(SkippedFile(path=relative, reason=NOTE_REASON, note=True))
        else:
            skipped.append(SkippedFile(path=relative, reason=f"unsupported file type {extension or '(no extension)'}"))
    groups: list[SessionFiles] = []
    for key in sorted(transcripts.keys() | media.keys()):
        candidates = sorted(transcripts.get(key, []), key=lambda found: (_preference(found[0]), found[0]))
        recordings = sorted(media.get(key, []))
        if candidates:
            chosen, name = candidates[0]
            skipped.extend(
                SkippedFile(path=other, reason=f"another transcript of the same session is used: {chosen}")
                for other, _ in candidates[1:]
            )
        else:
            chosen, name = None, recordings[0][1]
        groups.append(SessionFiles(key=key, name=name, transcript=chosen, media=[path for path, _ in recordings]))
    return Discovery(groups=groups, skipped=sorted(skipped, key=lambda item: item.path))


def nothing_to_analyse(input_dir: Path, skipped: list[SkippedFile]) -> str:
    """What to say about a folder with no session in it (the run and ``doit doctor`` say the same)."""
    count = len(skipped)
    what = f" ({count} file{'' if count == 1 else 's'} skipped)" if count else ""
    return f"no interview transcripts (.vtt, .srt, .docx, .txt) or recordings in {input_dir}{what}"


def _files(root: Path, output: Path) -> list[Path]:
    """Every candidate file under ``root``, in a stable order, pruning folders never to read."""
    found: list[Path] = []
    for folder, subfolders, files in os.walk(root):
        here = Path(folder)
        subfolders[:] = sorted(
            sub for sub in subfolders
            if not sub.startswith(".") and sub not in _SKIPPED_FOLDERS and (here / sub).resolve() != output
        )
        found.extend(here / name for name in sorted(files) if not _is_clutter(name))
    return found


def _is_clutter(name: str) -> bool:
    """Files that operating systems and office suites leave behind (``.DS_Store``, ``._x``, ``~$x``)."""
    return name.startswith((".", "~$")) or name.casefold() in _JUNK_FILES


def _preference(path: str) -> int:
    """Rank of a transcript's format; lower is preferred."""
    return TRANSCRIPT_PREFERENCE.index(Path(path).suffix.lower())
