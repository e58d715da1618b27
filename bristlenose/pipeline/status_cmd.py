"""``doit status``: where a study stands, stage by stage and session by session.

A doit command plugin (registered under ``[COMMAND]`` in doit.cfg / ``[tool.doit.plugins.command]``
in pyproject.toml). It loads the dodo's tasks like ``doit list`` does (so ``doit status
input=PATH`` works), takes the sessions from task names ``stage:sid``, reads
``pipeline-manifest.json`` and reconciles it with the targets on disk — so it is right even
when the manifest is stale or missing. It only reads: nothing runs, nothing is written.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from doit.cmd_base import DoitCmdBase
from doit.exceptions import InvalidCommand

from bristlenose.pipeline.layout import Layout
from bristlenose.llm.journal import journal_size
from bristlenose.pipeline.manifest import (
    CROSS_STAGES,
    SESSION_STAGES,
    STAGES,
    PipelineManifest,
    SessionRecord,
    StageRecord,
    load_manifest,
    manifest_path,
    reconcile,
)

opt_json = {
    "name": "as_json",
    "short": "",
    "long": "json",
    "type": bool,
    "default": False,
    "help": "print the state as JSON (for scripts)",
}


class Status(DoitCmdBase):
    """Print each stage's and session's state: status, provider, model, when, usage, quotes dropped as
    not verbatim, last error."""

    doc_purpose = "show the pipeline state of every stage and session (reads only)"
    doc_usage = "[STAGE ...] [--json]"
    doc_description = ("Reads .bristlenose/pipeline-manifest.json, checked against the targets on disk.\n"
                       "A per-session stage is failed if a session's last attempt failed, complete when\n"
                       "all sessions are, partial when some are, pending when none is.")
    cmd_options = (opt_json,)

    def _execute(self, as_json: bool = False, pos_args: list[str] | None = None) -> int:
        try:
            tasks = {task.name: task for task in self.task_list}
            layout, study, other_targets = study_from_tasks(tasks, self.dep_manager.name)
            wanted = pos_args or []
            unknown = [name for name in wanted if name not in study]
            if unknown:
                raise InvalidCommand(f"not a stage: {', '.join(unknown)} (stages: {', '.join(study)})")
            manifest = reconcile(load_manifest(manifest_path(layout)), layout, study, other_targets)
            if wanted:
                manifest.stages = {name: record for name, record in manifest.stages.items() if name in wanted}
            if as_json:
                self.outstream.write(json.dumps(state_json(manifest, layout), indent=1) + "\n")
            else:
                self.outstream.write(format_table(manifest, layout))
            return 0
        finally:
            self.dep_manager.close()


def study_from_tasks(tasks: dict[str, Any], dep_file: str) -> tuple[Layout, dict[str, list[str] | None],
                                                                    dict[str, list[Path]]]:
    """The output layout, stages with their sessions, and render's files, from the dodo's tasks."""
    sessions: dict[str, list[str]] = {stage: [] for stage in SESSION_STAGES}
    for name in tasks:
        stage, sep, sid = name.partition(":")
        if sep and stage in sessions:
            sessions[stage].append(sid)
    study: dict[str, list[str] | None] = {}
    for stage in STAGES:
        if stage in SESSION_STAGES:
            if stage in tasks or sessions[stage]:
                study[stage] = sessions[stage]
        elif stage in tasks:
            study[stage] = None
    clusters = tasks.get("clusters")
    if clusters is not None and clusters.targets:
        state_dir = Path(clusters.targets[0]).parent.parent  # .bristlenose/intermediate/screen_clusters.json
    else:
        state_dir = Path(dep_file).parent  # .bristlenose/doit.sqlite
    other = {stage: [Path(t) for t in tasks[stage].targets] for stage in CROSS_STAGES
             if stage in tasks and stage not in ("participants", "topic_boundaries", "extracted_quotes",
                                                 "clusters", "themes")}
    return Layout(state_dir.parent), study, other


def state_json(manifest: PipelineManifest, layout: Layout) -> dict[str, Any]:
    """The stable JSON shape: ``{"output": ..., "stages": {stage: {"status": ..., "sessions":
    {sid: {"status": ..., ...}} | null, ...}}}``."""
    body = manifest.model_dump(mode="json")
    answers, size = journal_size(layout.state_dir)
    return {"output": str(layout.output_dir), "updated_at": body["updated_at"], "stages": body["stages"],
            "answer_journal": {"answers": answers, "bytes": size}}


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _row(stage: str, session: str, record: SessionRecord | StageRecord) -> list[str]:
    done = record.status == "complete" or record.completed_at is not None
    tokens = f"{record.tokens_in}/{record.tokens_out}" if record.tokens_in or record.tokens_out else ""
    cost = f"${record.cost_usd:.4f}" if record.cost_usd else ""
    dropped = str(record.dropped_unverified) if record.dropped_unverified else ""
    if record.cached:
        cost = f"{cost} +{record.cached} cached".strip()
    error = (record.error or "").splitlines()[0][:120] if record.error else ""
    return [stage, session, record.status, (record.provider or "") if done else "",
            (record.model or "") if done else "", _when(record.completed_at), tokens, cost, dropped, error]


def format_table(manifest: PipelineManifest, layout: Layout) -> str:
    """A stage × session table: one line per cross-session stage, a summary line per per-session
    stage followed by one line per session."""
    rows: list[list[str]] = []
    summaries: dict[int, str] = {}
    for name, record in manifest.stages.items():
        if record.sessions is None:
            rows.append(_row(name, "", record))
            continue
        done = sum(1 for s in record.sessions.values() if s.status == "complete")
        summaries[len(rows)] = f"{done}/{len(record.sessions)} sessions complete"
        rows.append([name, "", record.status])
        rows.extend(_row("", sid, session) for sid, session in record.sessions.items())
    header = ["STAGE", "SESSION", "STATUS", "PROVIDER", "MODEL", "COMPLETED", "TOKENS IN/OUT", "COST", "DROPPED",
              "LAST ERROR"]
    widths = [max(len(r[i]) for r in [header, *rows] if i < len(r)) for i in range(len(header))]
    lines = [f"Pipeline state of {layout.output_dir}", "", _line(header, widths)]
    for index, row in enumerate(rows):
        lines.append(_line(row, widths) + (f"  {summaries[index]}" if index in summaries else ""))
    answers, size = journal_size(layout.state_dir)
    lines += ["", f"Answer journal: {answers} LLM answers, {size / 1048576:.1f} MB (answers identical requests "
                  "for free; llm_journal=false bypasses it)"]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths))
