"""The report's layout on real screens, in headless chromium: the sticky tools stay small, a
phone sees every column of the sessions table, the docked player leaves the quote it plays in
view, and counts follow the "Starred only" filter."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.support.browser import Watched, build_report, open_page
from tests.support.media import pcm_wav
from tests.support.study import SAMPLE_DATA, Study
from tests.test_report_playback import RECORDED

SCREEN = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def study_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three transcripts, one with a same-named recording (so quotes have play links)."""
    folder = tmp_path_factory.mktemp("layout") / "layout-study"
    folder.mkdir()
    for name in ("interview-01_Recording.transcript.vtt", "interview-02.srt", "interview-04.txt"):
        shutil.copy(SAMPLE_DATA / name, folder)
    (folder / "interview-07.txt").write_text(RECORDED, encoding="utf-8")
    pcm_wav(folder / "interview-07.wav", seconds=60, rate=8000, amplitude=1500)
    return build_report(Study(input=folder, call_log=folder.parent / "calls.jsonl"))


@pytest.fixture
def open_report(browser: Browser, study_report: Path) -> Iterator[Callable[..., Watched]]:
    opened: list[Watched] = []

    def opener(viewport: dict[str, int] = SCREEN) -> Watched:
        watched = open_page(browser, study_report.as_uri(), viewport=viewport)
        opened.append(watched)
        return watched

    yield opener
    for watched in opened:
        assert watched.errors == []
        watched.close()


def test_with_shortcuts_open_the_sticky_tools_take_at_most_a_quarter_of_the_screen(open_report: Callable[..., Watched]) -> None:
    page = open_report().page
    page.evaluate("window.scrollTo(0, document.getElementById('sections').offsetTop + 600)")
    page.keyboard.press("?")
    tools = page.locator("#quote-tools")
    expect(page.locator("#shortcuts dl")).to_be_visible()
    box = tools.bounding_box()
    assert box is not None and box["y"] < 20, "the tools panel is not stuck to the top"
    assert box["height"] <= SCREEN["height"] / 4, box

    page.locator("#fold-tools").click()
    expect(page.locator("#filter-search")).to_be_hidden()
    expect(page.locator("#quote-status")).to_be_visible()
    folded = tools.bounding_box()
    assert folded is not None and folded["height"] < 100
    page.locator("#fold-tools").click()
    expect(page.locator("#filter-search")).to_be_visible()


def test_on_a_phone_the_sessions_table_shows_every_column_whole(open_report: Callable[..., Watched]) -> None:
    page = open_report({"width": 390, "height": 844}).page
    scroller = page.locator("#sessions .table-scroll")
    widths = scroller.evaluate("s => [s.scrollWidth, s.clientWidth]")
    assert widths[0] <= widths[1], widths
    cells = page.eval_on_selector_all("#sessions tbody tr:first-child > *", """cells => cells.map(c => {
        const box = c.getBoundingClientRect();
        return [getComputedStyle(c, '::before').content, box.left, box.right];
    })""")
    assert [label for label, _, _ in cells] == ['"Session"', '"Name"', '"Participants"', '"Duration"', '"Quotes"',
                                               '"Friction"', '"Source files"']
    assert all(left >= 0 and right <= 390 for _, left, right in cells), cells


def test_the_docked_player_leaves_the_quote_it_plays_in_view(open_report: Callable[..., Watched]) -> None:
    page = open_report().page
    card = page.locator("#sections .quote:has(a.play)").first
    card.scroll_into_view_if_needed()
    page.evaluate("""el => {
        const box = el.getBoundingClientRect();
        window.scrollBy(0, box.bottom - window.innerHeight + 4);
    }""", card.element_handle())
    card.locator("a.play").click()
    player = page.locator("#player")
    expect(player).to_be_visible()
    page.wait_for_timeout(300)
    quote, panel = card.bounding_box(), player.bounding_box()
    assert quote is not None and panel is not None
    assert quote["y"] + quote["height"] <= panel["y"], (quote, panel)
    assert quote["y"] >= 0


def test_starred_only_makes_the_sidebar_and_section_counts_follow(open_report: Callable[..., Watched]) -> None:
    page = open_report().page
    first = page.locator("#sections .group").first
    anchor = first.get_attribute("id")
    cards = first.locator(".quote")
    total = cards.count()
    assert total >= 3
    label = first.locator(".group-count")
    before = label.inner_text()
    link_count = page.locator(f'.sidebar a[href="#{anchor}"] .count')
    sections_count = page.locator('.sidebar a[href="#sections"] > .count')
    all_sections = sections_count.inner_text()
    for index in (0, 1):
        cards.nth(index).locator(".star").click()

    page.get_by_label("Starred only").check()

    expect(label).to_have_text(re.compile(rf"^2 of {total} quotes( · [12] friction points?)?$"))
    expect(link_count).to_have_text("2")
    visible_groups = page.locator("#sections .group:not([hidden])").count()
    assert sections_count.inner_text() == str(visible_groups)
    assert visible_groups < int(all_sections)
    page.get_by_label("Starred only").uncheck()
    expect(label).to_have_text(before)
    expect(link_count).to_have_text(str(total))
    expect(sections_count).to_have_text(all_sections)
