"""The report renders a hand-made study into HTML, Markdown and CSV that agree, link up and
never let transcript text become markup."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bristlenose.models import (
    ExtractedQuotes,
    ParticipantEntry,
    Participants,
    Quote,
    QuoteType,
    Role,
    ScreenCluster,
    ScreenClusters,
    Segment,
    Sentiment,
    SkippedFile,
    SourceFile,
    Speaker,
    Theme,
    ThemeGroups,
    TopicBoundaries,
    Transcript,
)
from bristlenose.report import render_report, report_filename, slugify, transcript_path
from bristlenose.report.context import is_friction_point, quote_key
from bristlenose.report.csv import COLUMNS
from bristlenose.report.data import Provenance, ReportInput
from bristlenose.report.highlight import split_quoted
from bristlenose.report.templates import environment, template_dir
from bristlenose.report.timecode import format_duration, format_timecode

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
REPORT = "bristlenose-checkout-study-report.html"
STUDY = Path("/research/checkout study")


def _quote(qid: str, session: str, speaker: str, segment: int, start: float, text: str, **extra: object) -> Quote:
    fields = {"id": qid, "session_id": session, "speaker": speaker, "segment_index": segment, "start": start,
              "text": text, "topic": "Checkout", "quote_type": QuoteType.SCREEN_SPECIFIC}
    return Quote.model_validate({**fields, **extra})


def make_input(**changes: object) -> ReportInput:
    """Two analysed sessions (s1 with two participants), one errored, one skipped file."""
    s1 = Transcript(
        session_id="s1", name="Interview 01",
        sources=[SourceFile(path="interview-01.vtt", kind="transcript"),
                 SourceFile(path="interview-01.mp4", kind="media")],
        speakers=[Speaker(code="m1", label="Sam Moderator", role=Role.MODERATOR),
                  Speaker(code="p1", label="Alex Chen", role=Role.PARTICIPANT),
                  Speaker(code="p2", label="Ines Duarte", role=Role.PARTICIPANT)],
        segments=[Segment(index=0, start=0.0, end=10.0, speaker="m1", text="Please sign up."),
                  Segment(index=1, start=14.2, end=20.0, speaker="p1", text="I could not find the button."),
                  Segment(index=2, start=100.0, end=150.0, speaker="m1", text="And the price?"),
                  Segment(index=3, start=194.0, end=200.0, speaker="p2", text="Why is shipping extra\nhere?")],
    )
    s2 = Transcript(
        session_id="s2", name=f"Interview 02 {SCRIPT}",
        sources=[SourceFile(path="interview-02.srt", kind="transcript")],
        speakers=[Speaker(code="m1", label="Sam Moderator", role=Role.MODERATOR),
                  Speaker(code="p1", label=f"Robin {IMG}", role=Role.PARTICIPANT)],
        segments=[Segment(index=0, start=0.0, speaker="m1", text="Tell me about paying."),
                  Segment(index=1, start=3725.0, end=3730.0, speaker="p1", text=f"I typed {SCRIPT} and it paid"),
                  Segment(index=2, start=3740.0, end=3750.0, speaker="p1", text=f"Loved it {IMG}")],
    )
    s3 = Transcript(session_id="s3", name="Interview 03",
                    sources=[SourceFile(path="interview-03.docx", kind="transcript")],
                    error="interview-03.docx: not a Word document")
    participants = Participants(entries=[
        ParticipantEntry(session_id="s1", local_code="m1", code="m1", label="Sam Moderator", role="moderator"),
        ParticipantEntry(session_id="s1", local_code="p1", code="p1", label="Alex Chen", role="participant"),
        ParticipantEntry(session_id="s1", local_code="p2", code="p2", label="Ines Duarte", role="participant"),
        ParticipantEntry(session_id="s2", local_code="m1", code="m1", label="Sam Moderator", role="moderator"),
        ParticipantEntry(session_id="s2", local_code="p1", code="p3", label=f"Robin {IMG}", role="participant"),
    ])
    quotes = ExtractedQuotes(quotes=[
        _quote("s1-q1", "s1", "p1", 1, 14.2, "I could not find the button.", topic="Sign up",
               sentiment=Sentiment.FRUSTRATION, intensity=2),
        _quote("s1-q2", "s1", "p2", 3, 194.0, "Why is shipping extra\nhere?", context="asked about the price",
               sentiment=Sentiment.CONFUSION, intensity=3),
        _quote("s2-q1", "s2", "p3", 1, 3725.0, f"I typed {SCRIPT} and it paid", sentiment=Sentiment.SURPRISE),
        _quote("s2-q2", "s2", "p3", 2, 3740.0, f"Loved it {IMG}", quote_type=QuoteType.GENERAL,
               topic="Overall", sentiment=Sentiment.DELIGHT, intensity=3),
    ], dropped_unverified=2)
    clusters = ScreenClusters(clusters=[
        ScreenCluster(id="c2", label="Checkout", description=f"Paying {SCRIPT}", order=1,
                      quote_ids=["s1-q2", "s2-q1"]),
        ScreenCluster(id="c1", label="Sign up", description="Creating an account.", order=0,
                      quote_ids=["s1-q1"]),
    ])
    themes = ThemeGroups(themes=[
        Theme(id="t1", label="Hidden costs", description="Prices appear late.", quote_ids=["s1-q2"]),
        Theme(id="t2", label=f"Delight {IMG}", description="Moments of joy.", quote_ids=["s2-q2", "s1-q2"]),
    ])
    study = ReportInput(
        project="Checkout Study",
        input_dir=STUDY,
        output_dir=STUDY / "bristlenose-output",
        generated_at=datetime(2025, 3, 4, 14, 5, tzinfo=timezone.utc),
        transcripts=[s1, s2, s3],
        skipped=[SkippedFile(path="notes.pdf", reason="unsupported file type '.pdf'")],
        participants=participants,
        topics=TopicBoundaries(),
        quotes=quotes,
        clusters=clusters,
        themes=themes,
        provenance={"s1": Provenance(provider="offline", model="bristlenose-offline-1"),
                    "s2": Provenance(provider="anthropic", model="claude-test")},
    )
    return ReportInput.model_validate({**dict(study), **changes})


BLOCKS = frozenset({"p", "div", "li", "td", "th", "tr", "dt", "dd", "h1", "h2", "h3", "section", "figure",
                    "figcaption", "blockquote", "table"})


class Page(HTMLParser):
    """What the tests look at in a rendered page: ids, links, headings, text and start tags."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.tags: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.chunks: list[str] = []
        self._heading: str | None = None
        self._heading_text: list[str] = []
        self._in_style = False
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in BLOCKS:
            self.chunks.append(" ")
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"] or "")
        if tag in ("h1", "h2", "h3"):
            self._heading, self._heading_text = tag, []
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.chunks.append(" ")
        if tag == self._heading:
            self.headings.append((tag, "".join(self._heading_text).strip()))
            self._heading = None
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            return
        self.chunks.append(data)
        if self._heading:
            self._heading_text.append(data)

    @property
    def text(self) -> str:
        """Visible text with whitespace collapsed."""
        return " ".join("".join(self.chunks).split())


