"""Recordings made in the tests themselves, with PyAV and the standard library (no ffmpeg)."""

from __future__ import annotations

import math
import wave
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts" / "sample_sources"


def script_turns(name: str) -> list[tuple[str, str]]:
    """(speaker, text) turns of a sample recording's script (``m`` or ``p``)."""
    turns = []
    for line in (SCRIPTS / f"{name}.script.txt").read_text(encoding="utf-8").splitlines():
        if line[:2] in ("m:", "p:"):
            turns.append((line[0], line[2:].strip()))
    return turns


def silence_wav(path: Path, seconds: float = 5.0, rate: int = 16_000) -> Path:
    """A valid WAV file of digital silence."""
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(b"\0\0" * int(seconds * rate))
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
