"""Platform notices and footers (Meet, Gemini, Teams, Zoom) never become speech, in every
format; a participant who mentions the same words in a sentence keeps them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bristlenose.parsers import ParseError, parse_transcript
from bristlenose.parsers.boilerplate import is_boilerplate
from tests.test_parsers import speakers_and_texts, write, write_docx

MEET_FOOTER = ("This editable transcript was computer generated and might contain errors. "
               "People can also change the text after it was created.")
MEET_TURNS = [
    "00:00:00",
    "Alex Chen: Thanks for joining me today. Could you open the app?",
    "Sam Lee: Sure. The first screen asks me to sign in, which I didn't expect.",
    "00:05:00",
    "Alex Chen: Anything else?",
    "Sam Lee: No, I think that's everything.",
]


def _all_text(segments: list) -> str:
    return " ".join(segment.text for segment in segments).casefold()


def test_meet_docx_footer_stays_out_of_the_last_turn(tmp_path: Path) -> None:
    path = write_docx(tmp_path, "Interview 07 (2026-10-14 14:05 GMT+01:00) - Transcript.docx", [
        "Interview 07 (2026-10-14 14:05 GMT+01:00) - Transcript", "Attendees", "Alex Chen, Sam Lee", "Transcript",
        *MEET_TURNS, "Transcription ended after 00:08:09", "", MEET_FOOTER,
    ])
    segments = parse_transcript(path)

    assert speakers_and_texts(segments)[-1] == ("Sam Lee", "No, I think that's everything.")
    assert len(segments) == 4
    assert "ended after" not in _all_text(segments) and "editable" not in _all_text(segments)


def test_meet_footer_as_separate_paragraphs_with_curly_apostrophes_is_dropped(tmp_path: Path) -> None:
    path = write_docx(tmp_path, "meet.docx", [
        *MEET_TURNS, "Meeting ended after 00:08:09 👋",
        "This editable transcript was computer generated and might contain errors.",
        "People can also change the text after it was created.",
    ])
    assert speakers_and_texts(parse_transcript(path))[-1] == ("Sam Lee", "No, I think that's everything.")


GEMINI_NOTES = [
    "📝 Notes", "Oct 14, 2026", "Interview 07 - Notes by Gemini", "Invited Alex Chen Sam Lee",
    "Attachments Interview 07", "Meeting records Transcript Recording", "Summary",
    "Alex Chen and Sam Lee discussed signing in: Sam Lee found the sign-in screen unexpected.",
    "Details",
    "Sign-in surprise: Sam Lee did not expect to sign in before browsing (00:00:20).",
    "Next steps: Alex Chen will share the findings with the team.",
    "Suggested next steps", "Alex Chen will write up the sign-in findings.",
    "You should review Gemini’s notes to make sure they’re accurate. Get tips and learn how Gemini takes notes",
    "Please provide feedback about using Gemini to take notes in a short survey.",
]


def test_gemini_notes_document_keeps_only_its_transcript_tab(tmp_path: Path) -> None:
    path = write_docx(tmp_path, "Interview 07 - Notes by Gemini.docx", [
        *GEMINI_NOTES, "📖 Transcript", "Oct 14, 2026", "Interview 07 - Transcript", *MEET_TURNS,
        "Transcription ended after 00:08:09", MEET_FOOTER,
    ])
    segments = parse_transcript(path)

    assert [segment.speaker for segment in segments] == ["Alex Chen", "Sam Lee", "Alex Chen", "Sam Lee"]
    assert "gemini" not in _all_text(segments) and "discussed" not in _all_text(segments)
    assert segments[-1].text == "No, I think that's everything."


def test_gemini_notes_without_a_transcript_are_a_named_error_not_speech(tmp_path: Path) -> None:
    path = write_docx(tmp_path, "Interview 07 - Notes by Gemini.docx", GEMINI_NOTES)
    with pytest.raises(ParseError, match="Notes by Gemini.*not what was said"):
        parse_transcript(path)


def test_teams_docx_transcription_notices_are_not_turns(tmp_path: Path) -> None:
    path = write_docx(tmp_path, "Interview 08 - Transcript.docx", [
        "Interview 08 - Transcript", "14 October 2026, 14:05", "12m 40s",
        "Ravi Menon started transcription",
        "Ravi Menon   0:03", "Shall we start?",
        "Chloe Park   0:06", "Yes. The recording has started, I can see the red dot.",
        "Ravi Menon stopped transcription",
    ])
    assert speakers_and_texts(parse_transcript(path)) == [
        ("Ravi Menon", "Shall we start?"),
        ("Chloe Park", "Yes. The recording has started, I can see the red dot."),
    ]


def test_teams_vtt_transcription_notice_cue_is_dropped(tmp_path: Path) -> None:
    content = """WEBVTT