def _between(markup: str, start: str, end: str) -> str:
    """The part of ``markup`` from ``start`` to the next ``end``."""
    begin = markup.index(start)
    return markup[begin:markup.index(end, begin)]


@pytest.fixture(scope="module")
def data() -> ReportInput:
    return make_input()


@pytest.fixture(scope="module")
def outputs(data: ReportInput) -> dict[str, str]:
    return render_report(data)


@pytest.fixture(scope="module")
def report(outputs: dict[str, str]) -> str:
    return outputs[REPORT]


def test_outputs_are_the_report_markdown_csv_and_a_page_per_session(outputs: dict[str, str]) -> None:
    assert set(outputs) == {REPORT, "report.md", "quotes.csv", "sessions/transcript_s1.html",
                            "sessions/transcript_s2.html", "sessions/transcript_s3.html"}
    assert all(isinstance(content, str) and content for content in outputs.values())


def test_a_session_that_could_not_be_read_gets_a_page_saying_why(outputs: dict[str, str]) -> None:
    page = Page(outputs["sessions/transcript_s3.html"]).text
    assert "could not be read" in page



@pytest.mark.parametrize(("project", "expected"), [
    ("Checkout Study", "bristlenose-checkout-study-report.html"),
    ("  Café  Größe — Q3/2025 study!! ", "bristlenose-cafe-groe-q3-2025-study-report.html"),
    ("日本語", "bristlenose-project-report.html"),
])
def test_report_filename_is_an_ascii_slug(project: str, expected: str) -> None:
    assert report_filename(project) == expected
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slugify(project) or "project")


