"""Build the diarisation test recordings in ``tests/data/diarise/`` with their ground truth.

Usage (from the repository root; needs ``espeak-ng``, ``sox`` and Debian's
``asterisk-core-sounds-en-wav``; the product needs none of them)::

    python scripts/make_diarise_recordings.py

Five recordings of about a minute, each an Opus file and a ``.truth.json`` saying who
speaks when (seconds of each clip of speech, silence trimmed):

* ``espeak-2`` and ``espeak-3``: two and three distinct espeak-ng voices.
* ``human-2`` and ``human-3``: one real human voice (Asterisk's English prompts, recorded by
  one speaker at 8 kHz) as itself and pitch-shifted with sox to stand in for the other
  people. Pitch-shifted copies of one voice are closer to each other than different people
  usually are, so these are the harder set; they are labelled as such, not as real people.
* ``human-1``: the real voice alone, in turns with pauses: one speaker must stay one.

Every conversation of two or three has quick exchanges (0.15 s between turns), crosstalk (the next turn
starting 0.4 s before the last one ends), short backchannels ("mm-hm") spoken over the
middle of someone else's turn, and a 2.5 s pause inside one person's turn. The layout is
drawn from a fixed seed, so the files are reproducible.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "diarise"
RATE = 16_000
ASTERISK = Path("/usr/share/asterisk/sounds/en")
ESPEAK_VOICES = {"A": ("en-gb+m3", 50), "B": ("en-us+f3", 50), "C": ("en-us+klatt", 30)}
"""Three voices a listener tells apart at once (espeak-ng's ``m1`` and ``m3`` variants are so
alike that the voice encoder rates them 0.9 similar, as close as one voice to itself)."""
HUMAN_SHIFTS = {"A": 0, "B": -450, "C": 350}
"""Cents each stand-in person's voice is shifted from the one real voice."""

LINES = [
    "Thanks for making time today. Could you start by telling me how you submit an expense claim?",
    "Sure. I usually take a photo of the receipt on my phone and then fill in the form on my laptop.",
    "What happens after you press submit?",
    "It goes to my manager, and honestly I never know whether she has seen it or not.",
    "How do you find out when the money arrives?",
    "I check my bank account. The app never tells me anything, which is a bit odd.",
    "Right. And what would you expect it to tell you?",
    "A simple message saying approved, and the date of the payment run would be perfect.",
    "Is there anything you find confusing on the claim form itself?",
    "The cost centre field. Nobody knows their cost centre, so we all copy it from an old claim.",
    "That makes sense. Have you ever had a claim rejected?",
    "Once, because the receipt was blurry. I had to dig it out of the bin and take another photo.",
    "How long did it take to sort out?",
    "About two weeks, and by then I had forgotten what the claim was for.",
    "If you could change one thing, what would it be?",
    "Let me scan the receipt and fill in the rest for me. That is really all I want.",
]
BACKCHANNELS = ["mm-hm", "right", "yeah", "okay"]


@dataclass
class Clip:
    speaker: str
    audio: np.ndarray
    text: str


def trimmed(audio: np.ndarray, threshold: float = 0.01) -> np.ndarray:
    """``audio`` without leading and trailing silence (10 ms frames under ``threshold`` RMS)."""
    frames = len(audio) // 160
    rms = np.sqrt(np.mean(audio[:frames * 160].reshape(frames, 160) ** 2, axis=1))
    loud = np.flatnonzero(rms > threshold)
    return audio[loud[0] * 160:(loud[-1] + 1) * 160] if len(loud) else audio


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as handle:
        assert handle.getframerate() == RATE and handle.getnchannels() == 1
        return np.frombuffer(handle.readframes(handle.getnframes()), dtype="<i2").astype(np.float32) / 32768


def espeak(speaker: str, text: str, scratch: Path) -> Clip:
    voice, pitch = ESPEAK_VOICES[speaker]
    raw, out = scratch / "raw.wav", scratch / "clip.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-p", str(pitch), "-s", "160", "-w", str(raw), text], check=True)
    subprocess.run(["sox", "-D", str(raw), "-r", str(RATE), str(out)], check=True)
    return Clip(speaker, trimmed(read_wav(out)), text)


def human(speaker: str, prompt: str, scratch: Path) -> Clip:
    out = scratch / "clip.wav"
    shift = ["pitch", str(HUMAN_SHIFTS[speaker])] if HUMAN_SHIFTS[speaker] else []
    subprocess.run(["sox", "-D", str(ASTERISK / f"{prompt}.wav"), "-r", str(RATE), str(out), *shift], check=True)
    return Clip(speaker, trimmed(read_wav(out)), prompt)


