"""Build the sample recordings ``sample_data/interview-05.mp3`` and ``interview-06.webm``.

Usage (from the repository root; needs ``espeak-ng`` and ``ffmpeg``, the product does not)::

    python scripts/make_sample_media.py

Each ``scripts/sample_sources/interview-0N.script.txt`` holds the words of one interview, a
turn per line (``m: text`` for the moderator, ``p: text`` for the participant; ``#`` lines
are comments). The moderator and the participant are two distinct espeak-ng voices; turns
are separated by a pause longer than any pause inside a turn, as in a real interview. The
audio-only session is a mono MP3; the video session wraps the same kind of audio with a
plain coloured picture into WebM (VP8 + Opus), which every browser plays.

The scripts are also the reference text the transcription tests score Whisper against.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import wave
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "scripts" / "sample_sources"
SAMPLE = ROOT / "sample_data"
VOICES = {"m": "en-us+f3", "p": "en-gb+m3"}
WORDS_PER_MINUTE = 150
LEAD_IN_SECONDS = 0.8
TURN_GAP_SECONDS = 1.6


@dataclass(frozen=True)
class Turn:
    """One speaker turn of a sample script."""

    speaker: str
    text: str


def read_script(path: Path) -> list[Turn]:
    """The turns of a script file, in order."""
    turns = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        speaker, _, text = line.partition(":")
        if speaker not in VOICES or not text.strip():
            sys.exit(f"{path}: cannot read turn line {line!r}")
        turns.append(Turn(speaker, text.strip()))
    return turns


def speak(turns: list[Turn], out: Path, scratch: Path, voices: Mapping[str, str] = VOICES) -> None:
    """Speak every turn with its speaker's espeak-ng voice and join them with pauses into one mono WAV."""
    frames: list[bytes] = []
    params = None
    for index, turn in enumerate(turns):
        part = scratch / f"turn-{index:03d}.wav"
        subprocess.run(["espeak-ng", "-v", voices[turn.speaker], "-s", str(WORDS_PER_MINUTE), "-w", str(part),
                        turn.text], check=True)
        with wave.open(str(part), "rb") as handle:
            params = handle.getparams()
            gap = TURN_GAP_SECONDS if index else LEAD_IN_SECONDS
            frames.append(b"\0" * int(gap * params.framerate) * params.sampwidth)
            frames.append(handle.readframes(handle.getnframes()))
    assert params is not None
    with wave.open(str(out), "wb") as handle:
        handle.setparams(params)
        for chunk in frames + [b"\0" * int(LEAD_IN_SECONDS * params.framerate) * params.sampwidth]:
            handle.writeframes(chunk)


def ffmpeg(*args: str) -> None:
    """Run ffmpeg quietly, without metadata that would differ between machines."""
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        audio = scratch / "interview-05.wav"
        speak(read_script(SOURCES / "interview-05.script.txt"), audio, scratch)
        ffmpeg("-i", str(audio), "-ac", "1", "-ar", "22050", "-c:a", "libmp3lame", "-b:a", "32k",
               "-map_metadata", "-1", "-fflags", "+bitexact", str(SAMPLE / "interview-05.mp3"))
        video_audio = scratch / "interview-06.wav"
        speak(read_script(SOURCES / "interview-06.script.txt"), video_audio, scratch)
        ffmpeg("-f", "lavfi", "-i", "color=c=0x2f5d62:s=320x180:r=5", "-i", str(video_audio), "-shortest",
               "-c:v", "libvpx", "-b:v", "40k", "-c:a", "libopus", "-b:a", "24k", "-ac", "1",
               "-map_metadata", "-1", "-fflags", "+bitexact", str(SAMPLE / "interview-06.webm"))
    for name in ("interview-05.mp3", "interview-06.webm"):
        print(f"{name}: {(SAMPLE / name).stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
