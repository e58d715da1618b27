"""The ``render`` task: gather the merged study, render it, write every file atomically."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from doit.exceptions import TaskFailed

from bristlenose.pipeline.atomic import SHARED_MODE, write_text_atomic
from bristlenose.pipeline.context import RunContext
from bristlenose.pipeline.layout import Layout
from bristlenose.pipeline.liveline import notice
from bristlenose.pipeline.people import read_people, record_people
from bristlenose.pipeline.targets import TargetError, read_payload, read_target
from bristlenose.models import (
    ExtractedQuotes,
    Participants,
    ScreenClusters,
    SessionQuotes,
    SessionSource,
    SkippedFile,
    SourceFile,
    ThemeGroups,
    TopicBoundaries,
    Transcript,
)
from bristlenose.report import CSV_PATH, MARKDOWN_PATH, render_report, report_filename, transcript_path
from bristlenose.report.data import Provenance, ReportInput
from bristlenose.report.paths import SESSIONS_DIR
from bristlenose.report.templates import template_dir


def report_targets(layout: Layout, project: str, sessions: list[SessionSource]) -> list[Path]:
    """Every file the report task writes."""
    names = [report_filename(project), MARKDOWN_PATH, CSV_PATH, *(transcript_path(s.session_id) for s in sessions)]
    return [layout.output_dir / name for name in names]


def template_files() -> list[Path]:
    """Templates the report is rendered from: editing one re-renders the report."""
    return sorted(p for p in template_dir().rglob("*") if p.is_file())


def run_render(ctx: RunContext, sessions: list[SessionSource], skipped: list[SkippedFile]) -> dict[str, Any] | TaskFailed:
    """Render the report from the merged targets and write it."""
    layout = ctx.layout
    try:
        data = _gather(ctx, sessions, skipped)
    except TargetError as exc:
        ctx.manifest.failed("render", None, str(exc))
        return TaskFailed(f"render: {exc}")
    files = render_report(data)
    for name, text in sorted(files.items()):
        write_text_atomic(layout.output_dir / name, text, mode=SHARED_MODE)
    # the people file is keyed by the speakers' own labels, which redaction replaces
    record_people(layout, [read_payload(layout.attributed(s.session_id), Transcript) for s in sessions]
                  if ctx.settings.redact_pii else data.transcripts)
    for skipped_file in skipped:
        notice(f"skipped {skipped_file.path}: {skipped_file.reason}")
    _remove_stale_pages(layout.output_dir / SESSIONS_DIR, {transcript_path(s.session_id) for s in sessions})
    ctx.manifest.completed("render", None)
    return {"report": str(layout.output_dir / report_filename(ctx.settings.project))}


def _gather(ctx: RunContext, sessions: list[SessionSource], skipped: list[SkippedFile]) -> ReportInput:
    """The report's input from the merged targets, with who analysed each session and stage."""
    layout = ctx.layout
    provenance = {}
    for source in sessions:
        meta, _ = read_target(layout.session_target("quotes", source.session_id), SessionQuotes)
        provenance[source.session_id] = Provenance(provider=meta.provider, model=meta.model)
    clusters_meta, clusters = read_target(layout.intermediate("screen_clusters"), ScreenClusters)
    themes_meta, themes = read_target(layout.intermediate("theme_groups"), ThemeGroups)
    return ReportInput(
        project=ctx.settings.project,
        input_dir=ctx.input_dir,
        output_dir=layout.output_dir,
        generated_at=datetime.now(timezone.utc),
        transcripts=[_played(ctx, read_payload(layout.redacted(s.session_id), Transcript)) for s in sessions],
        skipped=skipped,
        participants=read_payload(layout.intermediate("participants"), Participants),
        topics=read_payload(layout.intermediate("topic_boundaries"), TopicBoundaries),
        quotes=read_payload(layout.intermediate("extracted_quotes"), ExtractedQuotes),
        clusters=clusters,
        themes=themes,
        provenance=provenance,
        stage_provenance={stage: Provenance(provider=meta.provider, model=meta.model)
                          for stage, meta in (("clusters", clusters_meta), ("themes", themes_meta))},
        names={} if ctx.settings.redact_pii else read_people(layout, warn=False).names(),
        codes_only=ctx.settings.report_names == "codes",
    )


def _played(ctx: RunContext, transcript: Transcript) -> Transcript:
    """With ``redact_pii`` on, the report plays the silenced copy of a session's recording, or
    nothing where there is no copy: the original recording is never linked."""
    if not ctx.settings.redact_pii or not any(s.kind == "media" for s in transcript.sources):
        return transcript
    sources = [s for s in transcript.sources if s.kind != "media"]
    copy = ctx.layout.redacted_recording(transcript.session_id)
    if copy.exists():
        sources.append(SourceFile(path=Path(os.path.relpath(copy, ctx.input_dir)).as_posix(), kind="media"))
    return transcript.model_copy(update={"sources": sources})


def _remove_stale_pages(folder: Path, keep: set[str]) -> None:
    """Transcript pages of sessions no longer in the study must not linger in the report."""
    for page in folder.glob("transcript_*.html"):
        if f"{SESSIONS_DIR}/{page.name}" not in keep:
            page.unlink()
