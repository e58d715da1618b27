"""Where the report's jinja2 templates live, and the one Environment that renders them.

The templates sit in the repository's top-level ``templates/`` folder; a wheel build copies
that folder to ``bristlenose/templates`` so an installed package finds it next to its code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from bristlenose.report.scriptdata import script_json
from bristlenose.report.text import md_cell, md_text

PACKAGE_DIR = Path(__file__).resolve().parent.parent
MARKER = "report.html"


def candidate_dirs() -> tuple[Path, ...]:
    """Candidate folders, in lookup order: inside the installed package, then the repo root."""
    return (PACKAGE_DIR / "templates", PACKAGE_DIR.parent / "templates")


def template_dir() -> Path:
    """The first candidate folder that holds the report templates."""
    for candidate in candidate_dirs():
        if (candidate / MARKER).is_file():
            return candidate
    searched = ", ".join(str(path) for path in candidate_dirs())
    raise FileNotFoundError(f"report templates not found (looked in {searched})")


@cache
def environment() -> jinja2.Environment:
    """Autoescaping for HTML (and anything unknown), none for Markdown, CSS and JS; strict undefined
    so a misspelt field fails loudly instead of rendering blank."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir()),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "htm", "xml"),
            disabled_extensions=("md", "css", "js"),
            default_for_string=True,
            default=True,
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md_text"] = md_text
    env.filters["md_cell"] = md_cell
    env.filters["script_json"] = script_json
    return env
