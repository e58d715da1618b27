"""One Whisper model per process, loaded on first use and shared behind a lock.

A model takes memory and every core it is given, so recordings are transcribed one at a
time; doit's other worker threads meanwhile go on analysing sessions already transcribed.
CTranslate2 and PyAV release the GIL while they work, so that overlap is real.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bristlenose.models import RecognisedSegment, Recognition, SpeechSpan, Word
from bristlenose.transcribe.loops import collapse_loops
from bristlenose.transcribe.media import SAMPLE_RATE, load_audio
from bristlenose.transcribe.model import ModelUnavailable, resolve

if TYPE_CHECKING:
    import numpy as np
    from faster_whisper import WhisperModel


@dataclass(frozen=True)
class WhisperOptions:
    """Everything that decides how a recording is transcribed."""

    model: str = "tiny.en"
    language: str = "en"
    device: str = "auto"
    compute_type: str = "auto"
    beam_size: int = 5
    cpu_threads: int = 0
    turn_pause: float = 1.0

    def shaping(self) -> dict[str, object]:
        """The options that change what a transcript says (not where or how fast it is made)."""
        return {"model": self.model, "language": self.language, "compute_type": self.compute_type,
                "beam_size": self.beam_size, "turn_pause": self.turn_pause}


_lock = threading.Lock()
_loaded: dict[tuple[str, str, str, int], WhisperModel] = {}


ProgressListener = Callable[[str, float, float], None]
"""Called with (recording name, seconds transcribed, seconds in the recording) as Whisper goes."""
_listener: ProgressListener | None = None


def listen(listener: ProgressListener | None) -> None:
    """Report transcription progress to ``listener`` (the progress reporter, which doit creates
    apart from the tasks, so it cannot be handed over as an argument)."""
    global _listener
    _listener = listener


def _progress(name: str, done: float, total: float) -> None:
    if _listener is not None:
        _listener(name, done, total)


WINDOW_SECONDS = 300.0
"""Audio is transcribed in windows of about five minutes, cut in silences: Whisper's features
of a whole hour would take gigabytes; a window's take tens of megabytes."""


CONTEXT_SEGMENTS = 8
"""Segments of the previous window given as context to the next (Whisper keeps the last 223
tokens of it)."""
TEMPERATURE = 0.0
"""Beam search only. faster-whisper by default retries a window whose text fails its checks
by sampling at rising temperatures; that sampling is random (setting CTranslate2's seed did
not make it repeatable), so the same 5 minutes of read speech gave 2.5 % to 4.7 % WER from
run to run, and some runs dropped sentences said twice. Without it the same audio always gives
the same transcript (1.3 % there); the loops it would have escaped are collapsed afterwards."""


def recognise(path: Path, name: str, options: WhisperOptions) -> Recognition:
    """What is said in the recording at ``path`` (called ``name`` in messages) and where the
    silences are. Raises :class:`MediaError` for a bad file, :class:`ModelUnavailable` for a
    model that cannot be loaded."""
    with _lock:
        audio, warning = load_audio(path, name)
        _progress(name, 0.0, len(audio) / SAMPLE_RATE)
        model = _model(options)
        speech = _speech(audio, options.turn_pause)
        segments: list[RecognisedSegment] = []
        for start, end in windows(speech, len(audio) / SAMPLE_RATE):
            piece = audio[int(start * SAMPLE_RATE):int(end * SAMPLE_RATE)]
            found, _ = model.transcribe(piece, language=None if options.language == "auto" else options.language,
                                        beam_size=options.beam_size, temperature=TEMPERATURE, vad_filter=True,
                                        word_timestamps=True, initial_prompt=_context(segments))
            for found_segment in found:  # faster-whisper decodes lazily, segment by segment
                segments.append(_segment(found_segment, start))
                _progress(name, segments[-1].end, len(audio) / SAMPLE_RATE)
    return Recognition(recording=name, duration=len(audio) / SAMPLE_RATE, segments=collapse_loops(segments),
                       speech=speech, warning=warning)


def _context(heard: list[RecognisedSegment]) -> str | None:
    """What Whisper is told was said before a window: the text heard so far, as it would be
    within one long decode (nothing before the first window)."""
    return " ".join(segment.text for segment in heard[-CONTEXT_SEGMENTS:]) or None


def windows(speech: list[SpeechSpan], duration: float) -> list[tuple[float, float]]:
    """(start, end) seconds of the windows to transcribe: cut mid-silence between speech spans
    once a window passes :data:`WINDOW_SECONDS` (a longer single span stays whole)."""
    cuts = [0.0]
    for before, after in itertools.pairwise(speech):
        if after.end - cuts[-1] > WINDOW_SECONDS:
            cuts.append((before.end + after.start) / 2)
    return list(zip(cuts, [*cuts[1:], duration]))


def _segment(found: Any, offset: float) -> RecognisedSegment:
    """A faster-whisper segment, its times moved by the window's ``offset``."""
    return RecognisedSegment(
        start=found.start + offset, end=found.end + offset, text=found.text.strip(),
        words=[Word(start=w.start + offset, end=w.end + offset, text=w.word,
                    probability=min(max(w.probability, 0.0), 1.0)) for w in found.words or []])


def load_model(options: WhisperOptions) -> None:
    """Load the model now (for benchmarks and ``doit doctor``); a no-op once loaded."""
    with _lock:
        _model(options)


def _model(options: WhisperOptions) -> WhisperModel:
    """The process's model for these options, loaded once (caller holds the lock)."""
    folder, device, compute_type = resolve(options.model, options.device, options.compute_type)
    key = (folder, device, compute_type, options.cpu_threads)
    if key not in _loaded:
        from faster_whisper import WhisperModel

        try:
            _loaded.clear()
            _loaded[key] = WhisperModel(folder, device=device, compute_type=compute_type,
                                        cpu_threads=options.cpu_threads, local_files_only=True)
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelUnavailable(f"whisper_model={options.model!r} could not be loaded on {device} "
                                   f"with compute_type {compute_type}: {exc}") from None
    return _loaded[key]


def _speech(audio: np.ndarray, turn_pause: float) -> list[SpeechSpan]:
    """Stretches of speech separated by silences of at least ``turn_pause`` seconds."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(min_silence_duration_ms=int(turn_pause * 1000), speech_pad_ms=0)
    return [SpeechSpan(start=span["start"] / SAMPLE_RATE, end=span["end"] / SAMPLE_RATE)
            for span in get_speech_timestamps(audio, options)]
