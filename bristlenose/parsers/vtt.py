"""WebVTT captions (Zoom, Teams, most recorders) → raw segments."""

from __future__ import annotations

import html

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError
from webvtt.models import Timestamp

from bristlenose.parsers.base import ParseError, RawSegment, clean_text, split_speaker_prefixes
from bristlenose.parsers.boilerplate import is_boilerplate


def parse_vtt(text: str) -> list[RawSegment]:
    """Segments of a WebVTT file, one per cue that has words.

    Teams names speakers in ``<v Name>`` voice spans, Zoom in ``Name: `` prefixes; a cue
    without either belongs to the speaker before it. Platform notices are not speech.
    """
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise ParseError("not a WebVTT file (no WEBVTT header)")
    try:
        captions = webvtt.from_string(text).captions
    except (MalformedFileError, MalformedCaptionError) as error:
        raise ParseError(f"malformed WebVTT file ({error})") from error
    cues = [(caption, clean_text(html.unescape(caption.text))) for caption in captions]
    cues = [(caption, words) for caption, words in cues if words and not is_boilerplate(words)]
    if any(caption.voice for caption, _ in cues):
        labelled = [(caption.voice, words) for caption, words in cues]
    else:
        labelled = split_speaker_prefixes([words for _, words in cues])
    segments: list[RawSegment] = []
    speaker = ""
    for (caption, _), (label, words) in zip(cues, labelled):
        speaker = clean_text(label) if label else speaker
        if words and not is_boilerplate(words):
            segments.append(RawSegment(
                start=_seconds(caption.start_time),
                end=_seconds(caption.end_time),
                speaker=speaker,
                text=words,
            ))
    return segments


def _seconds(timestamp: Timestamp) -> float:
    """A cue time in seconds, milliseconds included."""
    return timestamp.hours * 3600 + timestamp.minutes * 60 + timestamp.seconds + timestamp.milliseconds / 1000
