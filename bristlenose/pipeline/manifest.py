"""The readable pipeline state, ``.bristlenose/pipeline-manifest.json``.

One record per stage; per-session stages (``transcript``, ``speakers``, ``topics``,
``quotes``) hold one record per session. The manifest is a *report* of what is on disk, never
a source of truth: it is written right after a target lands (never before), and
:func:`reconcile` makes it agree with the targets whenever it is read at the start of a run or
by ``doit status`` — so it never claims more than is on disk.

Status of a session or cross-session stage: ``complete`` | ``failed`` | ``pending``.
Status of a per-session stage, derived from its sessions (first rule that applies wins):

1. ``failed``   — the last attempt of at least one session failed (it needs attention, even
                  when the others are done);
2. ``complete`` — every session is complete (also when the study has no sessions);
3. ``partial``  — some sessions are complete;
4. ``pending``  — none is.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from bristlenose.pipeline.atomic import write_text_atomic
from bristlenose.pipeline.index import Entry, TargetIndex, counts_of, lookup
from bristlenose.pipeline.layout import Layout
from bristlenose.pipeline.targets import TargetError, read_payload
from bristlenose.models import (
    ExtractedQuotes,
    OutputMeta,
    Participants,
    ScreenClusters,
    SessionQuotes,
    ThemeGroups,
    TopicBoundaries,
    TopicMap,
    Transcript,
)

MANIFEST_SCHEMA_VERSION = 1
MANIFEST_NAME = "pipeline-manifest.json"
DEFER_BYTES = 1 << 20

SESSION_STAGES = ("transcript", "speakers", "redact", "topics", "quotes")
CROSS_STAGES = ("participants", "topic_boundaries", "extracted_quotes", "clusters", "themes", "render")
STAGES = SESSION_STAGES + CROSS_STAGES

# The JSON target (path under the layout, pydantic model) of every stage that has one.
# ``render`` writes HTML/CSV/Markdown: callers of reconcile pass its files in ``other_targets``.
_INTERMEDIATE = {"participants": "participants", "topic_boundaries": "topic_boundaries",
                 "extracted_quotes": "extracted_quotes", "clusters": "screen_clusters", "themes": "theme_groups"}
TARGET_MODELS: dict[str, type[BaseModel]] = {
    "transcript": Transcript, "speakers": Transcript, "redact": Transcript, "topics": TopicMap, "quotes": SessionQuotes,
    "participants": Participants, "topic_boundaries": TopicBoundaries, "extracted_quotes": ExtractedQuotes,
    "clusters": ScreenClusters, "themes": ThemeGroups,
}

Status = Literal["complete", "failed", "pending"]
StageStatus = Literal["complete", "partial", "failed", "pending"]
StudyStages = Mapping[str, "Sequence[str] | None"]


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Outcome(BaseModel):
    """When and by whom a target was last made, what it cost, or why its last attempt failed."""

    completed_at: datetime | None = None
    failed_at: datetime | None = None
    provider: str | None = None
    model: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    dropped_unverified: int = 0
    cached: int = 0
    """Answers served free from the answer journal."""
    error: str | None = None


class SessionRecord(Outcome):
    """The last known outcome of one (stage, session)."""

    status: Status = "pending"
    session_id: str


class StageRecord(Outcome):
    """One stage. ``sessions`` is set for per-session stages (their status is derived from it);
    cross-session stages carry their own outcome in the inherited fields."""

    name: str
    status: StageStatus = "pending"
    sessions: dict[str, SessionRecord] | None = None


class PipelineManifest(BaseModel):
    """Every stage's record, in pipeline order."""

    schema_version: int = MANIFEST_SCHEMA_VERSION
    stages: dict[str, StageRecord] = Field(default_factory=dict)
    updated_at: datetime | None = None


def manifest_path(layout: Layout) -> Path:
    """``<output>/.bristlenose/pipeline-manifest.json``."""
    return layout.state_dir / MANIFEST_NAME


def target_path(layout: Layout, stage: str, session_id: str | None) -> Path | None:
    """The JSON target of a stage (per session or cross-session), or None for ``render``."""
    if stage in SESSION_STAGES:
        assert session_id is not None, f"{stage} is a per-session stage"
        return layout.session_target(stage, session_id)
    if stage in _INTERMEDIATE:
        return layout.intermediate(_INTERMEDIATE[stage])
    return None


