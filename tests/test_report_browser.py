"""The report of sample_data/ in a real headless chromium: it opens from file:// with no
network, and a researcher can search, filter, star, hide, export and keyboard through quotes;
it is accessible, reflows at 400 % zoom, prints without its tools, and a hostile transcript
stays text."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import (
    Watched,
    build_report,
    open_page,
    serious_violations,
)
from tests.support.study import SAMPLE_DATA, Study

VISIBLE_QUOTES = "cards => [...new Set(cards.filter(c => c.checkVisibility()).map(c => c.dataset.quote))]"
HOSTILE_SCRIPT = "<script>window.__pwned=1</script>"
HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">'


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_report(Study.copy_of(tmp_path_factory.mktemp("sample"), provider="offline", recordings=True))


@pytest.fixture(scope="module")
def all_rows(sample_report: Path) -> list[dict[str, str]]:
    """The report's quotes.csv: every quote, in study order."""
    return list(csv.DictReader(io.StringIO((sample_report.parent / "quotes.csv").read_text(encoding="utf-8"))))


@pytest.fixture
def report(browser: Browser, sample_report: Path) -> Iterator[Watched]:
    watched = open_page(browser, sample_report.as_uri())
    yield watched
    watched.close()


def visible_quotes(page: Page) -> list[str]:
    """Ids of the quotes a reader can see, each once, in page order."""
    return page.eval_on_selector_all(".quote[data-quote]", VISIBLE_QUOTES)


def ids(rows: list[dict[str, str]]) -> set[str]:
    """The quote ids of CSV rows."""
    return {row["quote_id"] for row in rows}


def test_report_loads_from_file_with_no_console_errors_and_no_network(
        report: Watched, all_rows: list[dict[str, str]]) -> None:
    page = report.page
    expect(page.locator("#quote-status")).to_have_text(f"Showing {len(all_rows)} of {len(all_rows)} quotes")
    page.locator(".quote a.timecode:not(.play)").first.click()
    page.wait_for_load_state("load")
    assert "/sessions/transcript_" in page.url
    assert report.errors == []
    assert report.requests and all(url.startswith("file://") for url in report.requests), report.requests


def test_overview_shows_the_study_and_how_it_was_analysed(report: Watched, all_rows: list[dict[str, str]]) -> None:
    overview = report.page.locator("#overview")
    expect(overview.locator(".stats")).to_contain_text(f"Quotes{len(all_rows)}")
    expect(overview).to_contain_text("Analysed with Offline analyser")
    expect(overview.locator("svg[role=img]")).to_have_count(2)
    expect(report.page.locator("#sessions tbody tr")).to_have_count(len({row["session"] for row in all_rows}))


def test_typing_in_search_narrows_the_quotes(report: Watched, all_rows: list[dict[str, str]]) -> None:
    page = report.page
    assert set(visible_quotes(page)) == ids(all_rows)
    page.locator("#filter-search").press_sequentially("price")
    searched = ("quote", "context", "topic", "section", "theme")
    wanted = {row["quote_id"] for row in all_rows if "price" in "\n".join(row[c] for c in searched).lower()}
    assert 0 < len(wanted) < len(all_rows)
    expect(page.locator("#quote-status")).to_have_text(f"Showing {len(wanted)} of {len(all_rows)} quotes")
    assert set(visible_quotes(page)) == wanted
    page.locator("#filter-search").press_sequentially(" zzznothing")
    assert visible_quotes(page) == []
    expect(page.locator("#sections .no-match")).to_be_visible()
    page.get_by_role("button", name="Clear filters").click()
    expect(page.locator("#quote-status")).to_have_text(f"Showing {len(all_rows)} of {len(all_rows)} quotes")


