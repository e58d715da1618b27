"""The target index: counts and ``_meta`` recorded when a target lands, believed only while
the file is unchanged, and in agreement with the targets even after a run is killed."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from bristlenose.pipeline.counts import StudyCounts
from bristlenose.pipeline.index import TargetIndex, counts_of, lookup
from bristlenose.pipeline.layout import Layout
from bristlenose.pipeline.manifest import SESSION_STAGES, TARGET_MODELS, ManifestWriter, study_stages
from bristlenose.pipeline.targets import TargetError, read_target, write_target
from bristlenose.models import Quote, QuoteType, SessionQuotes
from tests.support.state import recorded_done
from tests.support.study import Study, send
from tests.test_manifest import meta

FINISHED = {"quotes:s1", "quotes:s2", "quotes:s4", "participants", "topic_boundaries"}


def quotes(sid: str, n: int) -> SessionQuotes:
    return SessionQuotes(session_id=sid, quotes=[
        Quote(id=f"{sid}-q{i}", session_id=sid, speaker="p1", segment_index=i, start=float(i), text=f"said {i}",
              topic="home", quote_type=QuoteType.SCREEN_SPECIFIC)
        for i in range(n)])


def test_an_index_row_is_believed_only_while_its_target_is_unchanged(tmp_path: Path) -> None:
    layout = Layout(tmp_path)
    path = layout.session_target("quotes", "s1")
    writer = ManifestWriter(layout, study=lambda: study_stages(["s1"]))
    write_target(path, meta("quotes", "s1"), quotes("s1", 3))
    writer.completed("quotes", "s1", meta("quotes", "s1"), quotes("s1", 3))
    index = TargetIndex(layout.state_dir, read_only=True)
    assert index.fresh("quotes", [("s1", path)])["s1"].counts["quotes"] == 3

    write_target(path, meta("quotes", "s1"), quotes("s1", 5))  # rewritten behind the index's back
    os.utime(path, ns=(1, 1))
    assert index.fresh("quotes", [("s1", path)]) == {}
    assert lookup(index, "quotes", SessionQuotes, [("s1", path)])["s1"].counts["quotes"] == 5
    path.unlink()
    assert lookup(index, "quotes", SessionQuotes, [("s1", path)]) == {}


def test_progress_counts_are_read_from_the_index_without_opening_a_target(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    layout = Layout(tmp_path)
    writer = ManifestWriter(layout, study=lambda: study_stages(["s1", "s2"]))
    for sid, n in (("s1", 2), ("s2", 7)):
        write_target(layout.session_target("quotes", sid), meta("quotes", sid), quotes(sid, n))
        writer.completed("quotes", sid, meta("quotes", sid), quotes(sid, n))

    def no_reading(*args: object) -> None:
        raise AssertionError("a target was parsed")

    monkeypatch.setattr("bristlenose.pipeline.targets.read_target", no_reading)
    assert StudyCounts(layout, "p", lambda: ["s1", "s2"]).quotes() == 9


def test_a_target_the_index_never_saw_is_counted_from_the_file_and_adopted(tmp_path: Path) -> None:
    layout = Layout(tmp_path)
    write_target(layout.session_target("quotes", "s1"), meta("quotes", "s1"), quotes("s1", 4))
    assert StudyCounts(layout, "p", lambda: ["s1"]).quotes() == 4
    found = TargetIndex(layout.state_dir, read_only=True).fresh("quotes", [("s1", layout.session_target("quotes", "s1"))])
    assert found["s1"].counts == {"quotes": 4}


def test_the_index_agrees_with_the_targets_after_sigkill_mid_run(study: Study) -> None:
    proc = study.start(env={"BRISTLENOSE_TEST_SLOW": "quotes:s3=60"})
    study.wait_for(lambda: FINISHED <= recorded_done(study.state / "doit.sqlite")
                   and study.calls("start")["quotes:s3"] == 1)
    send(proc, signal.SIGKILL)

    index = TargetIndex(study.state, read_only=True)
    sessions = ["s1", "s2", "s3", "s4"]
    indexed = 0
    for stage in SESSION_STAGES:
        model = TARGET_MODELS[stage]
        targets = [(sid, study.target(stage, sid)) for sid in sessions]
        for sid, entry in index.fresh(stage, targets).items():
            on_disk_meta, payload = read_target(study.target(stage, str(sid)), model)
            assert entry.meta == on_disk_meta
            assert entry.counts == counts_of(payload)
            indexed += 1
    assert indexed >= 3 * 4 - 1  # every landed target but at most the one being written when killed
    assert index.fresh("quotes", [("s3", study.target("quotes", "s3"))]) == {}
    with pytest.raises(TargetError):
        read_target(study.target("quotes", "s3"), SessionQuotes)
