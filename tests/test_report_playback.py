"""Timecodes play the session's recording from their moment, in a real headless chromium: a
study whose interview-07 has a transcript and a same-named WAV recording (no transcription
needed), next to transcript-only sessions."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.support.browser import Watched, build_report, open_page
from tests.support.media import pcm_wav
from tests.support.study import SAMPLE_DATA, Study

RECORDED = """\
[00:03] [m1] Thanks for joining. Could you start by finding the delivery options for me?
[00:11] [p1] Sure. Hmm, I honestly can't see where delivery is, this menu is really confusing and I keep going round in circles.
[00:27] [m1] What would you expect to see here?
[00:33] [p1] I'd expect the delivery price right on the basket page. Finding it this late is really annoying, to be honest.
[00:48] [m1] Thank you, that's very helpful.
[00:52] [p1] Oh, and the tracking map at the end is lovely, I'd happily use that every week.
"""


@pytest.fixture(scope="module")
def study_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("playback") / "playback-study"
    folder.mkdir()
    for name in ("interview-02.srt", "interview-04.txt"):
        shutil.copy(SAMPLE_DATA / name, folder)
    (folder / "interview-07.txt").write_text(RECORDED, encoding="utf-8")
    pcm_wav(folder / "interview-07.wav", seconds=60, rate=8000, amplitude=1500)
    return build_report(Study(input=folder, call_log=folder.parent / "calls.jsonl"))


@pytest.fixture
def report(browser: Browser, study_report: Path) -> Iterator[Watched]:
    watched = open_page(browser, study_report.as_uri())
    yield watched
    watched.close()


def player_time(page: Page) -> float:
    """Where the visible media element of the player is, once it has moved there."""
    page.wait_for_function("""() => {
        const media = document.querySelector('#player :is(audio, video):not([hidden])');
        return media && media.readyState >= 1 && media.currentTime > 0;
    }""")
    return page.evaluate("document.querySelector('#player :is(audio, video):not([hidden])').currentTime")


def assert_plays_from(page: Page, link: Locator) -> None:
    """Clicking ``link`` opens the player at the link's second, without leaving the page."""
    url = page.url
    start = float(link.get_attribute("data-start") or "nan")
    link.click()
    expect(page.locator("#player")).to_be_visible()
    assert player_time(page) == pytest.approx(start, abs=1.5)
    assert page.url == url


def test_quote_timecode_of_a_recorded_session_seeks_the_player_to_that_second(report: Watched) -> None:
    page = report.page
    link = page.locator(".quote a.timecode.play").last
    assert (link.get_attribute("href") or "").startswith("../interview-07.wav#t=")
    assert float(link.get_attribute("data-start") or 0) > 10
    assert_plays_from(page, link)
    expect(page.locator("#player .player-now")).to_contain_text("interview-07.wav from 00:")
    assert report.errors == []
    assert all(url.startswith("file://") for url in report.requests)


def test_transcript_timecodes_of_a_recorded_session_seek_and_mark_the_line(
        browser: Browser, study_report: Path) -> None:
    recorded = next(path for path in (study_report.parent / "sessions").glob("transcript_*.html")
                    if "interview-07.wav" in path.read_text(encoding="utf-8"))
    watched = open_page(browser, recorded.as_uri())
    try:
        page = watched.page
        link = page.locator("table.transcript a.timecode.play").nth(3)
        assert link.get_attribute("href") == "../../interview-07.wav#t=33"
        assert_plays_from(page, link)
        expect(page.locator("tr.playing")).to_have_attribute("data-start", "33.0")
        assert watched.errors == []
    finally:
        watched.close()


def test_quote_timecode_of_a_transcript_only_session_lands_on_its_quoted_transcript_line(
        report: Watched, study_report: Path) -> None:
    page = report.page
    link = page.locator(".quote a.timecode:not(.play)").first
    href = link.get_attribute("href") or ""
    quote_id = link.locator("xpath=ancestor::figure").get_attribute("data-quote")
    rows = csv.DictReader(io.StringIO((study_report.parent / "quotes.csv").read_text(encoding="utf-8")))
    words = next(row["quote"] for row in rows if row["quote_id"] == quote_id)
    link.click()
    page.wait_for_url(f"**/{href}")
    line = page.locator(f"#{href.split('#', 1)[1]}")
    expect(line).to_be_in_viewport()
    assert " ".join(words.split()) in [" ".join(mark.split()) for mark in line.locator("mark").all_inner_texts()]


def test_a_report_folder_copied_away_from_its_recordings_still_works_and_says_where_it_looked(
        browser: Browser, study_report: Path, tmp_path: Path) -> None:
    copied = tmp_path / "shared-report"
    shutil.copytree(study_report.parent, copied, ignore=shutil.ignore_patterns(".bristlenose"))
    watched = open_page(browser, (copied / study_report.name).as_uri())
    try:
        page = watched.page
        page.locator("#filter-search").fill("delivery")
        expect(page.locator("#quote-status")).to_contain_text("Showing ")
        page.locator(".quote a.timecode.play").first.click()
        expect(page.locator("#player .player-message")).to_contain_text("Recording not found at ../interview-07.wav")
        assert watched.errors == ["Failed to load resource: net::ERR_FILE_NOT_FOUND"]
    finally:
        watched.close()
