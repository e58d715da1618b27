"""The pipeline manifest: derived statuses, reconciling with the targets, the thread-safe writer."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bristlenose.pipeline import manifest as mf
from bristlenose.pipeline.layout import Layout
from bristlenose.pipeline.manifest import (
    ManifestWriter,
    PipelineManifest,
    load_manifest,
    mark_failed,
    mark_session_complete,
    mark_stage_complete,
    reconcile,
    stage_status,
    study_stages,
)
from bristlenose.pipeline.targets import read_target, write_target
from bristlenose.models import OutputMeta, ScreenClusters, SessionQuotes

T0 = datetime(2025, 1, 1, 12, 0, tzinfo=timezone.utc)


def meta(stage: str, sid: str | None, *, provider: str = "anthropic", at: datetime = T0) -> OutputMeta:
    return OutputMeta(stage=stage, session_id=sid, logic_version="x/1", input_hash="h", provider=provider,
                      model="m-1", completed_at=at, calls=1, tokens_in=100, tokens_out=20, cost_usd=0.01)


def write_quotes(layout: Layout, sid: str, **kw: object) -> Path:
    path = layout.session_target("quotes", sid)
    write_target(path, meta("quotes", sid, **kw), SessionQuotes(session_id=sid))  # type: ignore[arg-type]
    return path


def statuses(manifest: PipelineManifest, stage: str) -> dict[str, str]:
    sessions = manifest.stages[stage].sessions
    assert sessions is not None
    return {sid: record.status for sid, record in sessions.items()}


def test_mark_session_complete_is_pure_and_records_provenance() -> None:
    empty = PipelineManifest()
    new = mark_session_complete(empty, "quotes", "s1", "anthropic", "claude", tokens_in=5, tokens_out=2,
                                cost_usd=0.5, completed_at=T0)
    assert empty.stages == {}
    record = new.stages["quotes"].sessions["s1"]  # type: ignore[index]
    assert (record.status, record.provider, record.model, record.tokens_in, record.tokens_out, record.cost_usd,
            record.completed_at) == ("complete", "anthropic", "claude", 5, 2, 0.5, T0)
    assert new.updated_at is not None


def test_derived_stage_status_complete_partial_pending_failed() -> None:
    m = reconcile(PipelineManifest(), Layout(Path("/nonexistent")), {"quotes": ["s1", "s2", "s3"]})
    assert stage_status(m.stages["quotes"]) == m.stages["quotes"].status == "pending"
    m = mark_session_complete(m, "quotes", "s1", "p", "m")
    assert m.stages["quotes"].status == "partial"
    m = mark_session_complete(m, "quotes", "s2", "p", "m")
    m = mark_failed(m, "quotes", "s3", "credit balance is too low")
    # failed wins over partial: a failed session needs attention even when the others are done
    assert m.stages["quotes"].status == "failed"
    assert m.stages["quotes"].sessions["s3"].error == "credit balance is too low"  # type: ignore[index]
    m = mark_session_complete(m, "quotes", "s3", "openai", "gpt")
    assert m.stages["quotes"].status == "complete"
    assert m.stages["quotes"].sessions["s3"].error is None  # type: ignore[index]


def test_failure_keeps_the_provenance_of_what_is_on_disk() -> None:
    m = mark_session_complete(PipelineManifest(), "quotes", "s1", "anthropic", "claude", completed_at=T0)
    m = mark_failed(m, "quotes", "s1", "boom")
    record = m.stages["quotes"].sessions["s1"]  # type: ignore[index]
    assert (record.status, record.provider, record.completed_at, record.error) == ("failed", "anthropic", T0, "boom")


def test_cross_session_stage_has_its_own_status() -> None:
    m = mark_failed(PipelineManifest(), "clusters", None, "bad answer")
    assert (m.stages["clusters"].status, m.stages["clusters"].sessions) == ("failed", None)
    m = mark_stage_complete(m, "clusters", "anthropic", "claude", tokens_in=7, completed_at=T0)
    rec = m.stages["clusters"]
    assert (rec.status, rec.error, rec.provider, rec.tokens_in, rec.completed_at) == ("complete", None, "anthropic", 7, T0)


def test_stages_are_kept_in_pipeline_order() -> None:
    m = mark_stage_complete(PipelineManifest(), "themes", "p", "m")
    m = mark_session_complete(m, "quotes", "s10", "p", "m")
    m = mark_session_complete(m, "quotes", "s2", "p", "m")
    m = mark_session_complete(m, "transcript", "s1", "p", "m")
    assert list(m.stages) == ["transcript", "quotes", "themes"]
    assert list(m.stages["quotes"].sessions) == ["s2", "s10"]  # type: ignore[arg-type]


def test_reconcile_drops_claims_without_valid_targets_and_adopts_valid_ones(tmp_path: Path) -> None:
    layout = Layout(tmp_path)
    write_quotes(layout, "s1", provider="openai")       # on disk, unknown to the manifest
    write_quotes(layout, "s2")                          # on disk and recorded
    broken = layout.session_target("quotes", "s3")      # recorded, but half-written
    broken.parent.mkdir(parents=True)
    broken.write_text('{"_meta": {"stage": "quo', encoding="utf-8")
    m = PipelineManifest()
    for sid in ("s2", "s3", "s4", "gone"):              # s4: recorded, target missing; gone: not in the study
        m = mark_session_complete(m, "quotes", sid, "anthropic", "m-1")
    m = mark_stage_complete(m, "clusters", "anthropic", "m-1")  # no target on disk

    out = reconcile(m, layout, study_stages(["s1", "s2", "s3", "s4"]))

    assert statuses(out, "quotes") == {"s1": "complete", "s2": "complete", "s3": "pending", "s4": "pending"}
    s1 = out.stages["quotes"].sessions["s1"]  # type: ignore[index]
    assert (s1.provider, s1.model, s1.tokens_in, s1.tokens_out, s1.cost_usd, s1.completed_at) == \
        ("openai", "m-1", 100, 20, 0.01, T0)
    assert out.stages["quotes"].status == "partial"
    assert out.stages["clusters"].status == "pending"
    assert statuses(out, "transcript") == dict.fromkeys(["s1", "s2", "s3", "s4"], "pending")
    assert list(out.stages) == list(mf.STAGES)
    # nothing in the reconciled manifest claims a target that does not parse
    for stage, record in out.stages.items():
        for sid, session in (record.sessions or {}).items():
            if session.status == "complete":
                read_target(mf.target_path(layout, stage, sid), mf.TARGET_MODELS[stage])  # raises if invalid


def test_reconcile_keeps_a_failure_newer_than_the_target(tmp_path: Path) -> None:
    layout = Layout(tmp_path)
    write_quotes(layout, "s1", at=T0)
    write_quotes(layout, "s2", at=T0 + timedelta(hours=2))  # a success whose manifest write was lost
    m = mark_failed(PipelineManifest(), "quotes", "s1", "later failure", failed_at=T0 + timedelta(hours=1))
    m = mark_failed(m, "quotes", "s2", "earlier failure", failed_at=T0 + timedelta(hours=1))
    out = reconcile(m, layout, {"quotes": ["s1", "s2"]})
    assert statuses(out, "quotes") == {"s1": "failed", "s2": "complete"}
    assert out.stages["quotes"].status == "failed"


def test_reconcile_checks_render_files_when_given(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    m = mark_stage_complete(PipelineManifest(), "render", None, None)
    assert reconcile(m, Layout(tmp_path), {"render": None}, {"render": [report]}).stages["render"].status == "pending"
    report.write_text("<html></html>")
    m = reconcile(PipelineManifest(), Layout(tmp_path), {"render": None}, {"render": [report]})
    assert m.stages["render"].status == "complete"


def test_writer_tolerates_a_corrupt_manifest_and_reconciles_first(tmp_path: Path) -> None:
    layout = Layout(tmp_path)
    path = mf.manifest_path(layout)
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    assert load_manifest(path) == PipelineManifest()
    write_quotes(layout, "s1")
    writer = ManifestWriter(layout, study=lambda: study_stages(["s1", "s2"]))
    writer.completed("quotes", "s2", meta("quotes", "s2"))
    on_disk = load_manifest(path)
    assert statuses(on_disk, "quotes") == {"s1": "complete", "s2": "complete"}
    assert on_disk.stages["clusters"].status == "pending"
    writer.failed("clusters", None, "provider said no")
    assert load_manifest(path).stages["clusters"].error == "provider said no"


def test_concurrent_marks_all_land_and_every_write_is_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    layout = Layout(tmp_path)
    sids = [f"s{i}" for i in range(1, 41)]
    writer = ManifestWriter(layout, study=lambda: study_stages(sids))
    path = mf.manifest_path(layout)
    seen: list[str] = []
    real_replace = mf.write_text_atomic

    def checked(target: Path, text: str, mode: int | None = None) -> None:
        real_replace(target, text, mode)
        json.loads(path.read_text(encoding="utf-8"))  # a reader never sees a half-written file
        seen.append(text)

    monkeypatch.setattr(mf, "write_text_atomic", checked)
    barrier = threading.Barrier(len(sids))

    def work(sid: str) -> None:
        barrier.wait()
        for stage in mf.SESSION_STAGES:
            if stage == "quotes" and sid == "s7":
                writer.failed(stage, sid, "boom")
            else:
                writer.completed(stage, sid, meta(stage, sid))

    threads = [threading.Thread(target=work, args=(sid,)) for sid in sids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writer.flush()  # a no-op for a small manifest: each write lands at once

    final = load_manifest(path)
    # concurrent marks are written together (group commit), never lost
    assert 1 <= len(seen) <= len(sids) * len(mf.SESSION_STAGES)
    for stage in ("transcript", "speakers", "topics"):
        assert set(statuses(final, stage).values()) == {"complete"}
        assert final.stages[stage].status == "complete"
    quotes = statuses(final, "quotes")
    assert quotes.pop("s7") == "failed" and set(quotes.values()) == {"complete"}
    assert final.stages["quotes"].status == "failed"
    assert not list(path.parent.glob(".pipeline-manifest.json.*.tmp"))  # no temp files left behind


def test_manifest_of_a_real_target_writer_round_trip(tmp_path: Path) -> None:
    """Cross-session targets are found at their intermediate paths."""
    layout = Layout(tmp_path)
    write_target(layout.intermediate("screen_clusters"), meta("clusters", None), ScreenClusters())
    out = reconcile(PipelineManifest(), layout, {"clusters": None, "themes": None})
    assert (out.stages["clusters"].status, out.stages["themes"].status) == ("complete", "pending")
    assert out.stages["clusters"].provider == "anthropic"
