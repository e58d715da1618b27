"""The offline analyser reads feeling the way researchers code it: negation flips it, hedges soften
it, intensifiers strengthen it, and after a "but" comes the point."""

from __future__ import annotations

import pytest

from bristlenose.llm.offline.sentiment import find_hits, read
from bristlenose.models import Sentiment


def reading(text: str) -> tuple[Sentiment, int]:
    found = read(text, find_hits(text))
    return found.sentiment, found.intensity


@pytest.mark.parametrize(("text", "sentiment"), [
    ("I can't see the price easily, it's in grey small text.", Sentiment.FRUSTRATION),
    ("That's really buried. I'd probably just not bother.", Sentiment.FRUSTRATION),
    ("The start is a pain, the sign in and the railcard and the hidden fee.", Sentiment.FRUSTRATION),
    ("That's not obvious at all. I wouldn't think to look in help.", Sentiment.CONFUSION),
    ("It's not bad, actually.", Sentiment.SATISFACTION),
    ("I don't trust the numbers in it.", Sentiment.DOUBT),
])
def test_negation_turns_a_feeling_round(text: str, sentiment: Sentiment) -> None:
    assert reading(text)[0] is sentiment


def test_after_a_but_comes_the_point() -> None:
    assert reading("The chart looks nice, but if the categories are wrong I can't really use it.")[0] is (
        Sentiment.FRUSTRATION)
    assert reading("It only appears once the train has arrived. Still, that's quite handy.")[0] is (
        Sentiment.SATISFACTION)
    assert reading("It's a bit slow, but honestly I love it.")[0] is Sentiment.DELIGHT


def test_a_hedge_softens_and_an_intensifier_strengthens() -> None:
    hedged = read("It's workable, I suppose, but clunky.", find_hits("It's workable, I suppose, but clunky."))
    assert hedged.sentiment is Sentiment.FRUSTRATION
    soft = find_hits("It's a bit slow.")[0]
    plain = find_hits("It's slow.")[0]
    assert soft.weight < plain.weight
    assert reading("That's really annoying!")[1] > reading("That's annoying.")[1]
