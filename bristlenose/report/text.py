"""Plain-text filters that keep data from breaking the structure of line-based formats."""

from __future__ import annotations


def one_line(text: str) -> str:
    """Runs of whitespace, newlines included, collapsed to one space."""
    return " ".join(text.split())


def md_text(text: str) -> str:
    """Data as Markdown text: one line, and ``<`` backslash-escaped so renderers that allow
    inline HTML show a transcript's ``<script>`` as text instead of running it."""
    return one_line(text).replace("<", "\\<")


def md_cell(text: str) -> str:
    """Data inside a Markdown table cell: :func:`md_text` with pipes escaped too."""
    return md_text(text).replace("|", "\\|")
