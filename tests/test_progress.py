"""Golden output of the progress reporter: credit runs out during quotes after 7 of 10
sessions, then the resumed run — glyphs, counts and the (cached) / (N new sessions) markers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.server import FakeLLMServer
from tests.support.study import SAMPLE_DATA, Study, on_a_terminal

STAGE_LINE = re.compile(r"^ (?P<glyph>[✓⚠✗]) (?P<text>.*?)(?:\s{2,}(?P<time>\d[\dms .]*))?$")


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as fake:
        yield fake


def stage_lines(stdout: str) -> list[tuple[str, str]]:
    lines = []
    for line in stdout.splitlines():
        match = STAGE_LINE.match(line)
        if match:
            lines.append((match["glyph"], match["text"].strip()))
    return lines


def total(study: Study, stage: str, key: str) -> int:
    return sum(len(json.loads(p.read_text())[key]) for p in (study.state / "sessions").glob(f"*/{stage}.json"))


def test_credit_out_after_seven_sessions_then_resume(tmp_path: Path, server: FakeLLMServer) -> None:
    folder = tmp_path / "ten"
    folder.mkdir()
    interview = (SAMPLE_DATA / "interview-04.txt").read_text(encoding="utf-8")
    for number in range(1, 11):
        (folder / f"p{number:02d}.txt").write_text(interview, encoding="utf-8")
    study = Study.copy_of(tmp_path, folder)
    study.env = {"BRISTLENOSE_LLM_PROVIDER": "anthropic", "ANTHROPIC_API_KEY": "sk-test",
                 "ANTHROPIC_BASE_URL": server.anthropic_url, "BRISTLENOSE_LLM_CONCURRENCY": "1",
                 "BRISTLENOSE_CONCURRENCY": "1"}  # one task at a time: every topic before any quote
    server.credit_after(10 + 7)

    broke = study.progress()
    assert broke.returncode == 1
    topics = total(study, "topics", "boundaries")
    quotes = total(study, "quotes", "quotes")
    assert stage_lines(broke.stdout) == [
        ("✓", "Read 10 transcripts"),
        ("✓", "Identified 10 participants"),
        ("✓", f"Segmented {topics} topic boundaries"),
        ("⚠", f"Extracted {quotes} quotes (7/10 sessions)"),
    ]
    after_quotes = broke.stdout.split("(7/10 sessions)", 1)[1].splitlines()[1]
    assert "API credit balance too low — top up or switch provider, then run `doit` again" in after_quotes
    assert "Traceback" not in broke.stdout + broke.stderr
    events = [json.loads(line) for line in (study.state / "pipeline-events.jsonl").read_text().splitlines()]
    assert [(e["event"], e["cause"]) for e in events] == [("started", None), ("failed", "credit")]

    server.restore()
    resumed = study.progress()
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    report = study.output / "bristlenose-study-report.html"
    sections = len(json.loads(study.intermediate("screen_clusters").read_text())["clusters"])
    themes = len(json.loads(study.intermediate("theme_groups").read_text())["themes"])
    assert stage_lines(resumed.stdout) == [
        ("✓", "Read 10 transcripts (cached)"),
        ("✓", "Identified 10 participants (cached)"),
        ("✓", f"Segmented {topics} topic boundaries (cached)"),
        ("✓", f"Extracted {total(study, 'quotes', 'quotes')} quotes (3 new sessions)"),
        ("✓", f"Grouped quotes into {sections} sections"),
        ("✓", f"Found {themes} themes"),
        ("✓", f"Rendered report  {report}"),
    ]
    assert f"{total(study, 'quotes', 'quotes')} quotes" in resumed.stdout.splitlines()[-2]
    assert re.search(r"LLM: [\d,]+ in · [\d,]+ out · ~\$\d+\.\d\d \(est\.\)", resumed.stdout)
    assert (resumed.stdout + resumed.stderr).count("LLM: ") == 1


def test_on_a_terminal_a_live_line_shows_what_is_in_flight(tmp_path: Path) -> None:
    study = Study.copy_of(tmp_path)
    code, text = on_a_terminal(study.command(), study.process_env({"BRISTLENOSE_TEST_SLOW": "quotes:s3=1"}),
                               stderr_too=False)
    assert code == 0
    assert "in flight: quotes:s3" in text
    assert "\x1b[K" in text
    assert "Extracted" in text and "Rendered report" in text
