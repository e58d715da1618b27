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
    from bristlenose.build.targets import parse_target

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


def parse(source: SessionSource, transcript: Input) -> str:
    """A session's transcript file, parsed; JSON of its :class:`Transcript` (a bad file gives a
    transcript whose ``error`` names it, as in the ``doit`` process)."""
    from bristlenose.analysis.transcript import build_transcript, failed_transcript
    from bristlenose.parsers import ParseError, parse_transcript

    with transcript.local_path() as path:
        try:
            result = build_transcript(source, parse_transcript(path))
        except ParseError as exc:
            result = failed_transcript(source, f"{source.transcript}: {exc}")
    return result.model_dump_json()


def transcribe(source: SessionSource, recording: Input, name: str, options: Any) -> str:
    """A session's recording, transcribed by this worker's Whisper model (one per process);
    JSON of its :class:`Transcript`. Raises ``ModelUnavailable`` like the ``doit`` process."""
    from bristlenose.analysis.transcript import failed_transcript
    from bristlenose.analysis.turns import transcript_of_recording
    from bristlenose.transcribe import MediaError, recognise

    with recording.local_path() as path:
        try:
            result = transcript_of_recording(source, recognise(path, name, options))
        except MediaError as exc:
            result = failed_transcript(source, str(exc))
    return result.model_dump_json()


def ping() -> int:
    """The worker's process id (a worker is up and can import bristlenose)."""
    return os.getpid()
