"""Notes a researcher keeps in the study folder (README, PDFs, …): named once, then quiet.

They are not interviews and not a problem, so they stay out of the stakeholder report's
"Skipped files"; the researcher is told once which files the build leaves alone, and again
only when a new one appears.
"""

from __future__ import annotations

import json
from pathlib import Path

from bristlenose.pipeline.atomic import write_text_atomic

SEEN_FILE = "notes-seen.json"


def announce_new_notes(state_dir: Path, notes: list[str]) -> list[str]:
    """The line to print for notes not named before (none when all were), remembering them."""
    path = state_dir / SEEN_FILE
    try:
        seen = set(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        seen = set()
    new = [note for note in notes if note not in seen]
    if not new:
        return []
    write_text_atomic(path, json.dumps(sorted(seen | set(new)), ensure_ascii=False) + "\n")
    return [f"Not analysed (notes kept in the study folder, named once): {', '.join(new)}"]
