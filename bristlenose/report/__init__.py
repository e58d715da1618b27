"""The report: HTML, Markdown and CSV rendered from the merged study.

``render_report`` is a pure function of :class:`ReportInput`; it returns relative paths and
contents and writes nothing, so the build layer owns atomic writes and rendering stays testable.
"""

from __future__ import annotations

from bristlenose.report.context import build_view
from bristlenose.report.csv import render_csv
from bristlenose.report.data import Provenance, ReportInput
from bristlenose.report.html import render_report_page, render_transcript_pages
from bristlenose.report.markdown import render_markdown
from bristlenose.report.paths import CSV_PATH, MARKDOWN_PATH, transcript_path
from bristlenose.report.slug import report_filename, slugify
from bristlenose.report.templates import template_dir
from bristlenose.report.timecode import format_timecode
from bristlenose.report.views import ReportView


def render_report(data: ReportInput) -> dict[str, str]:
    """Relative output path → file content for every report output."""
    view = build_view(data)
    return {
        view.filename: render_report_page(view),
        MARKDOWN_PATH: render_markdown(view),
        CSV_PATH: render_csv(view),
        **render_transcript_pages(view),
    }


__all__ = [
    "CSV_PATH",
    "MARKDOWN_PATH",
    "Provenance",
    "ReportInput",
    "ReportView",
    "build_view",
    "format_timecode",
    "render_report",
    "report_filename",
    "slugify",
    "template_dir",
    "transcript_path",
]
