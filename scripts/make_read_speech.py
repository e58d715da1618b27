"""Real read speech with known words, from Debian's ``asterisk-core-sounds-en-wav``.

Usage (from the repository root; needs ``apt-get install asterisk-core-sounds-en-wav``, the
product does not)::

    python scripts/make_read_speech.py            # rewrites tests/fixtures/read-speech.{mp3,txt}
    python scripts/make_read_speech.py 5 out.wav  # five minutes as WAV, its words in out.txt

The package holds a human voice (Allison Smith) reading telephone prompts, and
``core-sounds-en.txt`` holds what each prompt says. Prompts whose text is plain words (no
digits, no ``...`` or ``[tone]`` notes) are joined in name order: short pauses between the
sentences of a turn, a longer one between turns. Every :data:`SAID_TWICE`-th prompt is said
again right after itself, as its own sentence, because people do repeat a sentence and a
transcript must keep both. The committed fixture is the first :data:`FIXTURE_SECONDS` as a
small MP3 (made with PyAV, which the product already uses); tests score Whisper against its
text file.
"""

from __future__ import annotations

import gzip
import re
import sys
import wave
from fractions import Fraction
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SOUNDS = Path("/usr/share/asterisk/sounds/en_US_f_Allison")
TEXTS = Path("/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz")
FIXTURE = ROOT / "tests" / "fixtures" / "read-speech"
FIXTURE_SECONDS = 75.0
RATE = 8_000
SENTENCE_PAUSE = 0.45
TURN_PAUSE = 1.4
SENTENCES_PER_TURN = 4
SAID_TWICE = 7
LEAD_IN = 0.0
"""No silence before the first word: recordings often start right at speech."""
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z ,.'?!-]+$")


def prompts() -> list[tuple[str, str]]:
    """(wav file name, text) of every plain-worded prompt of four words or more, by name."""
    if not TEXTS.is_file():
        sys.exit("install Debian's asterisk-core-sounds-en-wav first (apt-get install asterisk-core-sounds-en-wav)")
    found = []
    for line in gzip.decompress(TEXTS.read_bytes()).decode("utf-8").splitlines():
        name, _, text = line.partition(": ")
        text = " ".join(text.split())
        if "/" in name or "..." in text or not _PLAIN.match(text) or len(text.split()) < 4 or not (SOUNDS / f"{name}.wav").is_file():
            continue
        found.append((name, text))
    return sorted(found)


def read_speech(seconds: float, first: int = 0) -> tuple[np.ndarray, str]:
    """About ``seconds`` of 8 kHz int16 read speech (whole prompts only, from the ``first``) and
    what it says."""
    pieces: list[np.ndarray] = [np.zeros(int(LEAD_IN * RATE), dtype="<i2")]
    said: list[str] = []
    total = LEAD_IN
    for index, (name, text) in enumerate(prompts()[first:]):
        with wave.open(str(SOUNDS / f"{name}.wav"), "rb") as handle:
            assert handle.getframerate() == RATE and handle.getnchannels() == 1 and handle.getsampwidth() == 2
            clip = np.frombuffer(handle.readframes(handle.getnframes()), dtype="<i2")
        times = 2 if index % SAID_TWICE == SAID_TWICE - 1 else 1
        length = times * len(clip) / RATE
        if said and total + length > seconds:
            break
        for _ in range(times):
            pause = TURN_PAUSE if len(said) % SENTENCES_PER_TURN == SENTENCES_PER_TURN - 1 else SENTENCE_PAUSE
            pieces.extend([clip, np.zeros(int(pause * RATE), dtype="<i2")])
            said.append(text)
            total += len(clip) / RATE + pause
    return np.concatenate(pieces), " ".join(said)


def write_wav(path: Path, samples: np.ndarray) -> None:
    """A 16-bit mono PCM WAV at :data:`RATE`."""
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(RATE)
        handle.writeframes(samples.astype("<i2").tobytes())


def write_mp3(path: Path, samples: np.ndarray) -> None:
    """A small mono MP3 (24 kbit/s) of ``samples``, encoded by PyAV's libmp3lame."""
    import av

    with av.open(str(path), "w", format="mp3") as container:
        stream = container.add_stream("libmp3lame", rate=RATE)
        stream.layout = "mono"
        stream.bit_rate = 24_000
        for start in range(0, len(samples), 1152):
            chunk = samples[None, start:start + 1152].astype("<i2")
            frame = av.AudioFrame.from_ndarray(chunk, format="s16", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = RATE, start, Fraction(1, RATE)
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))


def main() -> None:
    if len(sys.argv) == 3:
        samples, text = read_speech(float(sys.argv[1]) * 60)
        out = Path(sys.argv[2])
        write_wav(out, samples)
        out.with_suffix(".txt").write_text(text + "\n", encoding="utf-8")
    else:
        samples, text = read_speech(FIXTURE_SECONDS)
        FIXTURE.parent.mkdir(parents=True, exist_ok=True)
        write_mp3(FIXTURE.with_suffix(".mp3"), samples)
        FIXTURE.with_suffix(".txt").write_text(text + "\n", encoding="utf-8")
        out = FIXTURE.with_suffix(".mp3")
    print(f"{out}: {len(samples) / RATE:.0f} s, {len(text.split())} words, {out.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
