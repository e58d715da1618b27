"""Benchmark speaker diarisation: who speaks when, against the ground truth.

For each recording in ``tests/data/diarise/`` (made by ``scripts/make_diarise_recordings.py``):
Whisper (bundled ``tiny.en``) transcribes it, then the words are split into speakers by
voice (what the build does) and, for comparison, by the old alternating splitter. Printed:
voices found against the truth, the share of attributed speech time given to the right
speaker (best mapping of labels to people; in crosstalk, either person counts), the share of
true speech time Whisper's words cover at all, the session's recorded confidence, and the
diarisation's speed against real time (Whisper's time not included).

``--long MINUTES`` also times diarisation alone on a recording of that length, made by
repeating ``espeak-3`` and its recognition (speed only: repeats say nothing about accuracy).

Run from the repository: ``python bench/diarise.py [--long 10]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bristlenose.analysis.turns import split_turns
from bristlenose.diarise import diarise
from bristlenose.models import RecognisedSegment, Recognition, SpeechSpan, Word
from bristlenose.transcribe import WhisperOptions, load_model, recognise
from bristlenose.transcribe.media import SAMPLE_RATE, load_audio
from tests.support.diarisation import RECORDINGS, score, truth


def shifted(recognition: Recognition, offset: float) -> list[RecognisedSegment]:
    """The recognition's segments moved ``offset`` seconds later."""
    return [RecognisedSegment(start=s.start + offset, end=s.end + offset, text=s.text,
                              words=[Word(start=w.start + offset, end=w.end + offset, text=w.text,
                                          probability=w.probability) for w in s.words])
            for s in recognition.segments]


def long_run(minutes: float, recognition: Recognition, audio: np.ndarray) -> None:
    repeats = max(1, int(minutes * 60 // recognition.duration))
    segments = [seg for n in range(repeats) for seg in shifted(recognition, n * recognition.duration)]
    tiled = Recognition(recording="long", duration=recognition.duration * repeats, segments=segments,
                        speech=[SpeechSpan(start=0, end=recognition.duration * repeats)])
    start = time.perf_counter()
    diarise(np.tile(audio, repeats), tiled)
    took = time.perf_counter() - start
    print(f"\n{tiled.duration / 60:.1f} min (espeak-3 x{repeats}): diarised in {took:.1f} s, "
          f"{tiled.duration / took:.0f}x real time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", type=float, default=0.0, help="also time a recording of this many minutes")
    args = parser.parse_args()
    options = WhisperOptions()
    load_model(options)
    print(f"{'recording':<10} {'voices':>7} {'right':>7} {'covered':>8} {'conf':>6} {'speed':>8}   alternating")
    kept: dict[str, tuple[Recognition, np.ndarray]] = {}
    for path in sorted(RECORDINGS.glob("*.ogg")):
        recognition = recognise(path, path.name, options)
        audio, _ = load_audio(path, path.name)
        kept[path.stem] = (recognition, audio)
        start = time.perf_counter()
        cues, record = diarise(audio, recognition)
        took = time.perf_counter() - start
        found = score(cues, truth(path.stem))
        old = score(split_turns(recognition), truth(path.stem))
        print(f"{path.stem:<10} {found.speakers_found:>3}/{found.speakers_true:<3} {found.right:>7.1%} "
              f"{found.covered:>8.1%} {record.confidence:>6.2f} {len(audio) / SAMPLE_RATE / took:>7.0f}x   "
              f"{old.right:.1%}")
    if args.long:
        long_run(args.long, *kept["espeak-3"])


if __name__ == "__main__":
    main()