@pytest.mark.parametrize(("seconds", "expected"), [
    (0, "00:00"), (14.9, "00:14"), (194, "03:14"), (3599.99, "59:59"), (3600, "1:00:00"), (3725, "1:02:05"),
    (36000, "10:00:00"),
])
def test_format_timecode(seconds: float, expected: str) -> None:
    assert format_timecode(seconds) == expected


def test_format_timecode_refuses_negative_times() -> None:
    with pytest.raises(ValueError):
        format_timecode(-1)


@pytest.mark.parametrize(("seconds", "expected"), [(45, "45 s"), (194, "3 min"), (3725, "1 h 02 min")])
def test_format_duration(seconds: float, expected: str) -> None:
    assert format_duration(seconds) == expected


def test_report_shows_every_quote_in_typographic_quotes(report: str, data: ReportInput) -> None:
    text = Page(report).text
    for quote in data.quotes.quotes:
        assert f"“{' '.join(quote.text.split())}”" in text
    assert "[asked about the price] “Why is shipping extra here?”" in text


def test_header_and_summary(report: str) -> None:
    page = Page(report)
    assert ("h1", "Checkout Study") in page.headings
    assert "2025-03-04 14:05 UTC" in page.text
    summary = Page(_between(report, '<section id="overview"', "</section>")).text
    for stat in ("Sessions 2", "Participants 3", "Total duration 1 h 06 min", "Quotes 4", "Friction points 2",
                 "Sections 2", "Themes 2"):
        assert stat in summary
    assert "Offline analyser (bristlenose-offline-1): s1" in summary
    assert "Anthropic (claude-test): s2" in summary
    assert "2 proposed quotes dropped because they were not verbatim" in summary


def test_one_analyser_is_named_once_and_no_dropped_note_when_none_dropped() -> None:
    offline = Provenance(provider="offline", model="bristlenose-offline-1")
    data = make_input(provenance={"s1": offline, "s2": offline},
                      quotes=make_input().quotes.model_copy(update={"dropped_unverified": 0}))
    text = Page(render_report(data)[REPORT]).text
    assert "Analysed with Offline analyser (bristlenose-offline-1)." in text
    assert "not verbatim" not in text


def test_sections_follow_cluster_order_then_themes(report: str) -> None:
    h3 = [text for tag, text in Page(report).headings if tag == "h3"]
    order = ["Sign up", "Checkout", "Hidden costs", f"Delight {IMG}"]
    assert [h for h in h3 if h in order] == order
    checkout = Page(_between(report, 'id="section-c2"', "</section>")).text
    assert "Paying <script>alert(1)</script>" in checkout
    assert "Why is shipping extra here?" in checkout and "I typed" in checkout
    assert "Loved it" not in checkout


def test_table_of_contents_links_to_every_section_and_theme(report: str) -> None:
    page = Page(report)
    nav = Page(_between(report, '<nav class="sidebar"', "</nav>"))
    for anchor in ("section-c1", "section-c2", "theme-t1", "theme-t2"):
        assert f"#{anchor}" in nav.hrefs
        assert anchor in page.ids
    assert all(href[1:] in page.ids for href in nav.hrefs)


