"""Word error rate of what bristlenose heard against a known text, and of the bare model.

The bare model is faster-whisper called as its README shows (same model, device, compute
type, beam, language and decoding temperature as the product; no VAD, no windows, no
context, no post-processing), so the difference between the two is what bristlenose's own handling adds or loses.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jiwer

from bristlenose.transcribe import WhisperOptions
from bristlenose.transcribe.engine import TEMPERATURE
from bristlenose.transcribe.model import resolve
from tests.support.study import Study

_DIGITS = dict(enumerate("zero one two three four five six seven eight nine".split()))


def words(text: str) -> str:
    """Lower case, digits spelled out, no punctuation: WER counts words, not commas."""
    text = re.sub(r"\d", lambda digit: f" {_DIGITS[int(digit.group())]} ", text.casefold())
    return " ".join(re.sub(r"[^a-z' ]", " ", text.replace("-", " ")).split())


def wer(reference: str, heard: str) -> float:
    """Word error rate of ``heard`` against ``reference``, both normalised by :func:`words`."""
    return float(jiwer.wer(words(reference), words(heard)))


def bare_model_text(recording: Path, options: WhisperOptions = WhisperOptions(), sampling: bool = False) -> str:
    """What the bare faster-whisper model hears in ``recording``: with the product's beam-only
    decoding, or with ``sampling`` faster-whisper's default fallback to random sampling."""
    from faster_whisper import WhisperModel

    folder, device, compute_type = resolve(options.model, options.device, options.compute_type)
    model = WhisperModel(folder, device=device, compute_type=compute_type, cpu_threads=options.cpu_threads,
                         local_files_only=True)
    found, _ = model.transcribe(str(recording), language=options.language, beam_size=options.beam_size,
                                **({} if sampling else {"temperature": TEMPERATURE}))
    return " ".join(segment.text.strip() for segment in found)


def product_text(recording: Path, root: Path) -> str:
    """What ``doit transcript`` writes into the transcript of a study holding only ``recording``."""
    folder = root / "input"
    folder.mkdir(parents=True)
    shutil.copy(recording, folder / recording.name)
    study = Study.copy_of(root, folder, recordings=True)
    run = study.doit("transcript", timeout=1800)
    if run.returncode != 0:
        raise RuntimeError(f"doit transcript failed:\n{run.stdout}\n{run.stderr}")
    (target,) = (study.state / "sessions").glob("*/transcript.json")
    return " ".join(segment["text"] for segment in json.loads(target.read_text())["segments"])
