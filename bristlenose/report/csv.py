"""``quotes.csv``: one row per quote, for spreadsheets and further analysis.

The report's "Download CSV" button writes rows made here too (carried in the page's quote
data), so a filtered download is ``quotes.csv`` restricted to the visible quotes.
"""

from __future__ import annotations

import csv
import io

from bristlenose.report.timecode import format_seconds
from bristlenose.report.views import QuoteCard, ReportView

COLUMNS = (
    "quote_id",
    "session",
    "participant",
    "timecode",
    "start_seconds",
    "section",
    "theme",
    "topic",
    "sentiment",
    "intensity",
    "friction_point",
    "quote_type",
    "quote",
    "context",
)
LABEL_SEPARATOR = "; "


def csv_row(quote: QuoteCard) -> tuple[str, ...]:
    """A quote's cells, in ``COLUMNS`` order."""
    return (
        quote.id,
        quote.session_id,
        quote.speaker,
        quote.timecode,
        format_seconds(quote.start),
        LABEL_SEPARATOR.join(ref.label for ref in quote.sections),
        LABEL_SEPARATOR.join(ref.label for ref in quote.themes),
        quote.topic,
        quote.sentiment,
        str(quote.intensity),
        "yes" if quote.friction_point else "no",
        quote.quote_type,
        quote.text,
        quote.context,
    )


def render_csv(view: ReportView) -> str:
    """All quotes in study order. Lines end in ``\\n`` so the text is the same on every OS."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(csv_row(quote) for quote in view.quotes)
    return buffer.getvalue()
