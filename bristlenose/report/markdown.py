"""``report.md``: the report as plain Markdown, for pasting into docs and wikis."""

from __future__ import annotations

from bristlenose.report.templates import environment
from bristlenose.report.views import ReportView

MARKDOWN_TEMPLATE = "report.md"


def render_markdown(view: ReportView) -> str:
    """The Markdown report; data is collapsed to single lines so it cannot break the layout."""
    return environment().get_template(MARKDOWN_TEMPLATE).render(report=view)
