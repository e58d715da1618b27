"""The durable doit backend: a task's record is on disk the moment doit finishes saving it."""

from __future__ import annotations

from pathlib import Path

import pytest
from doit.dependency import DatabaseException, JSONCodec

from bristlenose.pipeline.backend import DurableSqliteDB
from tests.support.state import recorded_done


def test_task_record_is_committed_when_doit_saves_its_last_key(tmp_path: Path) -> None:
    db_file = tmp_path / "doit.sqlite"
    db = DurableSqliteDB(str(db_file), JSONCodec())
    db.set("quotes:s1", "_values_:", {"provider": "offline"})
    assert recorded_done(db_file) == set()
    db.set("quotes:s1", "deps:", ["a.json"])
    assert recorded_done(db_file) == {"quotes:s1"}
    # no dump(): a process killed now keeps the record
    reopened = DurableSqliteDB(str(db_file), JSONCodec())
    assert reopened.get("quotes:s1", "_values_:") == {"provider": "offline"}
    assert reopened.in_("quotes:s1")


def test_forget_is_durable_at_once(tmp_path: Path) -> None:
    db_file = tmp_path / "doit.sqlite"
    db = DurableSqliteDB(str(db_file), JSONCodec())
    for task in ("quotes:s1", "quotes:s2"):
        db.set(task, "deps:", [])
    db.remove("quotes:s1")
    assert recorded_done(db_file) == {"quotes:s2"}
    db.remove_all()
    assert recorded_done(db_file) == set()


def test_dump_commits_partial_records(tmp_path: Path) -> None:
    db_file = tmp_path / "doit.sqlite"
    db = DurableSqliteDB(str(db_file), JSONCodec())
    db.set("quotes:s1", "ignore:", "1")
    db.set("quotes:s2", "_values_:", {})
    db.dump()
    reopened = DurableSqliteDB(str(db_file), JSONCodec())
    assert reopened.get("quotes:s2", "_values_:") == {}
    assert reopened.get("quotes:s1", "ignore:") == "1"


def test_damaged_state_file_gets_a_clear_error(tmp_path: Path) -> None:
    db_file = tmp_path / "doit.sqlite"
    db_file.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseException, match="damaged"):
        DurableSqliteDB(str(db_file), JSONCodec())