def test_sessions_table_lists_study_wide_participants(report: str) -> None:
    table = Page(_between(report, '<table class="sessions">', "</table>")).text
    assert "s1 Interview 01 p1 Alex Chen p2 Ines Duarte 3 min 2 2 interview-01.vtt" in table
    assert f"p3 Robin {IMG}" in table
    assert "Offline analyser (bristlenose-offline-1)" in table and "Anthropic (claude-test)" in table
    assert "s3" not in table and "Sam Moderator" not in table


def test_errored_session_and_skipped_file_are_listed(report: str) -> None:
    failed = Page(_between(report, '<table class="failed">', "</table>")).text
    assert "s3 Interview 03 interview-03.docx interview-03.docx: not a Word document" in failed
    skipped = Page(_between(report, '<table class="skipped">', "</table>")).text
    assert "notes.pdf unsupported file type '.pdf'" in skipped


def test_timecode_links_point_at_existing_transcript_anchors(outputs: dict[str, str], report: str) -> None:
    links = [href for href in Page(report).hrefs if "#t-" in href]
    assert set(links) == {"sessions/transcript_s1.html#t-1", "sessions/transcript_s1.html#t-3",
                          "sessions/transcript_s2.html#t-1", "sessions/transcript_s2.html#t-2"}
    for link in links:
        path, anchor = link.split("#")
        assert anchor in Page(outputs[path]).ids


def test_quote_without_a_rendered_segment_has_no_dangling_link() -> None:
    base = make_input()
    moved = [q.model_copy(update={"segment_index": 99}) if q.id == "s1-q1" else q for q in base.quotes.quotes]
    report = render_report(make_input(quotes=ExtractedQuotes(quotes=moved)))[REPORT]
    assert "#t-99" not in report
    assert "I could not find the button." in Page(report).text


def test_transcript_pages(outputs: dict[str, str]) -> None:
    s1 = outputs["sessions/transcript_s1.html"]
    page = Page(s1)
    assert f"../{REPORT}" in page.hrefs
    assert {"t-0", "t-1", "t-2", "t-3"} <= page.ids
    assert ("h1", "s1: Interview 01") in page.headings
    assert "00:00 m1 Sam Moderator moderator Please sign up." in page.text
    assert "03:14 p2 Ines Duarte participant Why is shipping extra here?" in page.text
    quoted = re.findall(r'<tr id="(t-\d+)"[^>]* class="quoted">', s1)
    assert quoted == ["t-1", "t-3"]
    s2 = Page(outputs["sessions/transcript_s2.html"]).text
    assert "1:02:05 p3 Robin <img src=x onerror=alert(1)> participant I typed <script>alert(1)</script> and it paid" in s2


SCRIPT_ELEMENT = re.compile(r"<script( [^>]*)?>(.*?)</script>", re.DOTALL)


@pytest.mark.parametrize("hostile", [SCRIPT, IMG])
def test_hostile_text_is_escaped_everywhere_in_html(outputs: dict[str, str], hostile: str) -> None:
    for path, content in outputs.items():
        if not path.endswith(".html"):
            continue
        scripts = SCRIPT_ELEMENT.findall(content)
        carrying = [attrs for attrs, body in scripts if "alert(1)" in body]
        assert carrying in ([], [' type="application/json" id="quote-data"'])
        markup = SCRIPT_ELEMENT.sub("", content)
        assert not {"script", "img"} & set(Page(markup).tags)
        assert "<script" not in markup.lower()
        assert "<img" not in markup.lower()
        assert "onerror=alert" not in markup.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in outputs[REPORT]
    assert "&lt;img src=x onerror=alert(1)&gt;" in outputs["sessions/transcript_s2.html"]
    assert hostile in Page(outputs[REPORT]).text


