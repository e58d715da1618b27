"""Who the report names: people's names by default (from the people file, the speaker-role
pass, or the transcript's labels), and only their codes in an anonymous report."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bristlenose.models import Role, Speaker
from bristlenose.report import render_report
from bristlenose.report.data import ReportInput
from bristlenose.settings import Settings
from tests.test_report import REPORT, Page, make_input

LABELS = ("Sam Moderator", "Alex Chen", "Ines Duarte", "Robin")


def _with_s2_speakers(*speakers: Speaker, **changes: object) -> ReportInput:
    base = make_input()
    s2 = base.transcripts[1].model_copy(update={"speakers": list(speakers)})
    return make_input(transcripts=[base.transcripts[0], s2, base.transcripts[2]], **changes)


def test_names_show_in_the_filter_the_quote_attribution_and_the_transcript_rows() -> None:
    outputs = render_report(make_input())
    report = outputs[REPORT]
    assert '<option value="p2">p2 · Ines Duarte (1)</option>' in report
    card = report[report.index('data-quote="s1-q2"'):]
    assert "“Why is shipping extra here?” p2 Ines Duarte" in Page(card[:card.index("</figcaption>")]).text
    page = Page(outputs["sessions/transcript_s1.html"]).text
    assert "01:40 m1 Sam Moderator moderator And the price?" in page


def test_a_name_the_speaker_pass_found_shows_and_a_name_the_researcher_gave_wins() -> None:
    found = _with_s2_speakers(Speaker(code="m1", label="Speaker A", role=Role.MODERATOR),
                              Speaker(code="p1", label="Speaker B", role=Role.PARTICIPANT, name="Priya"))
    report = render_report(found)[REPORT]
    assert '<option value="p3">p3 · Priya (2)</option>' in report
    assert "Speaker A" in Page(render_report(found)["sessions/transcript_s2.html"]).text
    renamed = found.model_copy(update={"names": {"s2": {"Speaker B": "Priya Shah"}}})
    assert '<option value="p3">p3 · Priya Shah (2)</option>' in render_report(renamed)[REPORT]


def test_a_code_labelled_speaker_shows_the_name_the_researcher_gave() -> None:
    coded = _with_s2_speakers(Speaker(code="m1", label="m1", role=Role.MODERATOR),
                              Speaker(code="p1", label="p1", role=Role.PARTICIPANT),
                              names={"s2": {"p1": "Helen Marsh"}})
    outputs = render_report(coded)
    assert '<option value="p3">p3 · Helen Marsh (2)</option>' in outputs[REPORT]
    assert "1:02:05 p3 Helen Marsh participant I typed" in Page(outputs["sessions/transcript_s2.html"]).text


def test_an_anonymous_report_shows_codes_and_no_name_in_any_file() -> None:
    study = _with_s2_speakers(Speaker(code="m1", label="Sam Moderator", role=Role.MODERATOR),
                              Speaker(code="p1", label="Speaker B", role=Role.PARTICIPANT, name="Robin"),
                              names={"s1": {"Alex Chen": "Alexandra Chen-Ward"}}, codes_only=True)
    outputs = render_report(study)
    for name, text in outputs.items():
        for person in (*LABELS, "Alexandra Chen-Ward", "Speaker B"):
            assert person not in text, (name, person)
    report = outputs[REPORT]
    assert '<option value="p1">p1 (1)</option>' in report and '<option value="p3">p3 (2)</option>' in report
    assert "00:00 m1 moderator Please sign up." in Page(outputs["sessions/transcript_s1.html"]).text
    assert "| p1, p2 |" in outputs["report.md"]


def test_report_names_comes_from_the_environment_and_is_names_or_codes(monkeypatch: pytest.MonkeyPatch,
                                                                      tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    assert Settings(input=tmp_path).report_names == "names"
    monkeypatch.setenv("BRISTLENOSE_REPORT_NAMES", "codes")
    assert Settings(input=tmp_path).report_names == "codes"
    with pytest.raises(ValidationError, match="report_names"):
        Settings(input=tmp_path, report_names="initials")