@pytest.mark.parametrize(("value", "column", "expected"), [
    ("confusion", "sentiment", "confusion"),
    ("@friction", "friction_point", "yes"),
])
def test_the_sentiment_filter_shows_only_that_sentiment(report: Watched, all_rows: list[dict[str, str]],
                                                      value: str, column: str, expected: str) -> None:
    page = report.page
    page.locator("#filter-sentiment").select_option(value)
    wanted = {row["quote_id"] for row in all_rows if row[column] == expected}
    assert 0 < len(wanted) < len(all_rows)
    assert set(visible_quotes(page)) == wanted


def test_participant_section_and_theme_filters_combine(report: Watched, all_rows: list[dict[str, str]]) -> None:
    page = report.page
    page.locator("#filter-participant").select_option("p1")
    assert set(visible_quotes(page)) == {row["quote_id"] for row in all_rows if row["participant"] == "p1"}
    page.locator("#filter-participant").select_option("")
    section = page.locator("#filter-section option").nth(1)
    page.locator("#filter-section").select_option(section.get_attribute("value"))
    in_section = [row for row in all_rows if section.inner_text() in row["section"].split("; ")]
    assert set(visible_quotes(page)) == ids(in_section)
    theme = page.locator("#filter-theme option").nth(1)
    page.locator("#filter-theme").select_option(theme.get_attribute("value"))
    in_both = [row for row in in_section if theme.inner_text() in row["theme"].split("; ")]
    assert set(visible_quotes(page)) == ids(in_both)


def test_starred_quote_survives_reload(report: Watched) -> None:
    page = report.page
    card = page.locator(".quote[data-quote]").nth(2)
    quote_id = card.get_attribute("data-quote")
    card.get_by_role("button", name="Star").click()
    page.reload()
    copies = page.locator(f'.quote[data-quote="{quote_id}"]')
    assert copies.count() >= 1
    for star in copies.get_by_role("button", name="Star").all():
        expect(star).to_have_attribute("aria-pressed", "true")
    page.get_by_label("Starred only").check()
    assert visible_quotes(page) == [quote_id]


def test_hidden_quote_stays_hidden_after_reload_until_shown(report: Watched, all_rows: list[dict[str, str]]) -> None:
    page = report.page
    quote_id = page.locator(".quote[data-quote]").first.get_attribute("data-quote")
    page.locator(".quote[data-quote]").first.get_by_role("button", name="Hide").click()
    page.reload()
    assert quote_id not in visible_quotes(page)
    expect(page.locator("#quote-status")).to_contain_text(f"Showing {len(all_rows) - 1} of {len(all_rows)} quotes")
    page.get_by_label("Show hidden").check()
    assert quote_id in visible_quotes(page)


def test_csv_download_contains_exactly_the_visible_quotes(report: Watched, sample_report: Path) -> None:
    page = report.page
    page.locator("#filter-sentiment").select_option("frustration")
    page.locator("#filter-search").fill("it")
    page.locator(".quote[data-quote]:visible").first.get_by_role("button", name="Hide").click()
    visible = visible_quotes(page)
    assert visible
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename == "study-quotes.csv"
    downloaded = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    written = list(csv.reader(io.StringIO((sample_report.parent / "quotes.csv").read_text(encoding="utf-8"))))
    header, *rows = downloaded
    assert header == written[0]
    assert sorted(row[0] for row in rows) == sorted(visible)
    assert rows == [row for row in written[1:] if row[0] in set(visible)]
    for column in ("timecode", "quote", "participant", "section", "theme", "sentiment"):
        assert column in header


def test_copy_csv_puts_the_visible_quotes_on_the_clipboard(report: Watched, all_rows: list[dict[str, str]]) -> None:
    page = report.page
    report.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("#filter-sentiment").select_option("doubt")
    page.get_by_role("button", name="Copy CSV").click()
    wanted = [row for row in all_rows if row["sentiment"] == "doubt"]
    expect(page.locator("#quote-status")).to_have_text(f"Copied {len(wanted)} quotes as CSV.")
    copied = list(csv.DictReader(io.StringIO(page.evaluate("navigator.clipboard.readText()"))))
    assert copied == wanted


