"""A verbatim quote keeps the quotation marks that balance the ones inside it, and never
gains marks (or apostrophes) that are not its own."""

from __future__ import annotations

import pytest

from bristlenose.analysis.text import find_verbatim

SPOKEN = 'Honestly? Now I don\'t have to ask "was this you?" every time. My son says \u201cno way\u201d, then laughs.'


@pytest.mark.parametrize(("proposed", "kept"), [
    ('I don\'t have to ask "was this you?"', 'I don\'t have to ask "was this you?"'),
    ('I don\'t have to ask "was this you', 'I don\'t have to ask "was this you?"'),
    ('was this you?" every time.', '"was this you?" every time.'),
    ("My son says \u201cno way\u201d", "My son says \u201cno way\u201d"),
    ('my son says "no way', "My son says \u201cno way\u201d"),
    ("then laughs", "then laughs."),
])
def test_a_quote_keeps_its_balancing_quotation_marks(proposed: str, kept: str) -> None:
    assert find_verbatim(proposed, SPOKEN) == kept


def test_a_kept_quote_finds_itself_unchanged() -> None:
    kept = find_verbatim('I don\'t have to ask "was this you', SPOKEN)
    assert kept is not None and find_verbatim(kept, SPOKEN) == kept == find_verbatim(kept, kept)


@pytest.mark.parametrize(("spoken", "proposed", "kept"), [
    ("I said 'that's odd' and moved on.", "I said 'that's odd", "I said 'that's odd'"),
    ("It's the students' work. Fine.", "It's the students", "It's the students"),
    ('A "simple" app. Right.', "a simple", None),
    ('Well "maybe". Later', "Well", "Well"),
])
def test_only_marks_that_close_an_open_quote_are_added(spoken: str, proposed: str, kept: str | None) -> None:
    assert find_verbatim(proposed, spoken) == kept
