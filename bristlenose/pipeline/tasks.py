"""doit task creators: one task per (session, stage), then merges, cross-session stages and
the report.

Task names follow ``stage:session`` (``quotes:s3``) so ``doit forget quotes:s3`` redoes one
session and ``doit forget quotes`` the whole stage. Inputs are ``file_dep`` (doit compares
size and mtime, then content); settings that shape an output are ``config_changed``;
:class:`TargetCurrent` checks each JSON target itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

from doit.exceptions import InvalidCommand
from doit.tools import config_changed

from bristlenose.analysis.transcript import build_transcript
from bristlenose.pipeline import offload, stages
from bristlenose.pipeline.context import RunContext
from bristlenose.pipeline.estimate import WorkEstimate, estimate_remaining, spoken_chars, transcript_chars
from bristlenose.pipeline.manifest import ManifestWriter, study_stages
from bristlenose.pipeline.people import EditsCurrent, PeopleEdits, read_people
from bristlenose.pipeline.report import report_targets, run_render, template_files
from bristlenose.pipeline.targets import TargetError, read_meta, read_payload
from bristlenose.pipeline.uptodate import TargetCurrent, settings_digest
from bristlenose.ingest import IngestError, find_sessions, nothing_to_analyse
from bristlenose.llm import OFFLINE_MODEL
from bristlenose.models import (
    ExtractedQuotes,
    Participants,
    ScreenClusters,
    SessionQuotes,
    SessionSource,
    SkippedFile,
    ThemeGroups,
    TopicBoundaries,
    TopicMap,
    Transcript,
)
from bristlenose.parsers import ParseError, parse_transcript
from bristlenose.transcribe.media import declared_seconds

TaskDict = dict[str, Any]
OFFLINE = "offline"


def _maker(values: dict[str, Any], target: Path) -> str:
    """``provider (model)`` that made a target, from the dependency state or the target itself."""
    provider, model = values.get("provider"), values.get("model")
    if provider is None:
        try:
            meta = read_meta(target)
        except TargetError:
            return ""
        provider, model = meta.provider, meta.model
    return f"{provider} ({model})"


class TaskGraph:
    """Creates the tasks of one study from its settings and the sessions found on disk."""

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.layout = ctx.layout
        self.llm_checks: dict[str, TargetCurrent] = {}
        ctx.estimate = self.remaining_work
        ctx.session_ids = lambda: [s.session_id for s in self.sessions]
        ctx.notes = lambda: [s.path for s in self.found[1] if s.note]
        ctx.manifest = ManifestWriter(self.layout, study=lambda: study_stages(ctx.session_ids()))

    @cached_property
    def found(self) -> tuple[list[SessionSource], list[SkippedFile]]:
        """Sessions (with stable ids) and skipped files; looked up once per doit command."""
        try:
            return find_sessions(self.ctx.input_dir, self.layout.output_dir, self.layout.registry)
        except IngestError as exc:
            raise InvalidCommand(str(exc)) from None

    @cached_property
    def people(self) -> PeopleEdits:
        """The researcher's edits of the people file, read once per doit command."""
        return read_people(self.layout)

    @property
    def sessions(self) -> list[SessionSource]:
        """Sessions in id order."""
        return self.found[0]

    def llm_targets_missing(self) -> bool:
        """Whether a target an LLM stage makes is missing (so calls are certainly due); stats only."""
        cross = (self.layout.intermediate(name) for name in ("screen_clusters", "theme_groups"))
        return any(not path.exists() for path in (*self.paths("topics"), *self.paths("quotes"), *cross))

    def paths(self, stage: str) -> list[Path]:
        """Every session's target of a per-session stage."""
        return [self.layout.session_target(stage, s.session_id) for s in self.sessions]

    def _identity_check(self) -> Callable[[str | None, str | None], bool] | None:
        """Which makers' targets are kept: any (provenance), but not the offline analyser's draft
        once an LLM is configured, nor a draft of an older offline analyser, and only the current
        provider/model with ``rerun_on_model_change``. A target made without any call
        (``bristlenose`` itself) is always kept."""
        settings = self.ctx.settings
        if settings.rerun_on_model_change:
            return lambda provider, model: (provider == stages.BUILTIN[0]
                                            or (provider, model) == (self.ctx.provider().name, self.ctx.provider().model))
        if settings.resolved_provider() == OFFLINE:
            # free and deterministic: a draft of an older version of the offline analyser is redone
            return lambda provider, model: provider != OFFLINE or model == OFFLINE_MODEL
        if not settings.keep_offline_results:
            return lambda provider, model: provider != OFFLINE
        return None

    def _json_task(self, doc: str, inputs: list[Path], target: Path, model: type, logic: str | tuple[str, ...],
                   action: tuple[Callable[..., Any], list[Any]], identity: bool,
                   shaping: dict[str, Any] | None = None) -> TaskDict:
        """A task whose target is one JSON file with ``_meta`` (and, given ``shaping``, the
        settings that shape it as a ``config_changed``)."""
        digest = settings_digest(shaping) if shaping is not None else None
        check = TargetCurrent(target, model, logic, tuple(inputs), self._identity_check() if identity else None,
                              digest)
        return {
            "doc": doc,
            "file_dep": [str(p) for p in inputs],
            "targets": [str(target)],
            "actions": [action],
            "uptodate": [check, *([config_changed(shaping)] if shaping is not None else [])],
            "clean": True,
        }

    def _provenance(self, task_name: str) -> dict[str, Any]:
        """What ``doit info`` shows of a finished task: its provider, model and when (looked up
        only for ``doit info``, or when the command is not known)."""
        if self.ctx.command not in (None, "info"):
            return {}
        from doit.globals import Globals

        manager = Globals.dep_manager
        values = manager.get_values(task_name) if manager is not None else {}
        return {key: values[key] for key in ("provider", "model", "completed_at") if key in values}

    def transcript(self) -> Iterator[TaskDict]:
        """Parse each session's transcript file, or transcribe its recording (transcript:sN)."""
        previous_recording: str | None = None
        for source in self.sessions:
            target = self.layout.session_target("transcript", source.session_id)
            name, logic = stages.transcript_input(source)
            recording = logic == stages.RECORDING_LOGIC
            task = self._json_task(f"Transcript of {source.name}", [self.ctx.input_dir / name], target, Transcript,
                                   logic, (stages.run_transcript, [self.ctx, source, target]), identity=False,
                                   shaping=self.ctx.whisper.shaping() if recording else None)
            if recording:
                # In the doit process, one transcription at a time (the model is shared): chained,
                # so no thread sits waiting for the model while analysis could run. Worker
                # processes each have their own model and transcribe side by side.
                if not offload.parallel_transcription(self.ctx.settings):
                    task["task_dep"] = [previous_recording] if previous_recording else []
                    previous_recording = f"transcript:{source.session_id}"
            yield task | {"name": source.session_id, "meta": self._provenance(f"transcript:{source.session_id}")}

    def speakers(self) -> Iterator[TaskDict]:
        """Decide who moderates, participates and observes in each session (speakers:sN)."""
        for source in self.sessions:
            transcript = self.layout.session_target("transcript", source.session_id)
            target = self.layout.attributed(source.session_id)
            edited = self.people.session(source.session_id)
            work = stages.speakers_of(self.ctx, transcript, edited, redact=self.ctx.settings.redact_pii)
            task = self._session_llm_task("speakers", source, [transcript], target, Transcript, work,
                                          stages.speakers_logic(transcript))
            task["uptodate"].append(EditsCurrent(edited))
            yield task

    def redact(self) -> Iterator[TaskDict]:
        """Replace personal data in each attributed transcript when ``redact_pii`` is on, else
        pass it through (redact:sN); everything after this reads the result."""
        for source in self.sessions:
            sid = source.session_id
            attributed, target, audit = self.layout.attributed(sid), self.layout.redacted(sid), self.layout.redactions(sid)
            names = self.people.names_in(sid) if self.ctx.settings.redact_pii else []
            action = (stages.run_redact, [self.ctx, sid, attributed, target, audit, names])
            task = self._json_task(f"Redaction of {source.name}", [attributed], target, Transcript,
                                   stages.REDACT_LOGIC, action, identity=False,
                                   shaping=stages.redaction_shaping(self.ctx, names))
            task["targets"].append(str(audit))
            yield task | {"name": sid}

    def redact_media(self) -> Iterator[TaskDict]:
        """With ``redact_pii`` on, a copy of each session's recording with the redacted stretches
        silenced (redact_media:sN); the report plays it and never links the original."""
        if not self.ctx.settings.redact_pii:
            return
        for source in self.sessions:
            if not source.media:
                continue
            sid = source.session_id
            inputs = [self.ctx.input_dir / source.media[0], self.layout.attributed(sid), self.layout.redactions(sid)]
            copy = self.layout.redacted_recording(sid)
            yield {"name": sid, "doc": f"Redacted recording of {source.name}", "file_dep": [str(p) for p in inputs],
                   "targets": [str(copy)], "clean": True,
                   "actions": [(stages.run_redact_media, [self.ctx, sid, source.media[0], inputs, copy])]}

    def topics(self) -> Iterator[TaskDict]:
        """Find where each session moves between screens and subjects (topics:sN)."""
        for source in self.sessions:
            transcript = self.layout.redacted(source.session_id)
            target = self.layout.session_target("topics", source.session_id)
            work = stages.topics_of(self.ctx, transcript)
            yield self._session_llm_task("topics", source, [transcript], target, TopicMap, work)

    def quotes(self) -> Iterator[TaskDict]:
        """Extract each session's verbatim participant quotes (quotes:sN)."""
        for source in self.sessions:
            transcript = self.layout.redacted(source.session_id)
            topic_map = self.layout.session_target("topics", source.session_id)
            target = self.layout.session_target("quotes", source.session_id)
            work = stages.quotes_of(self.ctx, transcript, topic_map)
            yield self._session_llm_task("quotes", source, [transcript, topic_map], target, SessionQuotes, work)

    def _session_llm_task(self, stage: str, source: SessionSource, inputs: list[Path], target: Path,
                          model: type, work: Callable[..., Any], logic: Callable[[], str] | None = None) -> TaskDict:
        action = (stages.run_llm_stage, [self.ctx, stage, source.session_id, inputs, target, work, logic])
        task = self._json_task(f"{stage.capitalize()} of {source.name}", inputs, target, model,
                               stages.stage_logics(stage), action, identity=True)
        self.llm_checks[f"{stage}:{source.session_id}"] = task["uptodate"][0]
        return task | {"name": source.session_id, "meta": self._provenance(f"{stage}:{source.session_id}")}

    def remaining_work(self) -> WorkEstimate:
        """LLM work whose targets are missing or stale, for the estimate shown before spending,
        and who made the targets that are kept. Sizes come from the inputs, so the estimate does
        not depend on how far an earlier run got."""
        from doit.globals import Globals

        manager = Globals.dep_manager
        pending: dict[str, list[str]] = {}
        kept: dict[str, int] = {}
        redo_offline = 0
        for name, check in self.llm_checks.items():
            values = manager.get_values(name) if manager is not None else {}
            maker = _maker(values, check.target)
            if check.current(name, values):
                kept[maker] = kept.get(maker, 0) + 1
                continue
            redo_offline += maker.startswith(f"{OFFLINE} ")
            stage, _, session_id = name.partition(":")
            pending.setdefault(stage, []).append(session_id)
        cross = ["clusters", "themes"] if pending else [
            name for name, target in (("clusters", "screen_clusters"), ("themes", "theme_groups"))
            if not self.layout.intermediate(target).exists()]
        sizes = {s.session_id: self._transcript_chars(s) for s in self.sessions}
        return estimate_remaining(pending, sizes, len(self.sessions), len(cross), kept, redo_offline)

    def _transcript_chars(self, source: SessionSource) -> int:
        """Characters of transcript a session's prompts carry: from its transcript target, else
        from its transcript file (parsed as the transcript task would), else from the length of
        its recording."""
        try:
            transcript = read_payload(self.layout.session_target("transcript", source.session_id), Transcript)
        except TargetError:
            transcript = None
        name, logic = stages.transcript_input(source)
        if transcript is None and logic == stages.TRANSCRIPT_LOGIC:
            try:
                transcript = build_transcript(source, parse_transcript(self.ctx.input_dir / name))
            except ParseError:
                return 0
        if transcript is None:
            return spoken_chars(declared_seconds(self.ctx.input_dir / name) or 0.0)
        return transcript_chars([segment.text for segment in transcript.segments])

    @staticmethod
    def _idle(doc: str) -> TaskDict:
        """A cross-session task of a study with no sessions: nothing to merge, nothing written."""
        return {"doc": doc, "actions": None}

    def participants(self) -> TaskDict:
        """Give participants study-wide codes, stable once assigned."""
        if not self.sessions:
            return self._idle("Study-wide participant codes")
        target = self.layout.intermediate("participants")
        inputs = self.paths("redact")
        action = (stages.run_merge, [self.ctx, "participants", inputs, target, stages.participants_of(inputs, target)])
        return self._json_task("Study-wide participant codes", inputs, target, Participants,
                               stages.MERGE_LOGIC, action, identity=False)

    def topic_boundaries(self) -> TaskDict:
        """Merge every session's topics."""
        if not self.sessions:
            return self._idle("All sessions' topic boundaries")
        target = self.layout.intermediate("topic_boundaries")
        inputs = self.paths("topics")
        action = (stages.run_merge, [self.ctx, "topic_boundaries", inputs, target, stages.topic_boundaries_of(inputs)])
        return self._json_task("All sessions' topic boundaries", inputs, target,
                               TopicBoundaries, stages.MERGE_LOGIC, action, identity=False)

    def extracted_quotes(self) -> TaskDict:
        """Merge every session's quotes, with study-wide speaker codes."""
        if not self.sessions:
            return self._idle("All sessions' quotes")
        target = self.layout.intermediate("extracted_quotes")
        participants = self.layout.intermediate("participants")
        inputs = [*self.paths("quotes"), participants]
        action = (stages.run_merge, [self.ctx, "extracted_quotes", inputs, target,
                                     stages.extracted_quotes_of(self.paths("quotes"), participants)])
        return self._json_task("All sessions' quotes", inputs, target, ExtractedQuotes,
                               stages.MERGE_LOGIC, action, identity=False)

    def clusters(self) -> TaskDict:
        """Group quotes by product screen across sessions: the report's sections."""
        if not self.sessions:
            return self._idle("Quotes grouped by product screen")
        target = self.layout.intermediate("screen_clusters")
        inputs = [self.layout.intermediate("extracted_quotes"), self.layout.intermediate("topic_boundaries")]
        action = (stages.run_llm_stage, [self.ctx, "clusters", None, inputs, target, stages.clusters_of(*inputs)])
        return self._json_task("Quotes grouped by product screen", inputs, target, ScreenClusters,
                               stages.stage_logic("clusters"), action, identity=True) | {"meta": self._provenance("clusters")}

    def themes(self) -> TaskDict:
        """Find themes across sessions (beside ``clusters``: themes read the quotes only)."""
        if not self.sessions:
            return self._idle("Themes across sessions")
        target = self.layout.intermediate("theme_groups")
        inputs = [self.layout.intermediate("extracted_quotes")]
        action = (stages.run_llm_stage, [self.ctx, "themes", None, inputs, target, stages.themes_of(*inputs)])
        return self._json_task("Themes across sessions", inputs, target, ThemeGroups,
                               stages.stage_logic("themes"), action, identity=True) | {"meta": self._provenance("themes")}

    def render(self) -> TaskDict:
        """Write the HTML report, report.md, quotes.csv and one transcript page per session."""
        sessions = self.sessions
        if not sessions:
            # nothing analysable: exit 1 with the doctor's message rather than an empty report
            message = nothing_to_analyse(self.ctx.input_dir, self.found[1])
            return {"doc": "Write the report", "actions": [(stages.run_nothing_to_analyse, [self.ctx, message])]}
        skipped = [s for s in self.found[1] if not s.note]  # notes are the researcher's, not the report's
        inputs = [*self.paths("redact"), *self.paths("quotes"),
                  *(self.layout.intermediate(n) for n in
                    ("participants", "topic_boundaries", "extracted_quotes", "screen_clusters", "theme_groups"))]
        settings = self.ctx.settings
        if settings.redact_pii:
            inputs += [self.layout.redacted_recording(s.session_id) for s in sessions if s.media]
        return {
            "doc": "Write the report",
            "file_dep": [str(p) for p in [*inputs, *template_files()]],
            "targets": [str(p) for p in report_targets(self.layout, settings.project, sessions)],
            "actions": [(run_render, [self.ctx, sessions, skipped])],
            "uptodate": [config_changed({"project": settings.project, "redact_pii": settings.redact_pii,
                                         "skipped": [s.model_dump() for s in skipped],
                                         **({"names": names} if (names := self.people.names()) else {}),
                                         **({"report_names": "codes"} if settings.report_names == "codes" else {})})],
            "clean": True,
        }
