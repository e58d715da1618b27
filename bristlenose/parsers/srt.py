"""SubRip captions → raw segments."""

from __future__ import annotations

import html
import re

import srt

from bristlenose.parsers.base import ParseError, RawSegment, clean_text, split_speaker_prefixes
from bristlenose.parsers.boilerplate import is_boilerplate

_FORMATTING = re.compile(r"<[^>]*>|\{\\[^}]*\}")


def parse_srt(text: str) -> list[RawSegment]:
    """Segments of an SRT file, one per subtitle that has words.

    Speakers come from ``Name: `` prefixes where the file has them (a subtitle without one
    belongs to the speaker before it); files without labels give speaker ``""``. Platform
    notices are not speech.
    """
    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as error:
        line = text.count("\n", 0, error.expected_start) + 1
        raise ParseError(f"not an SRT file (line {line} is not part of a numbered subtitle block)") from error
    except srt.TimestampParseError as error:
        raise ParseError(f"not an SRT file ({error})") from error
    cues = [(subtitle, clean_text(html.unescape(_FORMATTING.sub("", subtitle.content)))) for subtitle in subtitles]
    cues = [(subtitle, words) for subtitle, words in cues if words and not is_boilerplate(words)]
    segments: list[RawSegment] = []
    speaker = ""
    for (subtitle, _), (label, words) in zip(cues, split_speaker_prefixes([words for _, words in cues])):
        speaker = label if label is not None else speaker
        if words and not is_boilerplate(words):
            segments.append(RawSegment(
                start=subtitle.start.total_seconds(),
                end=subtitle.end.total_seconds(),
                speaker=speaker,
                text=words,
            ))
    return segments

