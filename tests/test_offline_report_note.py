"""A report the offline analyser drafted says what that analyser is and how to keep transcripts in
house with a local model; a report an LLM wrote does not."""

from __future__ import annotations

from bristlenose.report import render_report
from bristlenose.report.data import Provenance
from tests.test_report import REPORT, Page, make_input

OFFLINE = Provenance(provider="offline", model="bristlenose-offline-2")
LLM = Provenance(provider="anthropic", model="claude-test")


def test_an_offline_report_says_it_is_a_heuristic_draft_and_recommends_a_local_model() -> None:
    text = Page(render_report(make_input(provenance={"s1": OFFLINE, "s2": OFFLINE}))[REPORT]).text
    assert "The offline analyser is a heuristic draft" in text
    assert "no network" in text and "OpenAI-compatible server (such as Ollama)" in text


def test_an_llm_report_carries_no_offline_note() -> None:
    text = Page(render_report(make_input(provenance={"s1": LLM, "s2": LLM}))[REPORT]).text
    assert "heuristic draft" not in text
