"""Project names as file-name slugs, so the report's file name is portable and predictable."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
FALLBACK_SLUG = "project"


def slugify(text: str) -> str:
    """Lowercase ascii words joined by ``-`` (accents folded, other characters dropped)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_ALNUM.sub("-", folded.lower()).strip("-")


def report_filename(project: str) -> str:
    """File name of a project's HTML report: ``bristlenose-<project-slug>-report.html``."""
    return f"bristlenose-{slugify(project) or FALLBACK_SLUG}-report.html"
