"""The body of every task: read inputs, call the pure stage, write the target atomically.

Each function returns the values doit saves for ``doit info`` and the up-to-date check, or
a ``TaskFailed`` naming the session and the reason when the work could not be done (so a
failure is never recorded as a success and the session runs again next time).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

from doit.exceptions import TaskFailed
from pydantic import BaseModel

from bristlenose import __version__
from bristlenose.analysis import clusters, merge, quotes, speakers, themes, topics
from bristlenose.analysis.people import Person, apply_roles
from bristlenose.pipeline import offload
from bristlenose.pipeline.atomic import write_bytes_atomic, write_text_atomic
from bristlenose.pipeline.context import RunContext
from bristlenose.pipeline.tasklog import task_log
from bristlenose.pipeline.uptodate import settings_digest
from bristlenose.pipeline.targets import (
    TargetError,
    input_hash,
    read_payload,
    read_target,
    recorded_values,
    write_target,
)
from bristlenose.compute import ComputeError, jobs
from bristlenose.llm import Provider, ProviderError
from bristlenose.llm.errors import Interrupted, rejects_answers
from bristlenose.llm.gate import CallGate
from bristlenose.llm.pricing import PRICE_TABLE_VERSION
from bristlenose.llm.usage import Meter, metered
from bristlenose.models import (
    ExtractedQuotes,
    OutputMeta,
    Participants,
    Redactions,
    SessionQuotes,
    SessionSource,
    TopicBoundaries,
    TopicMap,
    Transcript,
)
from bristlenose.privacy.errors import DetectorUnavailable
from bristlenose.prompts import load_prompt
from bristlenose.transcribe import MediaError, ModelUnavailable, pick_recording

TRANSCRIPT_LOGIC = "transcript/2"
RECORDING_LOGIC = "whisper/2"
MERGE_LOGIC = "merge/1"
REDACT_LOGIC = "redact/1"
BUILTIN = ("bristlenose", f"bristlenose-{__version__}")
WHISPER = "faster-whisper"
STAGE_MODULES: dict[str, Any] = {"speakers": speakers, "topics": topics, "quotes": quotes, "clusters": clusters,
                                 "themes": themes}


def stage_logic(stage: str, prompt_id: str | None = None) -> str:
    """``<prompt id>@<prompt version>/<code version>`` of an analysis stage (asked with its
    own prompt, or the other prompt ``prompt_id`` it has for some sessions)."""
    module = STAGE_MODULES[stage]
    return f"{load_prompt(prompt_id or module.PROMPT_ID).key}/{module.LOGIC_VERSION}"


def stage_logics(stage: str) -> tuple[str, ...]:
    """Every logic a current target of the stage may carry. The speakers stage asks some
    recordings with a second prompt; which one follows from the transcript, an input of the
    task, so a changed transcript is asked again anyway, while a session that finished
    before it would get the second prompt is not paid for again."""
    extra = (speakers.VOICES_PROMPT_ID,) if stage == "speakers" else ()
    return (stage_logic(stage), *(stage_logic(stage, prompt_id) for prompt_id in extra))


def _commit(ctx: RunContext, stage: str, session_id: str | None, logic: str, digest: str,
            identity: tuple[str, str], target: Path, payload: BaseModel, meter: Meter | None = None,
            shaping: str | None = None) -> dict[str, Any]:
    """Write the target with its ``_meta``, then record it in the manifest (never before the
    file is on disk), and return the values doit keeps for it."""
    usage: dict[str, Any] = {}
    if meter is not None and meter.calls:
        usage = {"calls": meter.paid, "cached": meter.cached, "tokens_in": meter.tokens_in,
                 "tokens_out": meter.tokens_out, "cost_usd": round(meter.cost_usd, 6),
                 "price_table": PRICE_TABLE_VERSION}
    if getattr(payload, "dropped_unverified", 0):
        usage["dropped_unverified"] = payload.dropped_unverified  # type: ignore[attr-defined]
    meta = OutputMeta(stage=stage, session_id=session_id, logic_version=logic, input_hash=digest,
                      provider=identity[0], model=identity[1], completed_at=datetime.now(timezone.utc),
                      shaping=shaping, **usage)
    write_target(target, meta, payload)
    ctx.manifest.completed(stage, session_id, meta, payload)
    return recorded_values(meta, target)


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
    except Interrupted as exc:
        return TaskFailed(f"{label}: {exc}")  # not a failure of the session: nothing to record
    except ProviderError as exc:
        message = f"analysis failed: {exc}"
    except (TargetError, ModelUnavailable, DetectorUnavailable, ComputeError) as exc:
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
        if transcript.note and not transcript.error:
            print(f"note: session {source.session_id}: {transcript.note}", file=sys.stderr)
        shaping = settings_digest(ctx.whisper.shaping()) if logic == RECORDING_LOGIC else None
        values = _commit(ctx, "transcript", source.session_id, logic, digest, identity, target, transcript,
                         shaping=shaping)
        if transcript.error:
            # kept on disk as a named failure: the run exits 1 and says so until the file changes,
            # while the other sessions go on and a no-op run does not read the file again
            print(f"error: session {source.session_id} not analysed: {transcript.error}", file=sys.stderr)
            ctx.manifest.failed("transcript", source.session_id, transcript.error)
        return values

    return _guarded(ctx, "transcript", source.session_id, work)


def _parsed(ctx: RunContext, source: SessionSource, path: Path) -> Transcript:
    if ctx.compute is not None:
        return offload.parsed(ctx.compute, source, path)
    return jobs.parsed_transcript(source, path)


def _transcribed(ctx: RunContext, source: SessionSource, path: Path, name: str) -> Transcript:
    if ctx.compute is not None:
        return offload.transcribed(ctx.compute, source, path, name, ctx.whisper)
    return jobs.transcribed_transcript(source, path, name, ctx.whisper)


def run_redact(ctx: RunContext, session_id: str, attributed: Path, target: Path,
               audit: Path, people_names: list[str]) -> dict[str, Any] | TaskFailed:
    """``redact:sN``: the attributed transcript with personal data replaced (``redact_pii``), or
    passed through unchanged; the audit record of what was replaced goes to ``audit`` (0600).

    A target whose payload would not change is left as it is, so turning redaction on or off
    re-runs analysis only for sessions where it changes the text. Names the researcher gave in
    the people file are redacted as well as those the transcript's labels carry."""

    def work() -> dict[str, Any]:
        transcript = read_payload(attributed, Transcript)
        if ctx.settings.redact_pii:
            redacted, record = _redaction().redact_transcript(transcript, frozenset(people_names))
        else:
            redacted, record = transcript, Redactions(session_id=session_id, enabled=False)
        write_text_atomic(audit, record.model_dump_json(indent=1) + "\n", mode=0o600)
        try:
            meta, previous = read_target(target, Transcript)
        except TargetError:
            previous = None
        if previous != redacted or meta.logic_version != REDACT_LOGIC:
            return _commit(ctx, "redact", session_id, REDACT_LOGIC, input_hash([attributed]), BUILTIN, target, redacted,
                           shaping=settings_digest(redaction_shaping(ctx, people_names)))
        ctx.manifest.completed("redact", session_id, meta)
        return recorded_values(meta, target)

    return _guarded(ctx, "redact", session_id, work)


