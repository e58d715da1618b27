"""Source files → raw segments: each supported format, and bad input as a named ParseError."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import docx
import pytest

from bristlenose.parsers import ParseError, RawSegment, format_txt, parse_transcript
from bristlenose.parsers.base import split_speaker_prefixes


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def write_docx(tmp_path: Path, name: str, paragraphs: list[str]) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / name
    document.save(str(path))
    return path


def speakers_and_texts(segments: list[RawSegment]) -> list[tuple[str, str]]:
    return [(segment.speaker, segment.text) for segment in segments]


ZOOM_VTT = """WEBVTT

1
00:00:01.620 --> 00:00:06.936
Dana Whitfield: Hi Marcus, thanks for joining. Can you hear me okay?

2
00:00:07.511 --> 00:00:09.797
Marcus Okafor: Yeah, loud and clear.

3
00:00:10.617 --> 00:00:18.313
Dana Whitfield: Great. Could you show me how you'd
create an account?

4
00:00:19.000 --> 00:01:02.500
Marcus Okafor: Okay. Note: it wants my phone number, at 10:30 at night.
"""


def test_zoom_vtt_name_prefix_becomes_speaker(tmp_path: Path) -> None:
    segments = parse_transcript(write(tmp_path, "p1.vtt", ZOOM_VTT))

    assert speakers_and_texts(segments) == [
        ("Dana Whitfield", "Hi Marcus, thanks for joining. Can you hear me okay?"),
        ("Marcus Okafor", "Yeah, loud and clear."),
        ("Dana Whitfield", "Great. Could you show me how you'd create an account?"),
        ("Marcus Okafor", "Okay. Note: it wants my phone number, at 10:30 at night."),
    ]
    assert (segments[0].start, segments[0].end) == (1.62, 6.936)
    assert (segments[3].start, segments[3].end) == (19.0, 62.5)


def test_teams_vtt_voice_tags_become_speakers_and_tags_are_stripped(tmp_path: Path) -> None:
    content = """WEBVTT

3f2a9c1e-1/12-0
00:00:03.120 --> 00:00:05.980
<v Ravi Menon>Thanks for joining &amp; welcome.</v>

3f2a9c1e-1/13-0
00:00:06.500 --> 00:00:08.000
<v Chloe Park>It's <i>really</i> slow.</v>

3f2a9c1e-1/14-0
00:00:08.500 --> 00:00:09.000
<v Chloe Park></v>
"""
    segments = parse_transcript(write(tmp_path, "teams.vtt", content))

    assert speakers_and_texts(segments) == [
        ("Ravi Menon", "Thanks for joining & welcome."),
        ("Chloe Park", "It's really slow."),
    ]


def test_vtt_cue_without_a_label_keeps_the_previous_speaker(tmp_path: Path) -> None:
    content = """WEBVTT

00:00:01.000 --> 00:00:02.000
Dana: Hello there.

00:00:02.500 --> 00:00:04.000
and welcome.

00:00:05.000 --> 00:00:06.000
Sam: Hi.

00:00:07.000 --> 00:00:08.000
Dana: Shall we start?
"""
    segments = parse_transcript(write(tmp_path, "x.vtt", content))

    assert [segment.speaker for segment in segments] == ["Dana", "Dana", "Sam", "Dana"]


def test_srt_name_prefixes_become_speakers(tmp_path: Path) -> None:
    content = """1
00:00:02,080 --> 00:00:04,602
Dana Whitfield: Hi both, thanks for coming in.

2
00:00:25,636 --> 00:00:29,177
Ines Duarte: Great. We do argue about the shopping.

3
00:00:30,127 --> 00:00:31,715
Tom Duarte: We really do.

