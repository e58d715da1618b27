"""Atomic target writes: never a half-written file, never a target that does not validate."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bristlenose.pipeline.atomic import write_text_atomic
from bristlenose.pipeline.targets import TargetError, read_target, write_target
from bristlenose.models import OutputMeta, SessionQuotes, TopicMap


def meta() -> OutputMeta:
    return OutputMeta(stage="quotes", session_id="s1", logic_version="quotes@1/1", input_hash="x",
                      provider="offline", model="m", completed_at=datetime(2026, 1, 1, tzinfo=timezone.utc))


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "quotes.json"
    path.write_text("old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_text_atomic(path, "new")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["quotes.json"]


def test_target_round_trips_with_meta(tmp_path: Path) -> None:
    path = tmp_path / "sessions" / "s1" / "quotes.json"
    write_target(path, meta(), SessionQuotes(session_id="s1"))
    read_meta, payload = read_target(path, SessionQuotes)
    assert read_meta == meta()
    assert payload == SessionQuotes(session_id="s1")


def test_truncated_or_foreign_target_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "quotes.json"
    write_target(path, meta(), SessionQuotes(session_id="s1"))
    text = path.read_text()
    path.write_text(text[:-20])
    with pytest.raises(TargetError, match="not a valid SessionQuotes"):
        read_target(path, SessionQuotes)
    write_target(path, meta(), SessionQuotes(session_id="s1"))
    with pytest.raises(TargetError):
        read_target(path, TopicMap)