def redaction_shaping(ctx: RunContext, people_names: list[str]) -> dict[str, Any]:
    """The settings a session's redaction depends on (besides its transcript)."""
    return {"redact_pii": ctx.settings.redact_pii, "names": people_names}


def run_redact_media(ctx: RunContext, session_id: str, name: str, inputs: list[Path],
                     target: Path) -> dict[str, Any] | TaskFailed:
    """``redact_media:sN``: the session's recording with every redacted value silenced."""
    media, attributed, audit = inputs

    def work() -> dict[str, Any]:
        from bristlenose.privacy import recording
        from bristlenose.transcribe.media import SAMPLE_RATE, load_audio

        record = Redactions.model_validate_json(audit.read_text(encoding="utf-8"))
        spans = recording.silenced_spans(read_payload(attributed, Transcript), record)
        try:
            samples, _ = load_audio(media, name)
        except MediaError as exc:
            raise TargetError(f"no redacted copy of the recording: {exc}") from None
        write_bytes_atomic(target, recording.encode_m4a(recording.silence(samples, SAMPLE_RATE, spans), SAMPLE_RATE))
        ctx.manifest.completed("redact_media", session_id)
        return {"silenced_seconds": round(sum(end - start for start, end in spans), 2)}

    return _guarded(ctx, "redact_media", session_id, work)


