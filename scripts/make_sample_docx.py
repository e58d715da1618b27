"""Build the Teams-style sample transcript ``sample_data/interview-03 - Transcript.docx``.

Usage (from the repository root)::

    python scripts/make_sample_docx.py [SOURCE] [OUTPUT]

SOURCE defaults to ``scripts/sample_sources/interview-03.teams.txt`` and OUTPUT
to ``sample_data/interview-03 - Transcript.docx``.

Source layout (UTF-8 plain text)::

    # title: Interview 03 - Transcript
    # date: 14 October 2026, 14:05
    Speaker Name|0:03|What the speaker said.

* ``# title:`` and ``# date:`` set the first two paragraphs of the document.
* Every other line beginning with ``#``, and every blank line, is ignored.
* A turn line is ``name|timestamp|text``; the timestamp is ``M:SS`` or ``H:MM:SS``.
  Only the first two ``|`` separate fields, so the text may itself contain ``|``.

The docx follows the layout of a Microsoft Teams transcript export: a title
paragraph, a date paragraph, then two paragraphs per turn -- ``Speaker Name   0:03``
(three spaces between the name and the timestamp) and the spoken text.

The output is reproducible: core properties (author, created/modified dates,
revision) are fixed, and every zip member gets a fixed timestamp, so running the
script twice produces byte-identical files.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.shared import Pt

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT / "scripts" / "sample_sources" / "interview-03.teams.txt"
DEFAULT_OUTPUT = REPO_ROOT / "sample_data" / "interview-03 - Transcript.docx"

#: Fixed timestamp used for the core properties and for every zip entry.
FIXED_DATETIME = datetime(2026, 10, 14, 14, 5, 0, tzinfo=timezone.utc)
FIXED_ZIP_TIME = (2026, 10, 14, 14, 5, 0)

TIMESTAMP_RE = re.compile(r"^(?:\d+:)?\d{1,2}:\d{2}$")


@dataclass(frozen=True)
class Turn:
    """One speaker turn from the source file."""

    speaker: str
    timestamp: str
    text: str


@dataclass(frozen=True)
class Transcript:
    """A parsed source file: header lines plus the ordered speaker turns."""

    title: str
    date: str
    turns: tuple[Turn, ...]


def _seconds(timestamp: str) -> int:
    """Convert ``M:SS`` or ``H:MM:SS`` to whole seconds."""
    total = 0
    for part in timestamp.split(":"):
        total = total * 60 + int(part)
    return total


def parse_source(text: str) -> Transcript:
    """Parse the ``name|timestamp|text`` source layout.

    Raises ``ValueError`` on a malformed line, a missing header, or timestamps
    that go backwards.
    """
    title = ""
    date = ""
    turns: list[Turn] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            header = line.lstrip("#").strip()
            key, sep, value = header.partition(":")
            if sep and key.strip().lower() == "title":
                title = value.strip()
            elif sep and key.strip().lower() == "date":
                date = value.strip()
            continue
        parts = line.split("|", 2)
        if len(parts) != 3:
            raise ValueError(f"line {lineno}: expected 'name|timestamp|text': {raw!r}")
        speaker, timestamp, spoken = (p.strip() for p in parts)
        if not speaker or not spoken:
            raise ValueError(f"line {lineno}: empty speaker or text")
        if not TIMESTAMP_RE.match(timestamp):
            raise ValueError(f"line {lineno}: bad timestamp {timestamp!r}")
        if turns and _seconds(timestamp) < _seconds(turns[-1].timestamp):
            raise ValueError(f"line {lineno}: timestamp {timestamp} goes backwards")
        turns.append(Turn(speaker, timestamp, spoken))
    if not title or not date:
        raise ValueError("source needs '# title:' and '# date:' header lines")
    if not turns:
        raise ValueError("source has no turns")
    return Transcript(title=title, date=date, turns=tuple(turns))


def build_document(transcript: Transcript) -> DocxDocument:
    """Lay the transcript out as a Teams-style Word document."""
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)

    document.add_paragraph(transcript.title)
    document.add_paragraph(transcript.date)
    for turn in transcript.turns:
        document.add_paragraph(f"{turn.speaker}   {turn.timestamp}")
        document.add_paragraph(turn.text)

    props = document.core_properties
    props.author = "Larder research team"
    props.last_modified_by = "Larder research team"
    props.title = transcript.title
    props.created = FIXED_DATETIME
    props.modified = FIXED_DATETIME
    props.last_printed = FIXED_DATETIME
    props.revision = 1
    return document


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the docx zip with fixed entry timestamps (entry order is kept)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(
        out, "w", compression=zipfile.ZIP_DEFLATED
    ) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def write_docx(source: Path, output: Path) -> Transcript:
    """Read ``source``, write a reproducible docx to ``output``; return the parsed transcript."""
    transcript = parse_source(source.read_text(encoding="utf-8"))
    buffer = io.BytesIO()
    build_document(transcript).save(buffer)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(_normalise_zip(buffer.getvalue()))
    return transcript


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    transcript = write_docx(args.source, args.output)
    words = sum(len(t.text.split()) for t in transcript.turns)
    print(f"wrote {args.output} ({len(transcript.turns)} turns, {words} words)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
