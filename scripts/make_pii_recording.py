"""Build ``tests/fixtures/pii/recorded/pii-call.m4a``: a short two-voice call with personal
data said aloud, for the test of silenced recordings with Whisper word timings.

Usage (from the repository root; needs ``espeak-ng``, the product does not)::

    python scripts/make_pii_recording.py

The script of the call is ``tests/fixtures/pii/sources/pii-call.script.txt`` (the turn format
of ``make_sample_media.py``, whose voices and pauses it reuses); the audio is encoded with
PyAV as AAC, so no ffmpeg program is needed.
"""

from __future__ import annotations

import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bristlenose.privacy.recording import encode_m4a  # noqa: E402
from scripts.make_sample_media import read_script, speak  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "pii"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        audio = Path(folder) / "call.wav"
        speak(read_script(FIXTURE / "sources" / "pii-call.script.txt"), audio, Path(folder))
        with wave.open(str(audio), "rb") as handle:
            rate = handle.getframerate()
            samples = np.frombuffer(handle.readframes(handle.getnframes()), dtype="<i2").astype(np.float32) / 32768
    out = FIXTURE / "recorded" / "pii-call.m4a"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(encode_m4a(samples, rate))
    print(f"{out.relative_to(ROOT)}: {out.stat().st_size / 1024:.0f} KiB, {len(samples) / rate:.1f} s")


if __name__ == "__main__":
    main()