def layout(turns: list[list[Clip]], backchannels: list[Clip], seed: int) -> tuple[np.ndarray, list[dict[str, object]]]:
    """Place turns one after another with varied gaps (some negative: crosstalk), a long
    pause inside one turn, and backchannels over the middle of long turns."""
    rng = random.Random(seed)
    placed: list[tuple[float, Clip]] = []
    clock = 0.8
    long_pause_turn = next(index for index in range(len(turns) // 2, len(turns)) if len(turns[index]) > 1)
    for index, turn in enumerate(turns):
        if index:
            clock += rng.choice([0.15, 0.15, 0.3, 0.6, 1.0, -0.4])
        turn_start = clock
        for part, clip in enumerate(turn):
            if part:
                clock += 2.5 if index == long_pause_turn and part == 1 else 0.35
            placed.append((clock, clip))
            clock += len(clip.audio) / RATE
        if backchannels and clock - turn_start > 4.0 and index % 3 == 1:
            listener = next((c for c in backchannels if c.speaker != turn[0].speaker), None)
            if listener is not None:
                backchannels.remove(listener)
                placed.append((turn_start + (clock - turn_start) * 0.55, listener))
    total = max(start + len(clip.audio) / RATE for start, clip in placed) + 1.0
    mix = np.zeros(int(total * RATE), dtype=np.float32)
    truth = []
    for start, clip in sorted(placed, key=lambda item: item[0]):
        at = int(start * RATE)
        mix[at:at + len(clip.audio)] += clip.audio
        truth.append({"speaker": clip.speaker, "start": round(at / RATE, 3),
                      "end": round((at + len(clip.audio)) / RATE, 3), "text": clip.text})
    return mix / max(1.0, float(np.abs(mix).max()) / 0.9), truth


def write_opus(path: Path, audio: np.ndarray) -> None:
    """Mono Opus in Ogg at 24 kbit/s, written with PyAV (no ffmpeg program needed)."""
    with av.open(str(path), "w", format="ogg", options={"fflags": "+bitexact"}) as container:
        stream = container.add_stream("libopus", rate=48_000)
        stream.layout, stream.bit_rate = "mono", 24_000
        upsampled = np.interp(np.arange(len(audio) * 3) / 3, np.arange(len(audio)), audio).astype(np.float32)
        for start in range(0, len(upsampled), 960):
            frame = av.AudioFrame.from_ndarray(upsampled[None, start:start + 960], format="flt", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = 48_000, start, Fraction(1, 48_000)
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))


def espeak_conversation(speakers: str, scratch: Path) -> tuple[list[list[Clip]], list[Clip]]:
    """The interview lines: the first speaker asks, the others take turns answering, each
    answer split at its sentences."""
    turns = []
    for index, line in enumerate(LINES):
        speaker = speakers[0] if index % 2 == 0 else speakers[1 + (index // 2) % (len(speakers) - 1)]
        turns.append([espeak(speaker, sentence, scratch) for sentence in re.split(r"(?<=[.?])\s+", line)])
    backchannels = [espeak(s, word, scratch) for s in speakers for word in BACKCHANNELS]
    return turns, backchannels


def human_conversation(speakers: str, scratch: Path, seed: int) -> tuple[list[list[Clip]], list[Clip]]:
    """Turns of one to three long Asterisk prompts, backchannels from its shortest words."""
    rng = random.Random(seed)
    long_prompts = sorted(p.stem for p in ASTERISK.glob("*.wav") if 2.5 < _seconds(p) < 6.0)
    rng.shuffle(long_prompts)
    turns = []
    for index in range(14 if len(speakers) > 1 else 8):
        speaker = speakers[0] if index % 2 == 0 or len(speakers) == 1 else speakers[1 + (index // 2) % (len(speakers) - 1)]
        count = 1 if index % 2 == 0 else rng.choice([2, 2, 3])
        turns.append([human(speaker, long_prompts.pop(), scratch) for _ in range(count)])
    backchannels = [human(s, word, scratch) for s in speakers for word in ["hello", "vm-and", "with", "is"]]
    return turns, backchannels


def _seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as handle:
        return handle.getnframes() / handle.getframerate()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        cases = {
            "espeak-2": espeak_conversation("AB", scratch),
            "espeak-3": espeak_conversation("ABC", scratch),
            "human-2": human_conversation("AB", scratch, seed=2),
            "human-3": human_conversation("ABC", scratch, seed=3),
            "human-1": human_conversation("A", scratch, seed=1),
        }
        for seed, (name, (turns, backchannels)) in enumerate(cases.items()):
            audio, truth = layout(turns, backchannels, seed)
            write_opus(OUT / f"{name}.ogg", audio)
            (OUT / f"{name}.truth.json").write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")
            print(f"{name}: {len(audio) / RATE:.0f} s, {(OUT / f'{name}.ogg').stat().st_size / 1024:.0f} KiB, "
                  f"{len({t['speaker'] for t in truth})} speakers")


if __name__ == "__main__":
    main()