def test_html_is_self_contained(outputs: dict[str, str]) -> None:
    for path, content in outputs.items():
        if path.endswith(".html"):
            assert "http://" not in content and "https://" not in content
            assert "<link" not in content and "@import" not in content
            assert "<style>" in content


def test_inline_css_is_not_html_escaped(report: str) -> None:
    style = _between(report, "<style>", "</style>")
    assert ".sidebar > ol > li > a" in style and "&gt;" not in style
    assert "prefers-color-scheme: dark" in style and "@media print" in style


def test_csv_has_one_matching_row_per_quote(outputs: dict[str, str], data: ReportInput) -> None:
    reader = csv.DictReader(io.StringIO(outputs["quotes.csv"]))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    assert ",".join(COLUMNS) == ("quote_id,session,participant,timecode,start_seconds,section,theme,topic,"
                                 "sentiment,intensity,friction_point,quote_type,quote,context")
    rows = list(reader)
    assert [row["quote_id"] for row in rows] == [q.id for q in data.quotes.quotes]
    for row, quote in zip(rows, data.quotes.quotes, strict=True):
        assert row["session"] == quote.session_id
        assert row["participant"] == quote.speaker
        assert row["quote"] == quote.text
        assert row["context"] == quote.context
        assert row["timecode"] == format_timecode(quote.start)
        assert float(row["start_seconds"]) == quote.start
        assert row["topic"] == quote.topic
        assert row["sentiment"] == quote.sentiment.value
        assert int(row["intensity"]) == quote.intensity
        assert row["quote_type"] == quote.quote_type.value
    by_id = {row["quote_id"]: row for row in rows}
    assert (by_id["s1-q1"]["section"], by_id["s1-q1"]["theme"]) == ("Sign up", "")
    assert (by_id["s1-q2"]["section"], by_id["s1-q2"]["theme"]) == ("Checkout", f"Hidden costs; Delight {IMG}")
    assert (by_id["s2-q2"]["section"], by_id["s2-q2"]["theme"]) == ("", f"Delight {IMG}")
    assert by_id["s2-q1"]["timecode"] == "1:02:05"
    assert [by_id[i]["friction_point"] for i in ("s1-q1", "s1-q2", "s2-q1", "s2-q2")] == ["yes", "yes", "no", "no"]


def test_markdown_report(outputs: dict[str, str]) -> None:
    md = outputs["report.md"]
    lines = md.splitlines()
    assert lines[0] == "# Checkout Study"
    assert '> "I could not find the button." — p1, s1 00:14 (frustration)' in lines
    assert '> [asked about the price] "Why is shipping extra here?" — p2, s1 03:14 (confusion)' in lines
    assert '> "I typed \\<script>alert(1)\\</script> and it paid" — p3, s2 1:02:05 (surprise)' in lines
    assert '> "Loved it \\<img src=x onerror=alert(1)>" — p3, s2 1:02:20 (delight)' in lines
    assert md.index("### Sign up") < md.index("### Checkout") < md.index("## Themes") < md.index("### Hidden costs")
    assert ("| s1 | Interview 01 | interview-01.vtt, interview-01.mp4 (media) | p1 Alex Chen, p2 Ines Duarte | 3 min "
            "| 2 | 2 |") in md
    assert "| s3 | Interview 03 | interview-03.docx: not a Word document |" in md
    assert "- notes.pdf: unsupported file type '.pdf'" in md


def test_markdown_keeps_data_on_one_line_and_out_of_table_cells() -> None:
    base = make_input()
    s1 = base.transcripts[0].model_copy(update={"name": "Two\nlines | piped"})
    md = render_report(make_input(transcripts=[s1, *base.transcripts[1:]]))["report.md"]
    assert "| s1 | Two lines \\| piped |" in md


def test_rendering_is_deterministic(data: ReportInput, outputs: dict[str, str]) -> None:
    assert render_report(data.model_copy(deep=True)) == outputs
    assert render_report(make_input()) == outputs


