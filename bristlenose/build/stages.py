"""The body of every task: read inputs, call the pure stage, write the target atomically.

Each function returns the values doit saves for ``doit info`` and the up-to-date check, or
a ``TaskFailed`` naming the session and the reason when the work could not be done (so a
failure is never recorded as a success and the session runs again next time).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from doit.exceptions import TaskFailed
from pydantic import BaseModel

from bristlenose import __version__
from bristlenose.analysis import clusters, merge, quotes, speakers, themes, topics
from bristlenose.analysis.transcript import build_transcript, failed_transcript
from bristlenose.analysis.turns import transcript_of_recording
from bristlenose.build import offload
from bristlenose.build.context import RunContext
from bristlenose.build.tasklog import task_log
from bristlenose.build.targets import TargetError, input_hash, read_payload, read_target, stat_signature, write_target
from bristlenose.compute import ComputeError
from bristlenose.llm import Provider, ProviderError
from bristlenose.llm.pricing import PRICE_TABLE_VERSION
from bristlenose.llm.usage import Meter, metered
from bristlenose.models import (
    ExtractedQuotes,
    OutputMeta,
    Participants,
    SessionQuotes,
    SessionSource,
    TopicBoundaries,
    TopicMap,
    Transcript,
)
from bristlenose.parsers import ParseError, parse_transcript
from bristlenose.prompts import load_prompt
from bristlenose.transcribe import MediaError, ModelUnavailable, pick_recording, recognise

TRANSCRIPT_LOGIC = "transcript/1"
RECORDING_LOGIC = "whisper/1"
MERGE_LOGIC = "merge/1"
BUILTIN = ("bristlenose", f"bristlenose-{__version__}")
WHISPER = "faster-whisper"
STAGE_MODULES: dict[str, Any] = {"speakers": speakers, "topics": topics, "quotes": quotes, "clusters": clusters,
                                 "themes": themes}


def stage_logic(stage: str) -> str:
    """``<prompt id>@<prompt version>/<code version>`` of an analysis stage."""
    module = STAGE_MODULES[stage]
    return f"{load_prompt(module.PROMPT_ID).key}/{module.LOGIC_VERSION}"


def _commit(ctx: RunContext, stage: str, session_id: str | None, logic: str, digest: str,
            identity: tuple[str, str], target: Path, payload: BaseModel, meter: Meter | None = None) -> dict[str, Any]:
    """Write the target with its ``_meta``, then record it in the manifest (never before the
    file is on disk), and return the values doit keeps for it."""
    usage: dict[str, Any] = {}
    if meter is not None and meter.calls:
        usage = {"calls": len(meter.calls), "tokens_in": meter.tokens_in, "tokens_out": meter.tokens_out,
                 "cost_usd": round(meter.cost_usd, 6), "price_table": PRICE_TABLE_VERSION}
    meta = OutputMeta(stage=stage, session_id=session_id, logic_version=logic, input_hash=digest,
                      provider=identity[0], model=identity[1], completed_at=datetime.now(timezone.utc), **usage)
    write_target(target, meta, payload)
    ctx.manifest.completed(stage, session_id, meta, payload)
    return {"provider": meta.provider, "model": meta.model, "logic_version": logic,
            "completed_at": meta.completed_at.isoformat(timespec="seconds"), "target": stat_signature(target),
            **usage}


def _guarded(ctx: RunContext, stage: str, session_id: str | None,
             work: Callable[[], dict[str, Any]]) -> dict[str, Any] | TaskFailed:
    """Run a task's work, logged in debug mode; expected failures become a one-line
    ``TaskFailed`` for that task, recorded as the stage's last attempt in the manifest."""
    label = f"{stage}:{session_id}" if session_id else stage
    ctx.warm_up()
    if not ctx.settings.verbose:
        return _attempt(ctx, stage, session_id, label, work)
    with task_log(ctx.layout.logs_dir, label) as log, metered() as meter:
        result = _attempt(ctx, stage, session_id, label, work)
        for call in meter.calls:
            log.write(f"call {call.task} {call.status} {call.seconds:.3f}s tokens {call.tokens_in}/{call.tokens_out}\n")
        log.write(f"outcome {'failed: ' + str(result) if isinstance(result, TaskFailed) else 'done'}\n")
    return result


def _attempt(ctx: RunContext, stage: str, session_id: str | None, label: str,
             work: Callable[[], dict[str, Any]]) -> dict[str, Any] | TaskFailed:
    try:
        return work()
    except ProviderError as exc:
        message = f"analysis failed: {exc}"
    except (TargetError, ModelUnavailable, ComputeError) as exc:
        message = str(exc)
    ctx.manifest.failed(stage, session_id, message)
    return TaskFailed(f"{label}: {message}")


def transcript_input(source: SessionSource) -> tuple[str, str]:
    """(file, logic version) the session's transcript comes from: its transcript file if it
    has one (the recording then only serves playback), else its recording."""
    if source.transcript is not None:
        return source.transcript, TRANSCRIPT_LOGIC
    return pick_recording(source.media), RECORDING_LOGIC


