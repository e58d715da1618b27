"""Reading a recording's audio, with a plain, named error for every way a file can be bad.

PyAV (faster-whisper's dependency) carries its own FFmpeg libraries, so decoding needs no
``ffmpeg`` program on ``PATH``. A file that opens but stops well before the length its
header declares (an interrupted download or copy) is still transcribed up to the cut, with
a warning that names the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # PyAV and numpy load in ~1 s: only when a recording is read, never on a no-op run
    import numpy as np

SAMPLE_RATE = 16_000
TRUNCATED_SHARE = 0.9
"""Decoded audio shorter than this share of the declared duration counts as truncated."""
TRUNCATED_SLACK_SECONDS = 1.0

AUDIO_FIRST = (".wav", ".flac", ".m4a", ".mp3", ".ogg", ".opus", ".aac")
"""When a session has several recordings, an audio-only one is transcribed first: same
speech, less to decode."""


class MediaError(Exception):
    """A recording that cannot be transcribed, said plainly, naming the file."""


def pick_recording(recordings: list[str]) -> str:
    """The recording to transcribe: audio-only formats before video, then by name."""
    def rank(path: str) -> tuple[int, str]:
        suffix = Path(path).suffix.lower()
        return (AUDIO_FIRST.index(suffix) if suffix in AUDIO_FIRST else len(AUDIO_FIRST), path)

    return min(recordings, key=rank)


def load_audio(path: Path, name: str) -> tuple[np.ndarray, str | None]:
    """16 kHz mono samples of ``path`` and a warning if the file looks truncated.

    ``name`` is how the file is called in messages (relative to the input folder).
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise MediaError(f"{name} cannot be read: {exc.strerror or exc}") from None
    if size == 0:
        raise MediaError(f"{name} is empty (0 bytes)")
    import av
    from faster_whisper.audio import decode_audio

    declared = _declared_seconds(path, name)
    try:
        audio = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except (av.error.FFmpegError, OSError, ValueError, IndexError) as exc:
        raise MediaError(f"{name} is damaged: its audio could not be decoded (FFmpeg: {_reason(exc)})") from None
    decoded = len(audio) / SAMPLE_RATE
    warning = None
    if declared and decoded < declared * TRUNCATED_SHARE - TRUNCATED_SLACK_SECONDS:
        warning = (f"{name} looks truncated: its audio stops at {_clock(decoded)} of the {_clock(declared)} "
                   "its header declares; transcribed up to the cut")
    return audio, warning


def declared_seconds(path: Path) -> float | None:
    """The length a recording's header declares, or None when it cannot tell (for estimates)."""
    try:
        return _declared_seconds(path, path.name)
    except MediaError:
        return None


def _declared_seconds(path: Path, name: str) -> float | None:
    """The duration the container declares, after checking it has an audio track at all."""
    import av

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise MediaError(f"{name} has no audio track")
            return container.duration / av.time_base if container.duration else None
    except av.error.FFmpegError as exc:
        raise MediaError(f"{name} is damaged or not a recording (FFmpeg: {_reason(exc)})") from None


def _reason(exc: Exception) -> str:
    """FFmpeg's words without the absolute path PyAV appends."""
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.rstrip(". ")


def _clock(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"