4
00:00:32,000 --> 00:00:33,000
Dana Whitfield: Let's start.
"""
    segments = parse_transcript(write(tmp_path, "interview-02.srt", content))

    assert [segment.speaker for segment in segments] == [
        "Dana Whitfield", "Ines Duarte", "Tom Duarte", "Dana Whitfield"]
    assert segments[1].text == "Great. We do argue about the shopping."
    assert (segments[2].start, segments[2].end) == (30.127, 31.715)


def test_srt_without_labels_has_no_speakers_and_loses_formatting(tmp_path: Path) -> None:
    content = "1\r\n00:00:01,000 --> 00:00:03,000\r\n<i>So what do you</i>\r\nthink of it?\r\n\r\n" \
              "2\r\n00:00:04,000 --> 00:00:05,000\r\n{\\an8}It's fine.\r\n"
    segments = parse_transcript(write(tmp_path, "plain.srt", content))

    assert speakers_and_texts(segments) == [("", "So what do you think of it?"), ("", "It's fine.")]


def test_teams_docx_headers_start_turns_and_the_title_block_is_ignored(tmp_path: Path) -> None:
    path = write_docx(tmp_path, "Interview 03 - Transcript.docx", [
        "Interview 03 - Transcript",
        "14 October 2026, 14:05",
        "Ravi Menon   0:03",
        "Hi both, thanks for making the time.",
        "There are no right or wrong answers.",
        "Chloe Park\t1:05",
        "Sounds good.",
        "Sam Reyes  1:02:03",
        "Yeah, cool.",
        "Ravi Menon stopped transcription",
    ])
    segments = parse_transcript(path)

    assert [(s.start, s.speaker, s.text) for s in segments] == [
        (3.0, "Ravi Menon", "Hi both, thanks for making the time. There are no right or wrong answers."),
        (65.0, "Chloe Park", "Sounds good."),
        (3723.0, "Sam Reyes", "Yeah, cool."),
    ]
    assert all(segment.end is None for segment in segments)


def test_meet_docx_turns_are_timed_between_the_timestamps(tmp_path: Path) -> None:
    path = write_docx(tmp_path, "Interview 05 (2026-10-14 at 14 05 GMT-7) - Transcript.docx", [
        "Interview 05 (2026-10-14 at 14 05 GMT-7) - Transcript",
        "Attendees",
        "Dana Whitfield, Marcus Okafor",
        "Transcript",
        "00:00:00",
        "Dana Whitfield: one two three four",
        "Marcus Okafor: five six seven eight",
        "00:01:00",
        "Dana Whitfield: And now the last part.",
        "Marcus Okafor: Sure.",
        "Meeting ended after 00:01:30 👋",
    ])
    segments = parse_transcript(path)

    assert [(s.start, s.speaker, s.text) for s in segments] == [
        (0.0, "Dana Whitfield", "one two three four"),
        (30.0, "Marcus Okafor", "five six seven eight"),
        (60.0, "Dana Whitfield", "And now the last part."),
        (62.0, "Marcus Okafor", "Sure."),
    ]


def test_txt_format_round_trips_through_format_txt(tmp_path: Path) -> None:
    turns = [(2.0, "m1", "Hi Helen, thanks for coming in."), (27.0, "p1", "Yes, that's fine."),
             (513.0, "o1", "Just one quick one?"), (3725.0, "p1", "Bye then.")]
    text = format_txt(turns)
    segments = parse_transcript(write(tmp_path, "interview-04.txt", text))

    assert "[08:33] [o1] Just one quick one?" in text
    assert "[01:02:05] [p1] Bye then." in text
    assert [(s.start, s.speaker, s.text) for s in segments] == turns


def test_txt_accepts_missing_labels_and_continuation_lines(tmp_path: Path) -> None:
    content = "Session notes, Helen\n\n[00:02] [Dana] First question?\nwrapped onto a second line\n" \
              "[00:10] An answer without a label.\n[01:00:01.5] [p1] Late remark.\n"
    segments = parse_transcript(write(tmp_path, "notes.txt", content))

    assert [(s.start, s.speaker, s.text) for s in segments] == [
        (2.0, "Dana", "First question? wrapped onto a second line"),
        (10.0, "Dana", "An answer without a label."),
        (3601.5, "p1", "Late remark."),
    ]


def test_txt_name_prefix_is_honoured_when_the_label_part_is_missing(tmp_path: Path) -> None:
    content = "[00:01] Dana: Hello.\n[00:03] Sam: Hi.\n[00:05] Dana: Ready?\n[00:07] Sam: Yes.\n"
    segments = parse_transcript(write(tmp_path, "x.txt", content))

    assert [segment.speaker for segment in segments] == ["Dana", "Sam", "Dana", "Sam"]


def test_text_encodings_are_tolerated(tmp_path: Path) -> None:
    line = "[00:01] [p1] Caf\u00e9 cr\u00e8me, \u201cnice\u201d.\n"
    for name, data in [("bom.txt", b"\xef\xbb\xbf" + line.encode("utf-8")),
                       ("legacy.txt", line.encode("cp1252")),
                       ("wide.txt", line.encode("utf-16"))]:
        assert parse_transcript(write(tmp_path, name, data))[0].text == "Caf\u00e9 cr\u00e8me, \u201cnice\u201d."


def test_non_ascii_file_name_with_spaces_parses(tmp_path: Path) -> None:
    segments = parse_transcript(write(tmp_path, "Entrevista Zoë 5.vtt", ZOOM_VTT))

    assert len(segments) == 4


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.vtt", b"", "empty file"),
    ("blank.srt", b"  \n\r\n", "empty file"),
    ("bom-only.txt", b"\xef\xbb\xbf\n", "empty file"),
    ("junk.vtt", random.Random(1).randbytes(2048), "not a text file"),
    ("no-header.vtt", b"00:00:01.000 --> 00:00:02.000\nHello\n", "not a WebVTT file (no WEBVTT header)"),
    ("header-only.vtt", b"WEBVTT\n\nNOTE nothing said\n", "no speech found in the transcript"),
    ("bad-times.vtt", b"WEBVTT\n\n00:00:01.000 --> 00:00:99.000\nHello\n", "no speech found in the transcript"),
    ("prose.srt", b"Just some notes about the interview.\n", "not an SRT file (line 1"),
    ("notes.txt", b"We talked about the app.\nIt went well.\n", "no timestamped lines"),
    ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "not a .docx file (not a zip archive)"),
    ("text.docx", b"Ravi Menon   0:03\nHello\n", "not a .docx file (not a zip archive)"),
    ("slides.pdf", b"%PDF-1.4", "unsupported transcript type .pdf"),
])
def test_bad_input_raises_a_plain_parse_error(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_transcript(write(tmp_path, name, content))


def test_zip_that_is_not_a_word_document_is_named(tmp_path: Path) -> None:
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")

    with pytest.raises(ParseError, match="no Word document inside the zip archive"):
        parse_transcript(path)


def test_docx_without_turns_has_no_speech(tmp_path: Path) -> None:
    path = write_docx(tmp_path, "title-only.docx", ["Interview 03 - Transcript", "14 October 2026"])

    with pytest.raises(ParseError, match="no speech found"):
        parse_transcript(path)


@pytest.mark.parametrize("extension", [".vtt", ".srt", ".txt", ".docx"])
def test_random_bytes_only_ever_raise_parse_error(tmp_path: Path, extension: str) -> None:
    rng = random.Random(extension)
    prefixes = [b"", b"WEBVTT\n\n", b"1\n00:00:01,000 --> 00:00:02,000\n", b"PK\x03\x04", b"\xef\xbb\xbf"]
    for attempt in range(200):
        data = rng.choice(prefixes) + rng.randbytes(rng.choice([1, 16, 300, 3000]))
        path = write(tmp_path, f"fuzz{attempt}{extension}", data)
        try:
            parse_transcript(path)
        except ParseError:
            pass


def test_labelled_prefix_is_a_speaker_when_the_label_recurs() -> None:
    texts = ["Jane Doe: Hello.", "Sam: Hi.", "Jane Doe: Ready?", "Sam: Yes."]

    assert split_speaker_prefixes(texts) == [
        ("Jane Doe", "Hello."), ("Sam", "Hi."), ("Jane Doe", "Ready?"), ("Sam", "Yes.")]


def test_colon_phrase_inside_an_unlabelled_file_stays_text() -> None:
    texts = ["So I tapped the button.", "Basically: it broke.", "Then I waited.", "Nothing happened."]

    assert split_speaker_prefixes(texts) == [(None, text) for text in texts]


def test_note_like_words_times_and_links_are_never_speakers() -> None:
    texts = ["Dana: Hi.", "Sam: Note: this is fine.", "Note: also fine.", "Dana: At 10:30?",
             "Sam: see https://example.com", "Note: again.", "Dana: Ok."]
    results = split_speaker_prefixes(texts)

    assert results[2] == (None, "Note: also fine.")
    assert results[5] == (None, "Note: again.")
    assert results[1] == ("Sam", "Note: this is fine.")
    assert split_speaker_prefixes(["At 10:30 we met.", "Go to https://x.org"]) == [
        (None, "At 10:30 we met."), (None, "Go to https://x.org")]


def test_prefix_that_reads_like_a_sentence_is_not_a_label() -> None:
    texts = ["Well, the thing I noticed was this: it's slow.", "And so on and so forth, really: yes."] * 2

    assert all(label is None for label, _ in split_speaker_prefixes(texts))


def test_known_label_patterns_count_even_once() -> None:
    texts = ["Interviewer: How was it?", "It was fine, to be honest.", "Mostly.", "p2: I agree."]

    assert [label for label, _ in split_speaker_prefixes(texts)] == ["Interviewer", None, None, "p2"]


def test_directory_style_names_are_labels_but_comma_phrases_are_not() -> None:
    texts = ["Doe, Jane: Hello.", "Okafor, Marcus: Hi.", "Doe, Jane: Ready?", "Well, basically: yes.",
             "Okafor, Marcus: Yes."]

    assert [label for label, _ in split_speaker_prefixes(texts)] == ["Doe, Jane", "Okafor, Marcus", "Doe, Jane", None,
                                                                     "Okafor, Marcus"]


def test_once_speaking_label_counts_in_a_fully_labelled_file() -> None:
    texts = ["Dana: Hi.", "Sam: Hi.", "Dana: Shall we?", "Sam: Sure.", "Alex: Can I add one thing?"]

    assert split_speaker_prefixes(texts)[-1] == ("Alex", "Can I add one thing?")