def test_unsafe_session_ids_cannot_name_files() -> None:
    assert transcript_path("s12") == "sessions/transcript_s12.html"
    for bad in ("../evil", "s1/x", "", ".hidden"):
        with pytest.raises(ValueError):
            transcript_path(bad)


def test_templates_are_found_and_escaping_follows_the_extension() -> None:
    assert (template_dir() / "report.html").is_file()
    autoescape = environment().autoescape
    assert callable(autoescape)
    assert autoescape("report.html") is True
    assert autoescape("report.md") is False
    assert autoescape("report.css") is False


def test_a_session_with_a_recording_plays_it_from_every_timecode(outputs: dict[str, str], report: str) -> None:
    plays = re.findall(r'<a class="timecode play" href="([^"]+)" data-media="([^"]+)" data-kind="(\w+)" '
                       r'data-start="([\d.]+)"', report)
    assert set(plays) == {("../interview-01.mp4#t=14.2", "../interview-01.mp4", "video", "14.2"),
                          ("../interview-01.mp4#t=194", "../interview-01.mp4", "video", "194.0")}
    assert 'id="player"' in report
    page = outputs["sessions/transcript_s1.html"]
    rows = re.findall(r'<tr id="t-(\d)".*?<a class="timecode play" href="([^"]+)"', page, re.DOTALL)
    assert rows == [("0", "../../interview-01.mp4#t=0"), ("1", "../../interview-01.mp4#t=14.2"),
                    ("2", "../../interview-01.mp4#t=100"), ("3", "../../interview-01.mp4#t=194")]


def test_a_transcript_only_session_links_timecodes_to_its_transcript_lines(outputs: dict[str, str]) -> None:
    report = outputs[REPORT]
    assert '<a class="timecode" href="sessions/transcript_s2.html#t-1">' in report
    page = outputs["sessions/transcript_s2.html"]
    assert '<a class="timecode" href="#t-1">1:02:05</a>' in page
    assert 'data-media="' not in page and 'id="player"' not in page


def test_recordings_are_addressed_relative_to_each_page_and_url_encoded(tmp_path: Path) -> None:
    base = make_input()
    s1 = base.transcripts[0].model_copy(update={"sources": [
        SourceFile(path="interview-01.vtt", kind="transcript"),
        SourceFile(path="audio/Interview 01 #1.wav", kind="media")]})
    data = make_input(output_dir=tmp_path / "elsewhere" / "out", input_dir=tmp_path / "study",
                      transcripts=[s1, *base.transcripts[1:]])
    outputs = render_report(data)
    assert 'data-media="../../study/audio/Interview%2001%20%231.wav" data-kind="audio"' in outputs[REPORT]
    assert 'data-media="../../../study/audio/Interview%2001%20%231.wav"' in outputs["sessions/transcript_s1.html"]


def test_a_study_without_recordings_has_no_player() -> None:
    base = make_input()
    s1 = base.transcripts[0].model_copy(update={"sources": base.transcripts[0].sources[:1]})
    report = render_report(make_input(transcripts=[s1, *base.transcripts[1:]]))[REPORT]
    assert 'id="player"' not in report and 'data-media="' not in report
    assert "Transcript of s1 at" in Page(report).text


def test_transcript_pages_mark_exactly_the_quoted_words(outputs: dict[str, str]) -> None:
    s1 = outputs["sessions/transcript_s1.html"]
    assert re.findall(r"<mark>(.*?)</mark>", s1, re.DOTALL) == ["I could not find the button.",
                                                                "Why is shipping extra\nhere?"]
    s2 = outputs["sessions/transcript_s2.html"]
    assert "<mark>I typed &lt;script&gt;alert(1)&lt;/script&gt; and it paid</mark>" in s2


@pytest.mark.parametrize(("text", "quotes", "expected"), [
    ("Say it. Then more.", ["Then more."], [("Say it. ", False), ("Then more.", True)]),
    ("abcdef", ["abc", "bcd", "f"], [("abcd", True), ("e", False), ("f", True)]),
    ("abc", ["not there"], [("abc", False)]),
])
def test_split_quoted_merges_overlapping_quotes(text: str, quotes: list[str], expected: list[tuple[str, bool]]) -> None:
    assert [(part.text, part.quoted) for part in split_quoted(text, quotes)] == expected