def test_keyboard_moves_between_quotes_and_stars_and_hides_them(report: Watched) -> None:
    page = report.page
    cards = page.locator(".quote[data-quote]")
    page.keyboard.press("j")
    expect(cards.nth(0)).to_be_focused()
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(cards.nth(1)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(cards.nth(2)).to_be_focused()
    page.keyboard.press("s")
    expect(cards.nth(2).get_by_role("button", name="Star")).to_have_attribute("aria-pressed", "true")
    hidden_id = cards.nth(2).get_attribute("data-quote")
    page.keyboard.press("h")
    assert hidden_id not in visible_quotes(page)
    expect(page.locator(".quote[data-quote]:focus")).to_be_visible()
    page.keyboard.press("/")
    expect(page.locator("#filter-search")).to_be_focused()
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    expect(page.locator("#shortcuts dl")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_report_has_no_serious_accessibility_violations(browser: Browser, sample_report: Path, scheme: str) -> None:
    for page_path in (sample_report, sample_report.parent / "sessions" / "transcript_s1.html"):
        watched = open_page(browser, page_path.as_uri(), color_scheme=scheme)
        try:
            assert serious_violations(watched.page) == []
        finally:
            watched.close()


def test_dark_mode_follows_the_system(browser: Browser, sample_report: Path) -> None:
    backgrounds = {}
    for scheme in ("light", "dark"):
        watched = open_page(browser, sample_report.as_uri(), color_scheme=scheme)
        backgrounds[scheme] = watched.page.evaluate("getComputedStyle(document.body).backgroundColor")
        watched.close()
    assert backgrounds == {"light": "rgb(255, 255, 255)", "dark": "rgb(21, 24, 28)"}


def test_report_reflows_at_400_percent_zoom(browser: Browser, sample_report: Path) -> None:
    watched = open_page(browser, sample_report.as_uri(), viewport={"width": 320, "height": 225})
    page = watched.page
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        expect(page.locator("#filter-search")).to_be_visible()
        page.locator(".quote[data-quote]").first.scroll_into_view_if_needed()
        box = page.locator(".quote[data-quote]").first.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
    finally:
        watched.close()


def test_print_shows_quotes_without_the_tools(report: Watched) -> None:
    page = report.page
    page.locator(".quote[data-quote]").first.get_by_role("button", name="Hide").click()
    page.emulate_media(media="print")
    expect(page.locator("#quote-tools")).to_be_hidden()
    expect(page.locator("nav.sidebar")).to_be_hidden()
    expect(page.locator(".quote-actions").first).to_be_hidden()
    expect(page.locator(".quote[data-quote]").nth(1)).to_be_visible()
    expect(page.locator(".quote[data-quote]").first).to_be_hidden()


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "hostile-study"
    folder.mkdir()
    shutil.copy(SAMPLE_DATA / "interview-04.txt", folder)
    (folder / "interview-09.txt").write_text(
        "[00:02] [m1] What did you type into the search box?\n"
        f"[00:09] [p1] I typed {HOSTILE_SCRIPT} into the search box and honestly it was really confusing, "
        "nothing happened at all and I didn't know why.\n"
        "[00:25] [m1] And then?\n"
        f"[00:31] [p1] Then I pasted {HOSTILE_IMG} in the name field and that was so frustrating, "
        "the page just sat there doing nothing.\n",
        encoding="utf-8",
    )
    study = Study(input=folder, call_log=folder.parent / "calls.jsonl")
    return build_report(study)


def test_hostile_transcript_renders_as_text_and_nothing_executes(browser: Browser, hostile_report: Path) -> None:
    pages = [hostile_report, *sorted((hostile_report.parent / "sessions").glob("transcript_*.html"))]
    shown = ""
    for path in pages:
        watched = open_page(browser, path.as_uri())
        try:
            page = watched.page
            page.wait_for_load_state("load")
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert page.locator("main img").count() == 0
            shown += page.locator("main").inner_text()
            assert watched.errors == []
        finally:
            watched.close()
    assert HOSTILE_SCRIPT in shown and HOSTILE_IMG in shown