def _redaction() -> ModuleType:
    """The redaction module, imported only when redaction is on (loading it takes seconds)."""
    try:
        from bristlenose.privacy import redact
    except ImportError as exc:
        raise DetectorUnavailable(f"redact_pii needs the privacy extra (pip install 'bristlenose[privacy]'): "
                                  f"{exc.name} is not installed") from None
    return redact


def run_llm_stage(ctx: RunContext, stage: str, session_id: str | None, inputs: list[Path], target: Path,
                  compute: Callable[[Provider], BaseModel],
                  logic: Callable[[], str] | None = None) -> dict[str, Any] | TaskFailed:
    """An analysis stage: ``compute`` reads its inputs and asks the provider; ``logic`` says
    which of the stage's logics the session was asked with, where that depends on its input."""

    def work() -> dict[str, Any]:
        digest = input_hash(inputs)
        provider = ctx.provider()
        gate = getattr(provider, "gate", None)
        with gate.task() if isinstance(gate, CallGate) else nullcontext(), metered() as meter:
            try:
                payload = compute(provider)
            except ProviderError as exc:
                if rejects_answers(exc) and isinstance(gate, CallGate) and gate.journal is not None:
                    gate.journal.discard([call.key for call in meter.calls if call.key])
                raise
            # a remote provider that was not asked (nothing to ask) made nothing: bristlenose did
            maker = BUILTIN if isinstance(gate, CallGate) and not meter.calls else (provider.name, provider.model)
            return _commit(ctx, stage, session_id, logic() if logic else stage_logic(stage), digest, maker, target,
                           payload, meter)

    return _guarded(ctx, stage, session_id, work)


def run_merge(ctx: RunContext, stage: str, inputs: list[Path], target: Path,
              compute: Callable[[], BaseModel]) -> dict[str, Any] | TaskFailed:
    """A deterministic merge of other targets (no provider)."""
    return _guarded(ctx, stage, None, lambda: _commit(ctx, stage, None, MERGE_LOGIC, input_hash(inputs), BUILTIN,
                                                      target, compute()))


def run_nothing_to_analyse(ctx: RunContext, message: str) -> TaskFailed:
    """``render`` of a study with no sessions: a failure that names the folder, no empty report."""
    ctx.manifest.failed("render", None, message)
    return TaskFailed(f"render: {message}; add interview recordings or transcripts, then run `doit` again")

def speakers_of(ctx: RunContext, transcript_path: Path, edited: dict[str, Person],
                redact: bool = False) -> Callable[[Provider], BaseModel]:
    """``speakers:sN`` work: the provider's roles (in a worker process for the offline analyser,
    see ``offload``; with ``redact`` the provider sees only the redacted transcript), then the
    researcher's from the people file."""
    def compute(provider: Provider) -> BaseModel:
        if not redact:
            attributed = offload.analysed(ctx.compute, provider, "speakers", [transcript_path])
        else:
            attributed = _redaction().attribute_without_personal_data(
                read_payload(transcript_path, Transcript), lambda t: speakers.assign_speaker_roles(t, provider))
        return apply_roles(attributed, edited)
    return compute


def speakers_logic(transcript_path: Path) -> Callable[[], str]:
    """The logic ``speakers:sN`` was asked with, from the prompt its transcript gets."""
    return lambda: stage_logic("speakers", speakers.prompt_id(read_payload(transcript_path, Transcript)))


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
