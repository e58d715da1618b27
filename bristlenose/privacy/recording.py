"""A recording with its redacted stretches silenced, for the report to play instead of the
original.

Values found in a transcribed recording carry their word timings and are silenced word-exact
(with a little padding, as word boundaries from Whisper are approximate); a value in a
session whose transcript came from a file has no word timings, so its whole caption cue is
silenced. The copy is AAC in an MP4 container (``.m4a``): every browser plays it.
"""

from __future__ import annotations

import io
from fractions import Fraction

import av
import numpy as np

from bristlenose.models import Redactions, Transcript

PAD_SECONDS = 0.15
"""Silence this much either side of a value's words."""
CUE_FALLBACK_SECONDS = 30.0
"""Length silenced for a last cue that has no end time."""
BIT_RATE = 48_000
FRAME = 1024


def silenced_spans(transcript: Transcript, record: Redactions) -> list[tuple[float, float]]:
    """Merged (start, end) seconds to silence for every redacted value said aloud."""
    segments = sorted(transcript.segments, key=lambda s: s.start)
    bounds = {}
    for n, segment in enumerate(segments):
        following = segments[n + 1].start if n + 1 < len(segments) else segment.start + CUE_FALLBACK_SECONDS
        bounds[segment.index] = (segment.start, segment.end if segment.end is not None else following)
    spans = []
    for item in record.items:
        if item.where != "segment" or item.segment not in bounds:
            continue
        if item.time_start is not None and item.time_end is not None:
            spans.append((max(0.0, item.time_start - PAD_SECONDS), item.time_end + PAD_SECONDS))
        else:
            spans.append(bounds[item.segment])
    merged: list[tuple[float, float]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def silence(samples: np.ndarray, rate: int, spans: list[tuple[float, float]]) -> np.ndarray:
    """A copy of ``samples`` with every span set to digital silence."""
    quiet = samples.copy()
    for start, end in spans:
        quiet[int(start * rate):int(end * rate)] = 0
    return quiet


def encode_m4a(samples: np.ndarray, rate: int) -> bytes:
    """Mono float samples as AAC in an MP4 container."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=rate)
        stream.layout = "mono"
        stream.bit_rate = BIT_RATE
        data = samples.astype(np.float32)
        for start in range(0, len(data), FRAME):
            frame = av.AudioFrame.from_ndarray(data[None, start:start + FRAME], format="flt", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = rate, start, Fraction(1, rate)
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return buffer.getvalue()
