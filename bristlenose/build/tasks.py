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

from bristlenose.build import offload, stages
from bristlenose.build.context import RunContext
from bristlenose.build.estimate import WorkEstimate, estimate_remaining, file_size
from bristlenose.build.manifest import ManifestWriter, study_stages
from bristlenose.build.report import report_targets, run_render, template_files
from bristlenose.build.uptodate import TargetCurrent
from bristlenose.ingest import IngestError, find_sessions
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

TaskDict = dict[str, Any]


class TaskGraph:
    """Creates the tasks of one study from its settings and the sessions found on disk."""

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.layout = ctx.layout
        self.llm_checks: dict[str, TargetCurrent] = {}
        ctx.estimate = self.remaining_work
        ctx.session_ids = lambda: [s.session_id for s in self.sessions]
        ctx.manifest = ManifestWriter(self.layout, study=lambda: study_stages(ctx.session_ids()))

    @cached_property
    def found(self) -> tuple[list[SessionSource], list[SkippedFile]]:
        """Sessions (with stable ids) and skipped files; looked up once per doit command."""
        try:
            return find_sessions(self.ctx.input_dir, self.layout.output_dir, self.layout.registry)
        except IngestError as exc:
            raise InvalidCommand(str(exc)) from None

    @property
    def sessions(self) -> list[SessionSource]:
        """Sessions in id order."""
        return self.found[0]

    def paths(self, stage: str) -> list[Path]:
        """Every session's target of a per-session stage."""
        return [self.layout.session_target(stage, s.session_id) for s in self.sessions]

    def _identity_check(self) -> Callable[[], tuple[str, str]] | None:
        """With ``rerun_on_model_change``, targets must come from the current provider/model."""
        if not self.ctx.settings.rerun_on_model_change:
            return None
        return lambda: (self.ctx.provider().name, self.ctx.provider().model)

    def _json_task(self, doc: str, inputs: list[Path], target: Path, model: type, logic: str,
                   action: tuple[Callable[..., Any], list[Any]], identity: bool) -> TaskDict:
        """A task whose target is one JSON file with ``_meta``."""
        check = TargetCurrent(target, model, logic, tuple(inputs), self._identity_check() if identity else None)
        return {
            "doc": doc,
            "file_dep": [str(p) for p in inputs],
            "targets": [str(target)],
            "actions": [action],
            "uptodate": [check],
            "clean": True,
        }

    def _provenance(self, task_name: str) -> dict[str, Any]:
        """What ``doit info`` shows of a finished task: its provider, model and when."""
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
            task = self._json_task(f"Transcript of {source.name}", [self.ctx.input_dir / name], target, Transcript,
                                   logic, (stages.run_transcript, [self.ctx, source, target]), identity=False)
            if logic == stages.RECORDING_LOGIC:
                task["uptodate"].append(config_changed(self.ctx.whisper.shaping()))
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
            work = stages.speakers_of(self.ctx, transcript)
            yield self._session_llm_task("speakers", source, [transcript], target, Transcript, work)

    def topics(self) -> Iterator[TaskDict]:
        """Find where each session moves between screens and subjects (topics:sN)."""
        for source in self.sessions:
            transcript = self.layout.attributed(source.session_id)
            target = self.layout.session_target("topics", source.session_id)
            work = stages.topics_of(self.ctx, transcript)
            yield self._session_llm_task("topics", source, [transcript], target, TopicMap, work)

    def quotes(self) -> Iterator[TaskDict]:
        """Extract each session's verbatim participant quotes (quotes:sN)."""
        for source in self.sessions:
            transcript = self.layout.attributed(source.session_id)
            topic_map = self.layout.session_target("topics", source.session_id)
            target = self.layout.session_target("quotes", source.session_id)
            work = stages.quotes_of(self.ctx, transcript, topic_map)
            yield self._session_llm_task("quotes", source, [transcript, topic_map], target, SessionQuotes, work)

    def _session_llm_task(self, stage: str, source: SessionSource, inputs: list[Path], target: Path,
                          model: type, work: Callable[..., Any]) -> TaskDict:
        action = (stages.run_llm_stage, [self.ctx, stage, source.session_id, inputs, target, work])
        task = self._json_task(f"{stage.capitalize()} of {source.name}", inputs, target, model,
                               stages.stage_logic(stage), action, identity=True)
        self.llm_checks[f"{stage}:{source.session_id}"] = task["uptodate"][0]
        return task | {"name": source.session_id, "meta": self._provenance(f"{stage}:{source.session_id}")}

    def remaining_work(self) -> WorkEstimate:
        """LLM work whose targets are missing or stale, for the estimate shown before spending."""
        from doit.globals import Globals

        manager = Globals.dep_manager
        pending: dict[str, list[str]] = {}
        for name, check in self.llm_checks.items():
            values = manager.get_values(name) if manager is not None else {}
            if not check(None, values):
                stage, _, session_id = name.partition(":")
                pending.setdefault(stage, []).append(session_id)
        cross = ["clusters", "themes"] if pending else [
            name for name, target in (("clusters", "screen_clusters"), ("themes", "theme_groups"))
            if not self.layout.intermediate(target).exists()]
        sizes = {s.session_id: file_size(self.layout.session_target("transcript", s.session_id)) for s in self.sessions}
        return estimate_remaining(pending, sizes, len(self.sessions), len(cross))

    def participants(self) -> TaskDict:
        """Give participants study-wide codes, stable once assigned."""
        target = self.layout.intermediate("participants")
        inputs = self.paths("speakers")
        action = (stages.run_merge, [self.ctx, "participants", inputs, target, stages.participants_of(inputs, target)])
        return self._json_task("Study-wide participant codes", inputs, target, Participants,
                               stages.MERGE_LOGIC, action, identity=False)

    def topic_boundaries(self) -> TaskDict:
        """Merge every session's topics."""
        target = self.layout.intermediate("topic_boundaries")
        inputs = self.paths("topics")
        action = (stages.run_merge, [self.ctx, "topic_boundaries", inputs, target, stages.topic_boundaries_of(inputs)])
        return self._json_task("All sessions' topic boundaries", inputs, target,
                               TopicBoundaries, stages.MERGE_LOGIC, action, identity=False)

    def extracted_quotes(self) -> TaskDict:
        """Merge every session's quotes, with study-wide speaker codes."""
        target = self.layout.intermediate("extracted_quotes")
        participants = self.layout.intermediate("participants")
        inputs = [*self.paths("quotes"), participants]
        action = (stages.run_merge, [self.ctx, "extracted_quotes", inputs, target,
                                     stages.extracted_quotes_of(self.paths("quotes"), participants)])
        return self._json_task("All sessions' quotes", inputs, target, ExtractedQuotes,
                               stages.MERGE_LOGIC, action, identity=False)

    def clusters(self) -> TaskDict:
        """Group quotes by product screen across sessions: the report's sections."""
        target = self.layout.intermediate("screen_clusters")
        inputs = [self.layout.intermediate("extracted_quotes"), self.layout.intermediate("topic_boundaries")]
        action = (stages.run_llm_stage, [self.ctx, "clusters", None, inputs, target, stages.clusters_of(*inputs)])
        return self._json_task("Quotes grouped by product screen", inputs, target, ScreenClusters,
                               stages.stage_logic("clusters"), action, identity=True) | {"meta": self._provenance("clusters")}

    def themes(self) -> TaskDict:
        """Find themes across sessions (beside ``clusters``: themes read the quotes only)."""
        target = self.layout.intermediate("theme_groups")
        inputs = [self.layout.intermediate("extracted_quotes")]
        action = (stages.run_llm_stage, [self.ctx, "themes", None, inputs, target, stages.themes_of(*inputs)])
        return self._json_task("Themes across sessions", inputs, target, ThemeGroups,
                               stages.stage_logic("themes"), action, identity=True) | {"meta": self._provenance("themes")}

    def render(self) -> TaskDict:
        """Write the HTML report, report.md, quotes.csv and one transcript page per session."""
        sessions, skipped = self.found
        inputs = [*self.paths("speakers"), *self.paths("quotes"),
                  *(self.layout.intermediate(n) for n in
                    ("participants", "topic_boundaries", "extracted_quotes", "screen_clusters", "theme_groups"))]
        settings = self.ctx.settings
        return {
            "doc": "Write the report",
            "file_dep": [str(p) for p in [*inputs, *template_files()]],
            "targets": [str(p) for p in report_targets(self.layout, settings.project, sessions)],
            "actions": [(run_render, [self.ctx, sessions, skipped])],
            "uptodate": [config_changed({"project": settings.project,
                                         "skipped": [s.model_dump() for s in skipped]})],
            "clean": True,
        }