3f2a9c1e-0/1-0
00:00:00.000 --> 00:00:01.000
<v Ravi Menon>Ravi Menon started transcription</v>

3f2a9c1e-1/12-0
00:00:03.120 --> 00:00:05.980
<v Ravi Menon>Shall we start?</v>

3f2a9c1e-1/13-0
00:00:06.500 --> 00:00:08.000
<v Chloe Park>Yes, go ahead.</v>
"""
    assert speakers_and_texts(parse_transcript(write(tmp_path, "teams.vtt", content))) == [
        ("Ravi Menon", "Shall we start?"), ("Chloe Park", "Yes, go ahead.")]


def test_zoom_vtt_recording_notice_is_dropped_and_a_mention_in_speech_kept(tmp_path: Path) -> None:
    content = """WEBVTT

1
00:00:00.000 --> 00:00:02.500
This meeting is being recorded.

2
00:00:03.000 --> 00:00:06.000
Dana Whitfield: Hi Marcus. Before we start, this meeting is being recorded, is that okay?

3
00:00:06.500 --> 00:00:08.000
Marcus Okafor: Yes, that's fine.

4
00:00:08.200 --> 00:00:09.000
Marcus Okafor: Recording in progress.
"""
    assert speakers_and_texts(parse_transcript(write(tmp_path, "zoom.vtt", content))) == [
        ("Dana Whitfield", "Hi Marcus. Before we start, this meeting is being recorded, is that okay?"),
        ("Marcus Okafor", "Yes, that's fine."),
    ]


def test_srt_recording_notice_is_dropped(tmp_path: Path) -> None:
    content = ("1\n00:00:00,000 --> 00:00:02,000\nThis meeting is being recorded and transcribed.\n\n"
               "2\n00:00:02,500 --> 00:00:04,000\nDana: Hello Marcus.\n\n"
               "3\n00:00:04,500 --> 00:00:06,000\nMarcus: Hi Dana.\n\n"
               "4\n00:00:06,500 --> 00:00:08,000\nDana: Shall we start?\n\n"
               "5\n00:00:08,500 --> 00:00:09,000\nMarcus: Sure.\n")
    assert speakers_and_texts(parse_transcript(write(tmp_path, "zoom.srt", content))) == [
        ("Dana", "Hello Marcus."), ("Marcus", "Hi Dana."), ("Dana", "Shall we start?"), ("Marcus", "Sure.")]


def test_txt_footer_lines_do_not_continue_the_last_turn(tmp_path: Path) -> None:
    content = ("[00:00] [m1] Thanks for joining me today.\n[00:04] [p1] Happy to help,\nreally.\n"
               "[08:09] Transcription ended after 00:08:09\n"
               "This editable transcript was computer generated and might contain errors.\n"
               "People can also change the text after it was created.\n")
    assert speakers_and_texts(parse_transcript(write(tmp_path, "interview.txt", content))) == [
        ("m1", "Thanks for joining me today."), ("p1", "Happy to help, really.")]


@pytest.mark.parametrize("speech", [
    "I started transcription software once and gave up.",
    "They told me this meeting is being recorded.",
    "The transcription ended after ten minutes, I think.",
    "People can also change the text, can't they?",
])
def test_sentences_that_mention_a_notice_are_speech(speech: str) -> None:
    assert not is_boilerplate(speech)
