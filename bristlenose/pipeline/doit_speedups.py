"""One linear replacement for a quadratic step of doit 0.37's task loading.

``TaskControl.add_implicit_task_dep`` turns each ``file_dep`` that another task makes into a
``task_dep``, checking ``name not in task.task_dep`` on a list: for a merge task over N
sessions that is N²/2 comparisons — 36 s of a 40 s no-op run at 10,000 sessions (the report
task alone has 2N inputs). The replacement keeps doit's result (same deps, same order) with a
set beside the list. Applied only to the doit version it was written against.
"""

from __future__ import annotations

from typing import Any

import doit
from doit.control import TaskControl

PATCHED_DOIT = (0, 37)


def _add_implicit_task_dep(targets: dict[str, str], task: Any, deps_list: Any) -> None:
    """doit's ``add_implicit_task_dep``, linear: same task_dep list, in the same order."""
    known = set(task.task_dep)
    for dep in deps_list:
        name = targets.get(dep)
        if name is not None and name not in known:
            task.task_dep.append(name)
            known.add(name)


def install() -> None:
    """Replace doit's quadratic step when this is the doit it was written for."""
    if tuple(doit.__version__[:2]) == PATCHED_DOIT:
        TaskControl.add_implicit_task_dep = staticmethod(_add_implicit_task_dep)  # type: ignore[method-assign]
