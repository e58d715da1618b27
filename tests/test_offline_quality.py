"""The offline analyser's draft of every gold study (tests/studies/gold/*.json, four domains) comes
close to a researcher's: key quotes found, coded and filed under their screen, every quote
verbatim and a participant's, and every name and label made of the study's own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.quality import GOLD_DIR, REPO, Analysed, analyse, load, score
from bristlenose.llm.offline.text import words

GOLD = sorted(GOLD_DIR.glob("*.json"))
SECTION_GOAL, SENTIMENT_GOAL, RECALL_GOAL = 0.6, 0.65, 0.5


@pytest.fixture(scope="module", params=GOLD, ids=[path.stem for path in GOLD])
def gold_study(request: pytest.FixtureRequest) -> tuple[Path, Analysed]:
    return request.param, analyse(REPO / load(request.param)["folder"])


def test_there_are_gold_studies_in_several_domains() -> None:
    assert len(GOLD) >= 4
    assert all(load(path)["quotes"] and load(path)["screens"] for path in GOLD)


def test_key_quotes_are_found_coded_and_filed_under_their_screen(gold_study: tuple[Path, Analysed]) -> None:
    path, study = gold_study
    scores = score(path, study)
    assert scores.recall >= RECALL_GOAL, scores
    assert scores.sentiment >= SENTIMENT_GOAL, scores
    assert scores.section >= SECTION_GOAL, scores


def test_every_quote_is_verbatim_and_a_participants(gold_study: tuple[Path, Analysed]) -> None:
    path, study = gold_study
    scores = score(path, study)
    assert scores.quotes > 0
    assert scores.verbatim == 1.0
    assert scores.researcher_quotes == 0


def test_section_names_come_from_the_transcripts(gold_study: tuple[Path, Analysed]) -> None:
    _, study = gold_study
    said = {w for t in study.transcripts.values() for s in t.segments for w in words(s.text)}
    for section in study.clusters.clusters:
        assert set(words(section.label)) <= said, section.label


def test_themes_name_what_their_quotes_say_in_sentences(gold_study: tuple[Path, Analysed]) -> None:
    _, study = gold_study
    by_id = {q.id: q for q in study.quotes.quotes}
    assert study.themes.themes
    for theme in study.themes.themes:
        members = [by_id[i] for i in theme.quote_ids]
        said = {w for q in members for w in words(f"{q.text} {q.context} {q.topic}")}
        assert set(words(theme.label.split(" — ")[0])) - {"and"} <= said, theme.label
        assert theme.description[:1].isdigit() and theme.description.endswith("."), theme.description
        assert " talk about " in theme.description or " grouped here" in theme.description
