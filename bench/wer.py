"""Word error rate through ``doit`` against the bare faster-whisper model on the same audio.

Real read speech with known words: a human voice reading telephone prompts, from Debian's
``asterisk-core-sounds-en-wav`` (``scripts/make_read_speech.py`` joins them; some sentences
are said twice in a row, as people do). Without that package installed, the committed
75-second fixture ``tests/fixtures/read-speech.mp3`` is used. Also scores the two sample
recordings. The goal: bristlenose's transcript within 0.3 points of the bare model with the
same (beam-only) decoding. For reference, the bare model with faster-whisper's default
fallback to random sampling, which differs from run to run, is scored a few times too.

``--corpus`` scores many more recordings, so that no figure rests on one voice or one study:
the five domain studies' scripts (``tests/studies/sources``) spoken by espeak-ng voices (when
``espeak-ng`` is installed), real read speech from four other starting points, 12 minutes of
it (three windows), and real read speech around 45 s of silence (where the bare model invents
words); then the total over all of them.

Run from the repository: ``python bench/wer.py [--minutes 5] [--corpus]``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import jiwer
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts import make_read_speech
from scripts.make_sample_media import SOURCES, Turn, read_script, speak
from tests.support.speech import bare_model_text, product_text, wer, words

SAMPLES = {"interview-05.mp3": "interview-05", "interview-06.webm": "interview-06"}
STUDY_SCRIPTS = REPO / "tests" / "studies" / "sources"
ESPEAK_VOICES = ("en-us+f3", "en-gb+m3", "en-us+m1", "en-gb+f2")
TURNS_SPOKEN = 7


def recordings(root: Path, minutes: float) -> list[tuple[Path, str]]:
    """(recording, reference text) of every case the bench scores."""
    cases = []
    if make_read_speech.TEXTS.is_file():
        samples, text = make_read_speech.read_speech(minutes * 60)
        speech = root / f"read-speech-{minutes:g}min.wav"
        make_read_speech.write_wav(speech, samples)
        cases.append((speech, text))
    else:
        print("asterisk-core-sounds-en-wav is not installed: scoring the 75 s fixture instead")
        fixture = make_read_speech.FIXTURE
        cases.append((fixture.with_suffix(".mp3"), fixture.with_suffix(".txt").read_text(encoding="utf-8")))
    for name, script in SAMPLES.items():
        text = " ".join(turn.text for turn in read_script(SOURCES / f"{script}.script.txt"))
        cases.append((REPO / "sample_data" / name, text))
    return cases


def corpus(root: Path) -> list[tuple[Path, str]]:
    """The ``--corpus`` recordings beyond the default ones (see the module's docstring)."""
    cases = []
    if shutil.which("espeak-ng"):
        for script in sorted(STUDY_SCRIPTS.glob("*/*.script")):
            turns = [Turn(*(part.strip() for part in line.split("|", 1)))
                     for line in script.read_text(encoding="utf-8").splitlines()
                     if "|" in line and not line.startswith("#")][:TURNS_SPOKEN]
            speakers = dict.fromkeys(turn.speaker for turn in turns)
            voices = {speaker: ESPEAK_VOICES[index % len(ESPEAK_VOICES)] for index, speaker in enumerate(speakers)}
            recording = root / f"{script.parent.name}-{script.name.split('.')[0]}.wav"
            speak(turns, recording, root, voices)
            cases.append((recording, " ".join(turn.text for turn in turns)))
    else:
        print("espeak-ng is not installed: no synthetic studies in the corpus")
    if make_read_speech.TEXTS.is_file():
        for first in (30, 60, 90, 120):
            samples, text = make_read_speech.read_speech(75, first=first)
            cases.append((wav(root / f"read-speech-from-{first}.wav", samples), text))
        samples, text = make_read_speech.read_speech(12 * 60)
        cases.append((wav(root / "read-speech-12min.wav", samples), text))
        samples, text = make_read_speech.read_speech(60)
        silence = np.zeros(45 * make_read_speech.RATE, dtype="<i2")
        paused = np.concatenate([samples[:len(samples) // 2], silence, samples[len(samples) // 2:], silence])
        cases.append((wav(root / "read-speech-around-45s-silence.wav", paused), text))
    return cases


def wav(path: Path, samples: np.ndarray) -> Path:
    make_read_speech.write_wav(path, samples)
    return path


def errors(reference: str, heard: str) -> int:
    """Substitutions, deletions and insertions of ``heard`` against ``reference``."""
    found = jiwer.process_words(words(reference), words(heard))
    return found.substitutions + found.deletions + found.insertions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--sampled-runs", type=int, default=2,
                        help="runs of the bare model with faster-whisper's default (random) sampling fallback")
    parser.add_argument("--corpus", action="store_true", help="also score the wider corpus, and print a total")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bristlenose-wer-bench-") as tmp:
        root = Path(tmp)
        print(f"{'recording':<34} {'words':>5}  {'bare model':>10}  {'through doit':>12}  {'difference':>10}  "
              f"{'bare, sampling fallback (runs)':>30}", flush=True)
        cases = recordings(root, args.minutes) + (corpus(root) if args.corpus else [])
        totals = [0, 0, 0]
        for index, (recording, text) in enumerate(cases):
            bare_text, heard = bare_model_text(recording), product_text(recording, root / f"study-{index}")
            bare, product = wer(text, bare_text), wer(text, heard)
            sampled = [wer(text, bare_model_text(recording, sampling=True)) for _ in range(args.sampled_runs)]
            print(f"{recording.name:<34} {len(words(text).split()):>5}  {bare:>10.2%}  {product:>12.2%}  "
                  f"{(product - bare) * 100:>+7.2f} pt  {' '.join(f'{w:.2%}' for w in sampled):>30}", flush=True)
            totals = [totals[0] + len(words(text).split()), totals[1] + errors(text, bare_text),
                      totals[2] + errors(text, heard)]
        said, bare_errors, doit_errors = totals
        print(f"{'all ' + str(len(cases)) + ' recordings':<34} {said:>5}  {bare_errors / said:>10.2%}  "
              f"{doit_errors / said:>12.2%}  {(doit_errors - bare_errors) / said * 100:>+7.2f} pt")


if __name__ == "__main__":
    main()
