"""Read doit's dependency state the way the next run will, without disturbing a live run."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path


def recorded_done(dep_file: Path) -> set[str]:
    """Tasks whose success is committed in our SQLite backend."""
    if not dep_file.exists():
        return set()
    with sqlite3.connect(f"file:{dep_file}?mode=ro", uri=True) as conn:
        try:
            rows = conn.execute("select task_id, task_data from doit").fetchall()
        except sqlite3.OperationalError:
            return set()
    return {task_id for task_id, data in rows if "deps:" in json.loads(data)}