@pytest.mark.parametrize(("sentiment", "intensity", "expected"), [
    (Sentiment.FRUSTRATION, 1, True), (Sentiment.CONFUSION, 1, True), (Sentiment.DOUBT, 2, True),
    (Sentiment.SURPRISE, 3, True), (Sentiment.NONE, 3, True), (Sentiment.SURPRISE, 2, False),
    (Sentiment.DELIGHT, 3, False), (Sentiment.SATISFACTION, 1, False),
])
def test_friction_points_are_friction_sentiments_or_strong_feelings_that_are_not_positive(
        sentiment: Sentiment, intensity: int, expected: bool) -> None:
    assert is_friction_point(sentiment, intensity) is expected


def test_friction_points_section_lists_strongest_first(report: str) -> None:
    friction = _between(report, '<section id="friction"', "</section>\n</main>")
    assert re.findall(r'data-quote="([^"]+)"', friction) == ["s1-q2", "s1-q1"]


def test_quote_data_is_json_that_speech_cannot_break_out_of(outputs: dict[str, str]) -> None:
    base = make_input()
    breakout = "</script><script>alert(2)</script> & <!-- \u2028"
    quotes = [q.model_copy(update={"text": breakout}) if q.id == "s2-q1" else q for q in base.quotes.quotes]
    report = render_report(make_input(quotes=ExtractedQuotes(quotes=quotes)))[REPORT]
    body = _between(report, '<script type="application/json" id="quote-data">', "</script>")
    body = body.removeprefix('<script type="application/json" id="quote-data">')
    assert not {"<", ">", "&", "\u2028"} & set(body)
    data = json.loads(body)
    assert [q["id"] for q in data["quotes"]] == ["s1-q1", "s1-q2", "s2-q1", "s2-q2"]
    assert data["quotes"][2]["row"][COLUMNS.index("quote")] == breakout
    assert Page(report).tags.count("script") == 3


def test_quote_data_rows_are_the_csv_rows(outputs: dict[str, str]) -> None:
    body = _between(outputs[REPORT], '<script type="application/json" id="quote-data">', "</script>")
    data = json.loads(body.removeprefix('<script type="application/json" id="quote-data">'))
    rows = list(csv.reader(io.StringIO(outputs["quotes.csv"])))
    assert [data["columns"], *(q["row"] for q in data["quotes"])] == rows
    assert data["storageKey"] == "bristlenose:checkout-study:curation"
    assert data["quotes"][1]["sections"] == ["section-c2"] and data["quotes"][1]["themes"] == ["theme-t1", "theme-t2"]


def test_star_keys_follow_the_words_not_the_quote_numbering(data: ReportInput) -> None:
    quote = data.quotes.quotes[0]
    assert quote_key(quote) == quote_key(quote.model_copy(update={"id": "s1-q9"}))
    assert quote_key(quote) != quote_key(quote.model_copy(update={"text": "Other words entirely."}))
    assert len({quote_key(q) for q in data.quotes.quotes}) == len(data.quotes.quotes)


def test_sentiment_overview_is_an_inline_svg_chart_with_a_text_alternative(report: str) -> None:
    chart = _between(report, '<figure class="chart" id="chart-sentiment">', "</figure>")
    assert 'role="img"' in chart and 'aria-labelledby="chart-sentiment-title chart-sentiment-desc"' in chart
    assert "frustration: 1, confusion: 1, surprise: 1, delight: 1." in Page(chart).text
    assert len(re.findall(r'<rect class="bar (friction|neutral|positive)"', chart)) == 4
    sections = Page(_between(report, '<figure class="chart" id="chart-sections">', "</figure>")).text
    assert "Sign up: 1 of 1 friction points; Checkout: 1 of 2 friction points, 1 other." in sections


