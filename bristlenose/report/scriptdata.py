"""The quote data the report's script works from, as JSON that is safe inside ``<script>``.

Transcript text ends up in this JSON, so ``<``, ``>`` and ``&`` are written as ``\\u003c``
and the like: speech containing ``</script>`` cannot end the block, and the JSON still
parses to the same strings.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from bristlenose.report.csv import COLUMNS, csv_row
from bristlenose.report.views import ReportView

_UNSAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
           0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(value: Any) -> Markup:
    """``value`` as JSON for a ``<script type="application/json">`` block."""
    return Markup(json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_UNSAFE))


def quote_data(view: ReportView) -> dict[str, Any]:
    """What search, filters, curation and CSV export need, one entry per quote in study order."""
    return {
        "storageKey": view.storage_key,
        "csvFilename": view.csv_filename,
        "columns": list(COLUMNS),
        "quotes": [
            {
                "id": q.id,
                "key": q.key,
                "participant": q.speaker,
                "sentiment": q.sentiment,
                "friction": q.friction_point,
                "sections": [ref.anchor for ref in q.sections],
                "themes": [ref.anchor for ref in q.themes],
                "search": "\n".join((q.text, q.context, q.speaker, q.speaker_label, q.session_id, q.topic,
                                     q.sentiment_label, *(r.label for r in (*q.sections, *q.themes)))),
                "row": list(csv_row(q)),
            }
            for q in view.quotes
        ],
    }