def study_stages(session_ids: Sequence[str]) -> dict[str, list[str] | None]:
    """The pipeline's stages for a study with these sessions (input of :func:`reconcile`)."""
    return {stage: (list(session_ids) if stage in SESSION_STAGES else None) for stage in STAGES}


def stage_status(record: StageRecord) -> StageStatus:
    """A stage's status (see the module docstring for the precedence)."""
    if record.sessions is None:
        return record.status
    states = [s.status for s in record.sessions.values()]
    if "failed" in states:
        return "failed"
    if all(state == "complete" for state in states):
        return "complete"
    if "complete" in states:
        return "partial"
    return "pending"


# -- pure updates: each returns a new manifest -------------------------------------------------


def _edit(manifest: PipelineManifest, stage: str, per_session: bool) -> tuple[PipelineManifest, StageRecord]:
    """A copy of the manifest whose ``stage`` record (and its sessions dict) may be changed.

    Only what changes is copied: a deep copy per mark made a 1,000-session run quadratic.
    """
    new = manifest.model_copy(update={"stages": dict(manifest.stages)})
    old = new.stages.get(stage)
    if old is None:
        record = StageRecord(name=stage, sessions={} if per_session else None)
    else:
        record = old.model_copy(update={"sessions": dict(old.sessions) if old.sessions is not None else None})
    if per_session and record.sessions is None:
        record.sessions = {}
    new.stages[stage] = record
    return new, record


def _done(manifest: PipelineManifest, record: StageRecord, when: datetime | None = None) -> PipelineManifest:
    record.status = stage_status(record)
    manifest.stages = _ordered(manifest.stages)
    manifest.updated_at = when or _now()
    return manifest


def _ordered(stages: dict[str, StageRecord]) -> dict[str, StageRecord]:
    rank = {name: i for i, name in enumerate(STAGES)}
    return dict(sorted(stages.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))


def mark_session_complete(manifest: PipelineManifest, stage: str, session_id: str, provider: str | None,
                          model: str | None, *, tokens_in: int = 0, tokens_out: int = 0, cost_usd: float = 0.0,
                          cached: int = 0, completed_at: datetime | None = None,
                          dropped_unverified: int = 0) -> PipelineManifest:
    """Record that ``stage:session_id``'s target has landed."""
    new, record = _edit(manifest, stage, per_session=True)
    assert record.sessions is not None
    known = session_id in record.sessions
    record.sessions[session_id] = SessionRecord(
        status="complete", session_id=session_id, completed_at=completed_at or _now(), provider=provider,
        model=model, tokens_in=tokens_in, tokens_out=tokens_out, cost_usd=cost_usd, cached=cached,
        dropped_unverified=dropped_unverified)
    if not known:
        record.sessions = dict(sorted(record.sessions.items(), key=lambda item: _session_key(item[0])))
    return _done(new, record)


def mark_stage_complete(manifest: PipelineManifest, stage: str, provider: str | None, model: str | None, *,
                        tokens_in: int = 0, tokens_out: int = 0, cost_usd: float = 0.0, cached: int = 0,
                        completed_at: datetime | None = None) -> PipelineManifest:
    """Record that a cross-session stage's target(s) have landed."""
    new, record = _edit(manifest, stage, per_session=False)
    record.status = "complete"
    record.completed_at = completed_at or _now()
    record.provider, record.model = provider, model
    record.tokens_in, record.tokens_out, record.cost_usd, record.cached = tokens_in, tokens_out, cost_usd, cached
    record.error = record.failed_at = None
    return _done(new, record)


def mark_failed(manifest: PipelineManifest, stage: str, session_id: str | None, error: str, *,
                failed_at: datetime | None = None) -> PipelineManifest:
    """Record that the last attempt of ``stage`` (for ``session_id``, if per-session) failed.

    Provenance of an earlier success stays in the record (it is what is still on disk).
    """
    when = failed_at or _now()
    new, record = _edit(manifest, stage, per_session=session_id is not None)
    if session_id is None:
        record.status, record.error, record.failed_at = "failed", error, when
        return _done(new, record)
    assert record.sessions is not None
    previous = record.sessions.get(session_id) or SessionRecord(session_id=session_id)
    record.sessions[session_id] = previous.model_copy(update={"status": "failed", "error": error, "failed_at": when})
    record.sessions = dict(sorted(record.sessions.items(), key=lambda item: _session_key(item[0])))
    return _done(new, record)