def run_transcript(ctx: RunContext, source: SessionSource, target: Path) -> dict[str, Any] | TaskFailed:
    """``transcript:sN``: parse the transcript file or transcribe the recording; a bad file is
    a named outcome for its session, an unusable Whisper model a failure of the task."""
    name, logic = transcript_input(source)
    path = ctx.input_dir / name

    def work() -> dict[str, Any]:
        digest = input_hash([path])
        identity = BUILTIN if logic == TRANSCRIPT_LOGIC else (WHISPER, ctx.whisper.model)
        transcript = _parsed(ctx, source, path) if logic == TRANSCRIPT_LOGIC else _transcribed(ctx, source, path, name)
        if transcript.error:
            print(f"warning: session {source.session_id} not analysed: {transcript.error}", file=sys.stderr)
        elif transcript.note:
            print(f"note: session {source.session_id}: {transcript.note}", file=sys.stderr)
        return _commit(ctx, "transcript", source.session_id, logic, digest, identity, target, transcript)

    return _guarded(ctx, "transcript", source.session_id, work)


def _parsed(ctx: RunContext, source: SessionSource, path: Path) -> Transcript:
    if ctx.compute is not None:
        return offload.parsed(ctx.compute, source, path)
    try:
        return build_transcript(source, parse_transcript(path))
    except ParseError as exc:
        return failed_transcript(source, f"{source.transcript}: {exc}")


def _transcribed(ctx: RunContext, source: SessionSource, path: Path, name: str) -> Transcript:
    if ctx.compute is not None:
        return offload.transcribed(ctx.compute, source, path, name, ctx.whisper)
    try:
        return transcript_of_recording(source, recognise(path, name, ctx.whisper))
    except MediaError as exc:
        return failed_transcript(source, str(exc))


def run_llm_stage(ctx: RunContext, stage: str, session_id: str | None, inputs: list[Path], target: Path,
                  compute: Callable[[Provider], BaseModel]) -> dict[str, Any] | TaskFailed:
    """An analysis stage: ``compute`` reads its inputs and asks the provider."""

    def work() -> dict[str, Any]:
        digest = input_hash(inputs)
        provider = ctx.provider()
        with metered() as meter:
            payload = compute(provider)
        return _commit(ctx, stage, session_id, stage_logic(stage), digest, (provider.name, provider.model), target,
                       payload, meter)

    return _guarded(ctx, stage, session_id, work)


def run_merge(ctx: RunContext, stage: str, inputs: list[Path], target: Path,
              compute: Callable[[], BaseModel]) -> dict[str, Any] | TaskFailed:
    """A deterministic merge of other targets (no provider)."""
    return _guarded(ctx, stage, None, lambda: _commit(ctx, stage, None, MERGE_LOGIC, input_hash(inputs), BUILTIN,
                                                      target, compute()))



def speakers_of(ctx: RunContext, transcript_path: Path) -> Callable[[Provider], BaseModel]:
    """``speakers:sN`` work (in a worker process for the offline analyser, see ``offload``)."""
    return lambda provider: offload.analysed(ctx.compute, provider, "speakers", [transcript_path])


def topics_of(ctx: RunContext, transcript_path: Path) -> Callable[[Provider], BaseModel]:
    """``topics:sN`` work."""
    return lambda provider: offload.analysed(ctx.compute, provider, "topics", [transcript_path])


def quotes_of(ctx: RunContext, transcript_path: Path, topics_path: Path) -> Callable[[Provider], BaseModel]:
    """``quotes:sN`` work."""
    return lambda provider: offload.analysed(ctx.compute, provider, "quotes", [transcript_path, topics_path])


def clusters_of(quotes_path: Path, boundaries_path: Path) -> Callable[[Provider], BaseModel]:
    """``clusters`` work."""
    return lambda provider: clusters.cluster_screens(
        read_payload(quotes_path, ExtractedQuotes), read_payload(boundaries_path, TopicBoundaries), provider)


def themes_of(quotes_path: Path) -> Callable[[Provider], BaseModel]:
    """``themes`` work: from the quotes alone, so it runs beside ``clusters`` (the themes prompt
    never showed the sections)."""
    return lambda provider: themes.group_themes(read_payload(quotes_path, ExtractedQuotes), None, provider)


def participants_of(transcript_paths: list[Path], target: Path) -> Callable[[], BaseModel]:
    """``participants`` work: keeps the codes already assigned in the previous target."""
    def compute() -> BaseModel:
        try:
            previous: Participants | None = read_target(target, Participants)[1]
        except TargetError:
            previous = None
        return merge.assign_participants([read_payload(p, Transcript) for p in transcript_paths], previous)
    return compute


def topic_boundaries_of(topic_paths: list[Path]) -> Callable[[], BaseModel]:
    """``topic_boundaries`` work."""
    return lambda: merge.merge_topics([read_payload(p, TopicMap) for p in topic_paths])


def extracted_quotes_of(quote_paths: list[Path], participants_path: Path) -> Callable[[], BaseModel]:
    """``extracted_quotes`` work."""
    return lambda: merge.merge_quotes([read_payload(p, SessionQuotes) for p in quote_paths],
                                      read_payload(participants_path, Participants))
