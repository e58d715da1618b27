"""The CPU-bound work of one session, as plain picklable functions a worker process runs.

Task threads share one GIL, so parsing, the offline analyser and transcription are sent
here, to a local process pool or a Dask worker (see ``executors.py``). A job gets its inputs
as :class:`Input` (the file's bytes, or its path when worker and ``doit`` share a disk) and
returns the result's JSON text: it never writes a target. Only the ``doit`` process writes
targets and dependency state, so a worker that dies leaves nothing half-done behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bristlenose.models import SessionQuotes, SessionSource, TopicMap, Transcript


@dataclass(frozen=True)
class Input:
    """A file a job reads: its bytes (the worker needs no shared disk), or its path."""

    name: str
    data: bytes | None = None
    path: str | None = None

    @classmethod
    def of(cls, path: Path, by_bytes: bool) -> Input:
        """Read ``path`` now when ``by_bytes``, else pass the path along."""
        return cls(path.name, path.read_bytes(), None) if by_bytes else cls(path.name, None, str(path))

    def text(self) -> str:
        """The file's text."""
        return self.data.decode("utf-8") if self.data is not None else Path(str(self.path)).read_text("utf-8")

    @contextmanager
    def local_path(self) -> Iterator[Path]:
        """A path to read the file at: its own, or a temporary copy of the bytes (same suffix)."""
        if self.data is None:
            yield Path(str(self.path))
            return
        fd, tmp = tempfile.mkstemp(suffix=Path(self.name).suffix or ".bin", prefix="bristlenose-job-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(self.data)
            yield Path(tmp)
        finally:
            os.unlink(tmp)


_offline: Any = None


def _analyser() -> Any:
    """One offline analyser per worker process."""
    global _offline
    if _offline is None:
        from bristlenose.llm.offline import OfflineAnalyser

        _offline = OfflineAnalyser()
    return _offline


def _payload(source: Input, model: type[BaseModel]) -> Any:
    from bristlenose.pipeline.targets import parse_target

    return parse_target(source.text(), model, Path(source.name))[1]


def analysis(stage: str, payloads: list[Any], provider: Any) -> BaseModel:
    """The pure analysis stage ``stage`` over its input payloads (the same in a thread or a worker)."""
    from bristlenose.analysis import quotes, speakers, topics

    if stage == "speakers":
        return speakers.assign_speaker_roles(payloads[0], provider)
    if stage == "topics":
        return topics.segment_topics(payloads[0], provider)
    if stage == "quotes":
        return quotes.extract_quotes(payloads[0], payloads[1], provider)
    raise ValueError(f"{stage} is not a per-session analysis stage")


INPUT_MODELS: dict[str, tuple[type[BaseModel], ...]] = {
    "speakers": (Transcript,), "topics": (Transcript,), "quotes": (Transcript, TopicMap)}
OUTPUT_MODELS: dict[str, type[BaseModel]] = {"speakers": Transcript, "topics": TopicMap, "quotes": SessionQuotes}


def analyse_offline(stage: str, inputs: list[Input]) -> str:
    """A per-session stage by the offline analyser; JSON of its payload."""
    payloads = [_payload(i, model) for i, model in zip(inputs, INPUT_MODELS[stage])]
    return analysis(stage, payloads, _analyser()).model_dump_json()


def parsed_transcript(source: SessionSource, path: Path) -> Transcript:
    """A session's transcript file, parsed (a bad file gives a transcript whose ``error`` names it)."""
    from bristlenose.analysis.transcript import build_transcript, failed_transcript
    from bristlenose.parsers import ParseError, parse_transcript

    try:
        return build_transcript(source, parse_transcript(path))
    except ParseError as exc:
        return failed_transcript(source, f"{source.transcript}: {exc}")


def transcribed_transcript(source: SessionSource, path: Path, name: str, options: Any) -> Transcript:
    """A session's recording, transcribed by this process's Whisper model and split into speakers
    by voice (a bad recording gives a transcript whose ``error`` names it); raises
    ``ModelUnavailable`` when the Whisper model cannot be had."""
    from bristlenose.analysis.transcript import failed_transcript
    from bristlenose.analysis.turns import by_voice, transcript_of_recording
    from bristlenose.transcribe import MediaError, recognise
    from bristlenose.transcribe.media import load_audio

    try:
        recognition = recognise(path, name, options)
        return transcript_of_recording(source, recognition, by_voice(load_audio(path, name)[0]))
    except MediaError as exc:
        return failed_transcript(source, str(exc))


def parse(source: SessionSource, transcript: Input) -> str:
    """:func:`parsed_transcript` in a worker; JSON of its :class:`Transcript`."""
    with transcript.local_path() as path:
        return parsed_transcript(source, path).model_dump_json()


def transcribe(source: SessionSource, recording: Input, name: str, options: Any) -> str:
    """:func:`transcribed_transcript` in a worker (one Whisper model per process); JSON of its
    :class:`Transcript`."""
    with recording.local_path() as path:
        return transcribed_transcript(source, path, name, options).model_dump_json()


def ping() -> int:
    """The worker's process id (a worker is up and can import bristlenose)."""
    return os.getpid()