def _session_key(session_id: str) -> tuple[int, str]:
    """``s2`` before ``s10``."""
    digits = session_id.lstrip("s")
    return (int(digits), session_id) if digits.isdigit() else (1 << 30, session_id)


# -- reconcile with the targets on disk -------------------------------------------------------


def _valid_entries(index: TargetIndex, layout: Layout, stage: str, session_ids: Sequence[str | None],
                   adopt: bool) -> dict[str | None, Entry]:
    """Each valid target of ``stage``: from the index while the file is unchanged, else parsed
    from the file."""
    model = TARGET_MODELS.get(stage)
    if model is None:
        return {}
    targets = [(sid, path) for sid in session_ids if (path := target_path(layout, stage, sid)) is not None]
    return lookup(index, stage, model, targets, adopt)


def _recorded_error(layout: Layout, stage: str, session_id: str, entry: Entry | None) -> str | None:
    """The failure a transcript target records (a file that could not be read): it is on disk
    as a named failure, not a success. Only targets the index counts as not ok are opened."""
    if stage != "transcript" or entry is None or entry.counts.get("ok", 1):
        return None
    try:
        return read_payload(layout.session_target(stage, session_id), Transcript).error or None
    except TargetError:
        return None


def _agree(record: SessionRecord | StageRecord, meta: OutputMeta | None, on_disk: bool,
           error: str | None = None) -> None:
    """Make one record agree with its target: ``meta`` is the parsed target's ``_meta`` (None when
    missing or invalid); ``on_disk`` says the target is valid (for ``render``, whose files exist);
    ``error`` is the failure the target itself records."""
    if not on_disk:
        if record.status == "complete":
            record.status = "pending"
            record.completed_at = None
        return
    if error is not None and meta is not None:
        record.status, record.error, record.failed_at = "failed", error, meta.completed_at
        record.completed_at = None
        record.provider, record.model = meta.provider, meta.model
        return
    if record.status == "failed" and not (meta is not None and _after(meta.completed_at, record.failed_at)):
        return  # the last attempt failed after this target was made (or we cannot tell): keep saying so
    record.status = "complete"
    record.error = None
    record.failed_at = None
    if meta is not None:
        record.completed_at = meta.completed_at
        record.provider, record.model = meta.provider, meta.model
        record.tokens_in, record.tokens_out, record.cost_usd = meta.tokens_in, meta.tokens_out, meta.cost_usd
        record.dropped_unverified = meta.dropped_unverified
        record.cached = meta.cached
    elif record.completed_at is None:
        record.completed_at = _now()


def _after(made: datetime, failed: datetime | None) -> bool:
    """Whether a target made at ``made`` is newer than a failure at ``failed``."""
    return failed is None or made.astimezone(timezone.utc) > failed.astimezone(timezone.utc)


def reconcile(manifest: PipelineManifest, layout: Layout, stages_and_sessions: StudyStages,
              other_targets: Mapping[str, Sequence[Path]] | None = None, index: TargetIndex | None = None,
              adopt: bool = False) -> PipelineManifest:
    """A manifest that agrees with the targets on disk.

    ``stages_and_sessions`` maps each stage of the study to its session ids (per-session stages)
    or None (cross-session stages); see :func:`study_stages`. A record claiming ``complete``
    whose target is missing or does not parse becomes ``pending``; a valid target the manifest
    does not know (or knows as pending) becomes ``complete`` with its ``_meta`` provenance; a
    ``failed`` record stays failed unless its target is newer than the failure. Sessions and
    stages no longer in the study are dropped. Stages without a JSON target (``render``) are
    checked by the existence of their files in ``other_targets``, or kept as recorded when none
    are given. Targets are looked up in ``index`` (read-only by default; ``adopt`` records
    targets it did not know).
    """
    index = index if index is not None else TargetIndex(layout.state_dir, read_only=True)
    new = manifest.model_copy(deep=True)
    stages: dict[str, StageRecord] = {}
    for stage, session_ids in stages_and_sessions.items():
        old = new.stages.get(stage)
        model = TARGET_MODELS.get(stage)
        if session_ids is None:
            record = old if old is not None and old.sessions is None else StageRecord(name=stage)
            if model is not None:
                entry = _valid_entries(index, layout, stage, [None], adopt).get(None)
                _agree(record, entry.meta if entry else None, entry is not None)
            elif other_targets is not None and stage in other_targets:
                files = other_targets[stage]
                _agree(record, None, bool(files) and all(Path(p).is_file() for p in files))
        else:
            known = (old.sessions or {}) if old is not None else {}
            record = StageRecord(name=stage, sessions={})
            entries = _valid_entries(index, layout, stage, list(session_ids), adopt)
            for sid in sorted(session_ids, key=_session_key):
                session = known.get(sid) or SessionRecord(session_id=sid)
                entry = entries.get(sid)
                _agree(session, entry.meta if entry else None, entry is not None,
                       _recorded_error(layout, stage, sid, entry))
                record.sessions[sid] = session  # type: ignore[index]
        record.status = stage_status(record)
        stages[stage] = record
    new.stages = _ordered(stages)
    new.updated_at = _now()
    return new


