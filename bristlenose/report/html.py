"""HTML outputs: the report page and one transcript page per analysed session."""

from __future__ import annotations

from bristlenose.report.scriptdata import quote_data
from bristlenose.report.templates import environment
from bristlenose.report.views import ReportView

REPORT_TEMPLATE = "report.html"
TRANSCRIPT_TEMPLATE = "transcript.html"


def render_report_page(view: ReportView) -> str:
    """The self-contained report page: styles, script and quote data inline."""
    return environment().get_template(REPORT_TEMPLATE).render(report=view, quote_data=quote_data(view))


def render_transcript_pages(view: ReportView) -> dict[str, str]:
    """Relative path → page, for every session (one that could not be read says why)."""
    template = environment().get_template(TRANSCRIPT_TEMPLATE)
    return {page.path: template.render(report=view, page=page) for page in view.transcripts}
