"""The seam between doit's task threads and the worker processes (``bristlenose.compute``).

An action decides here whether its CPU-bound part runs in its own thread (the GIL lets one
such thread run at a time) or goes to a worker as a job: with ``cpu_workers`` other than 1,
or a ``dask_scheduler``, parsing, transcription and the offline analyser's per-session
stages go to workers; remote LLM providers stay on threads (they wait on the network). The
answer comes back as JSON and the action writes the target as before.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bristlenose.pipeline.targets import read_payload
from bristlenose.compute import DaskCluster, Executor, LocalPool, jobs
from bristlenose.llm import Provider
from bristlenose.models import SessionSource, Transcript
from bristlenose.settings import Settings
from bristlenose.transcribe import WhisperOptions

DASK_TASK_THREADS = 32


def local_workers(settings: Settings) -> int:
    """Worker processes on this machine (0 = one per core)."""
    return settings.cpu_workers or os.cpu_count() or 1


def executor_for(settings: Settings) -> Executor | None:
    """Where CPU-bound jobs run; None: in the task's own thread."""
    if settings.dask_scheduler:
        return DaskCluster(settings.dask_scheduler, log=settings.state_dir / "logs" / "dask.log")
    workers = local_workers(settings)
    return LocalPool(workers) if workers > 1 else None


def task_threads(settings: Settings) -> int:
    """doit threads: enough for every LLM call allowed in flight and, unless ``concurrency`` was
    set, for every worker to be busy (a thread waiting on a call or a worker costs nothing)."""
    threads = max(settings.concurrency, settings.llm_concurrency)
    if "concurrency" in settings.model_fields_set:
        return threads
    if settings.dask_scheduler:
        return max(threads, DASK_TASK_THREADS)
    return max(threads, 2 * local_workers(settings)) if local_workers(settings) > 1 else threads


def parallel_transcription(settings: Settings) -> bool:
    """Whether recordings may be transcribed at once (each worker has its own Whisper model)."""
    return bool(settings.dask_scheduler) or local_workers(settings) > 1


def _offline(provider: Provider) -> bool:
    return provider.name == "offline" and type(provider).__module__.startswith("bristlenose.llm.offline")


def analysed(executor: Executor | None, provider: Provider, stage: str, paths: list[Path]) -> BaseModel:
    """A per-session analysis stage over its input targets: in a worker for the offline
    analyser (when there are workers), else in this thread."""
    if executor is not None and _offline(provider):
        text = executor.run(jobs.analyse_offline, stage, [jobs.Input.of(p, executor.by_bytes) for p in paths])
        return jobs.OUTPUT_MODELS[stage].model_validate_json(text)
    payloads: list[Any] = [read_payload(p, model) for p, model in zip(paths, jobs.INPUT_MODELS[stage])]
    return jobs.analysis(stage, payloads, provider)


def parsed(executor: Executor, source: SessionSource, path: Path) -> Transcript:
    """A transcript file, parsed by a worker."""
    return Transcript.model_validate_json(executor.run(jobs.parse, source, jobs.Input.of(path, executor.by_bytes)))


def transcribed(executor: Executor, source: SessionSource, path: Path, name: str,
                options: WhisperOptions) -> Transcript:
    """A recording, transcribed by a worker."""
    text = executor.run(jobs.transcribe, source, jobs.Input.of(path, executor.by_bytes), name, options)
    return Transcript.model_validate_json(text)