# -- reading and writing the file -------------------------------------------------------------


def load_manifest(path: Path) -> PipelineManifest:
    """The manifest at ``path``; a fresh one when it is missing, unreadable or of another schema."""
    try:
        manifest = PipelineManifest.model_validate_json(path.read_bytes())
    except (OSError, ValueError, ValidationError):
        return PipelineManifest()
    if manifest.schema_version != MANIFEST_SCHEMA_VERSION:
        return PipelineManifest()
    return manifest


def dump_manifest(manifest: PipelineManifest) -> str:
    """The manifest's JSON text."""
    return json.dumps(manifest.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"


def save_manifest(path: Path, manifest: PipelineManifest) -> None:
    """Write the manifest atomically."""
    write_text_atomic(path, dump_manifest(manifest))


class ManifestWriter:
    """Keeps ``pipeline-manifest.json`` and the target index up to date from a run's threads.

    Call :meth:`completed` right after a target landed and :meth:`failed` when a task failed.
    The first call loads the file (missing or corrupt → fresh manifest) and reconciles it with
    the targets of ``study()`` (the stages and sessions of this run, see :func:`study_stages`),
    so sessions not done yet are listed as pending. Each landed target is recorded in the
    index (one row), and the file is rewritten atomically with group commit: while one thread
    writes, others only mark it dirty. Each record's JSON is kept between writes and made
    again only when that record changed, so a landed target costs the same at 10 sessions
    as at 10,000 (before, the whole manifest was serialised per write: 15 % of a 1,000-session run).
    """

    def __init__(self, layout: Layout, study: Callable[[], StudyStages] | None = None,
                 index: TargetIndex | None = None) -> None:
        self.layout = layout
        self.path = manifest_path(layout)
        self.study = study
        self.index = index if index is not None else TargetIndex(layout.state_dir)
        self._lock = threading.Lock()
        self._manifest: PipelineManifest | None = None
        self._dirty = False
        self._writing = False
        self._next_write = 0.0
        self._timer: threading.Timer | None = None
        self._fragments: dict[tuple[str, str], tuple[SessionRecord, str]] = {}

    @property
    def manifest(self) -> PipelineManifest:
        """The current manifest (loaded and reconciled on first use)."""
        with self._lock:
            return self._current()

    def _current(self) -> PipelineManifest:
        if self._manifest is None:
            manifest = load_manifest(self.path)
            if self.study is not None:
                manifest = reconcile(manifest, self.layout, self.study(), index=self.index, adopt=True)
            self._manifest = manifest
        return self._manifest

    def _apply(self, change: Callable[[PipelineManifest], PipelineManifest]) -> PipelineManifest:
        """Change the manifest and get it on disk (group commit, see the class docstring).

        A manifest of more than :data:`DEFER_BYTES` (thousands of sessions) is written at
        most once per ten durations of its last write, the rest by a timer, so writing it
        takes at most a tenth of the run; smaller ones are written at once. The index has
        every landed target meanwhile, and readers reconcile with it.
        """
        with self._lock:
            self._manifest = change(self._current())
            self._dirty = True
            result = self._manifest
            if self._writing:
                return result
            wait = self._next_write - time.monotonic()
            if wait > 0:
                if self._timer is None:
                    self._timer = threading.Timer(wait, self._flush)
                    self._timer.start()
                return result
            self._writing = True
        self._write_dirty()
        return result

    def flush(self) -> None:
        """Write what a timer would write later, now (e.g. before reading the file back)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._next_write = 0.0
        self._flush()

    def _flush(self) -> None:
        with self._lock:
            self._timer = None
            if self._writing or not self._dirty:
                return
            self._writing = True
        self._write_dirty()

    def _write_dirty(self) -> None:
        """Write until nothing is dirty (the caller set ``_writing``)."""
        try:
            while True:
                with self._lock:
                    if not self._dirty:
                        self._writing = False
                        return
                    snapshot, self._dirty = self._manifest, False
                started = time.monotonic()
                text = self._text(snapshot)
                write_text_atomic(self.path, text)
                took = time.monotonic() - started
                with self._lock:
                    self._next_write = time.monotonic() + (10 * took if len(text) > DEFER_BYTES else 0.0)
                    if self._next_write > time.monotonic() and self._dirty:
                        if self._timer is None:
                            self._timer = threading.Timer(self._next_write - time.monotonic(), self._flush)
                            self._timer.start()
                        self._writing = False
                        return
        except BaseException:
            with self._lock:
                self._writing = False
            raise

    def _text(self, manifest: PipelineManifest) -> str:
        """The manifest's JSON, one session record a line; unchanged records are not serialised
        again (records are replaced, never mutated, by the ``mark_*`` functions)."""
        stages = []
        for name, record in manifest.stages.items():
            head = record.model_dump_json(exclude={"sessions"})
            if record.sessions is None:
                stages.append(f" {json.dumps(name)}: {head[:-1]}, \"sessions\": null}}")
                continue
            lines = ",\n".join(f"  {json.dumps(sid)}: {self._fragment(name, sid, session)}"
                                for sid, session in record.sessions.items())
            stages.append(f" {json.dumps(name)}: {head[:-1]}, \"sessions\": {{\n{lines}}}}}")
        updated = json.dumps(manifest.updated_at.isoformat() if manifest.updated_at else None)
        return (f'{{"schema_version": {manifest.schema_version}, "updated_at": {updated}, "stages": {{\n'
                + ",\n".join(stages) + "}}\n")

    def _fragment(self, stage: str, session_id: str, record: SessionRecord) -> str:
        cached = self._fragments.get((stage, session_id))
        if cached is not None and cached[0] is record:
            return cached[1]
        text = record.model_dump_json()
        self._fragments[(stage, session_id)] = (record, text)
        return text

    def reconcile(self) -> PipelineManifest:
        """Load, reconcile with the targets on disk and write (e.g. at the start of a run)."""
        return self._apply(lambda m: m)

    def completed(self, stage: str, session_id: str | None, meta: OutputMeta | None = None,
                  payload: BaseModel | None = None) -> PipelineManifest:
        """``stage`` (for ``session_id``) has its target on disk, made as ``meta`` says; with
        ``payload`` (the target's content) its counts go into the index too."""
        path = target_path(self.layout, stage, session_id) if stage in TARGET_MODELS else None
        if meta is not None and payload is not None and path is not None:
            self.index.landed(stage, session_id, path, meta, counts_of(payload))
        provider, model = (meta.provider, meta.model) if meta else (None, None)
        when = meta.completed_at if meta else _now()
        tokens_in, tokens_out, cost = (meta.tokens_in, meta.tokens_out, meta.cost_usd) if meta else (0, 0, 0.0)
        cached = meta.cached if meta else 0
        if session_id is None:
            return self._apply(lambda old: mark_stage_complete(
                old, stage, provider, model, tokens_in=tokens_in, tokens_out=tokens_out, cost_usd=cost,
                cached=cached, completed_at=when))
        dropped = meta.dropped_unverified if meta else 0
        return self._apply(lambda old: mark_session_complete(
            old, stage, session_id, provider, model, tokens_in=tokens_in, tokens_out=tokens_out, cost_usd=cost,
            cached=cached, completed_at=when, dropped_unverified=dropped))

    def failed(self, stage: str, session_id: str | None, error: str) -> PipelineManifest:
        """The last attempt of ``stage`` (for ``session_id``) failed with ``error``."""
        return self._apply(lambda m: mark_failed(m, stage, session_id, error))