def test_a_speaker_label_that_is_only_the_code_is_not_repeated() -> None:
    base = make_input()
    s2 = base.transcripts[1].model_copy(update={"speakers": [
        Speaker(code="m1", label="m1", role=Role.MODERATOR), Speaker(code="p1", label="p1", role=Role.PARTICIPANT)]})
    report = render_report(make_input(transcripts=[base.transcripts[0], s2, base.transcripts[2]]))
    assert '<option value="p3">p3 (2)</option>' in report[REPORT]
    assert "| p3 | 1 h 02 min |" in report["report.md"]


def test_the_analyser_that_grouped_sections_and_themes_is_named_when_it_differs() -> None:
    offline = Provenance(provider="offline", model="bristlenose-offline-1")
    alike = make_input(provenance={"s1": offline, "s2": offline}, stage_provenance={"clusters": offline})
    assert "grouped with" not in Page(render_report(alike)[REPORT]).text
    other = make_input(provenance={"s1": offline, "s2": offline},
                       stage_provenance={"clusters": Provenance(provider="anthropic", model="claude-test")})
    outputs = render_report(other)
    assert "Sections and themes grouped with Anthropic (claude-test)." in Page(outputs[REPORT]).text
    assert "- Sections and themes grouped with: Anthropic (claude-test)" in outputs["report.md"]


def test_markdown_carries_the_sentiment_overview_and_friction_points(outputs: dict[str, str]) -> None:
    md = outputs["report.md"]
    assert "| frustration | 1 |\n| confusion | 1 |\n| surprise | 1 |\n| delight | 1 |" in md
    assert "| Sign up | 1 | 1 |\n| Checkout | 2 | 1 |" in md
    friction = md[md.index("## Friction points"):md.index("## Sessions")]
    assert re.findall(r'^> .*$', friction, re.MULTILINE) == [
        ('> [asked about the price] "Why is shipping extra here?" — p2, s1 03:14 (confusion, intensity 3 of 3)'
         ' · Checkout'),
        '> "I could not find the button." — p1, s1 00:14 (frustration, intensity 2 of 3) · Sign up',
    ]


def test_quote_tools_are_labelled_and_shortcuts_documented(report: str) -> None:
    tools = _between(report, '<section id="quote-tools"', "</section>")
    for name in ("search", "participant", "sentiment", "section", "theme"):
        assert f'<label for="filter-{name}">' in tools and f'id="filter-{name}"' in tools
    shortcuts = Page(_between(tools, '<details class="shortcuts"', "</details>")).text
    for key in ("/", "j k", "s", "h", "p", "?"):
        assert key in shortcuts
    assert '<option value="@friction">Friction points (2)</option>' in tools


def test_a_study_without_quotes_renders_without_quote_tools_or_charts() -> None:
    outputs = render_report(make_input(quotes=ExtractedQuotes(), clusters=ScreenClusters(), themes=ThemeGroups()))
    page = Page(outputs[REPORT])
    assert "quote-tools" not in page.ids and "chart-sentiment" not in page.ids
    assert "No screen-specific quotes were found." in page.text and "No themes were found." in page.text
    assert outputs["quotes.csv"] == ",".join(COLUMNS) + "\n"


def test_a_session_note_is_shown_with_the_session(data: ReportInput) -> None:
    s1 = data.transcripts[0].model_copy(update={"note": "interview-01.mp4 is cut short: transcribed up to 03:20"})
    outputs = render_report(make_input(transcripts=[s1, *data.transcripts[1:]]))
    assert "interview-01.mp4 is cut short" in Page(_between(outputs[REPORT], '<table class="sessions">', "</table>")).text
    assert "interview-01.mp4 is cut short" in Page(outputs["sessions/transcript_s1.html"]).text
    assert "### Notes\n\n- s1: interview-01.mp4 is cut short: transcribed up to 03:20\n" in outputs["report.md"]
    assert "### Notes" not in render_report(data)["report.md"]
