"""Recordings made in the tests themselves, with PyAV and the standard library (no ffmpeg)."""

from __future__ import annotations

import math
import wave
from fractions import Fraction
from pathlib import Path

import av
import numpy as np


def pcm_wav(path: Path, seconds: float = 5.0, rate: int = 16_000, amplitude: int = 0) -> Path:
    """A 16-bit mono PCM WAV of a 440 Hz tone (``amplitude`` 0 is digital silence): a recording
    every decoder and browser plays, made with no codec."""
    tone = amplitude * np.sin(2 * math.pi * 440 * np.arange(int(seconds * rate)) / rate)
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(tone.astype("<i2").tobytes())
    return path


def video_without_audio(path: Path, seconds: int = 2) -> Path:
    """An MPEG-4 video with a picture track and no audio track."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=5)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for _ in range(5 * seconds):
            frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), dtype=np.uint8), format="rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


def tone_m4a(path: Path, seconds: float = 4.0, rate: int = 16_000) -> Path:
    """An AAC tone in an MP4 container, whose index is written at the end (as ffmpeg does)."""
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=rate)
        stream.layout = "mono"
        samples = (0.2 * np.sin(2 * math.pi * 440 * np.arange(int(seconds * rate)) / rate)).astype(np.float32)
        for start in range(0, len(samples), 1024):
            frame = av.AudioFrame.from_ndarray(samples[None, start:start + 1024], format="flt", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = rate, start, Fraction(1, rate)
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path
