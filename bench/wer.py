"""Word error rate through ``doit`` against the bare faster-whisper model on the same audio.

Real read speech with known words: a human voice reading telephone prompts, from Debian's
``asterisk-core-sounds-en-wav`` (``scripts/make_read_speech.py`` joins them; some sentences
are said twice in a row, as people do). Without that package installed, the committed
75-second fixture ``tests/fixtures/read-speech.mp3`` is used. Also scores the two sample
recordings. The goal: bristlenose's transcript within 0.3 points of the bare model with the
same (beam-only) decoding. For reference, the bare model with faster-whisper's default
fallback to random sampling, which differs from run to run, is scored a few times too.

Run from the repository: ``python bench/wer.py [--minutes 5]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts import make_read_speech
from scripts.make_sample_media import SOURCES, read_script
from tests.support.speech import bare_model_text, product_text, wer

SAMPLES = {"interview-05.mp3": "interview-05", "interview-06.webm": "interview-06"}


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--sampled-runs", type=int, default=2,
                        help="runs of the bare model with faster-whisper's default (random) sampling fallback")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bristlenose-wer-bench-") as tmp:
        root = Path(tmp)
        print(f"{'recording':<26} {'words':>5}  {'bare model':>10}  {'through doit':>12}  {'difference':>10}  "
              f"{'bare, sampling fallback (runs)':>30}")
        for index, (recording, text) in enumerate(recordings(root, args.minutes)):
            bare = wer(text, bare_model_text(recording))
            product = wer(text, product_text(recording, root / f"study-{index}"))
            sampled = [wer(text, bare_model_text(recording, sampling=True)) for _ in range(args.sampled_runs)]
            print(f"{recording.name:<26} {len(text.split()):>5}  {bare:>10.2%}  {product:>12.2%}  "
                  f"{(product - bare) * 100:>+7.2f} pt  {' '.join(f'{w:.2%}' for w in sampled):>30}")


if __name__ == "__main__":
    main()
