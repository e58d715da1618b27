"""doit's ``info`` and ``clean`` with plain words for a researcher.

Registered as command plugins under doit's own names, so they replace the built-in ones:
``doit info quotes:s9`` names the task that does not exist (doit raises a KeyError with a
traceback), and ``doit clean -n`` says it is a dry run and lists what *would* be removed
(doit prints "removing file" even when it removes nothing).
"""

from __future__ import annotations

import difflib
import os
from typing import Any

from doit.cmd_clean import Clean as DoitClean
from doit.cmd_info import Info as DoitInfo
from doit.exceptions import InvalidCommand


class Info(DoitInfo):
    """doit's ``info``, refusing an unknown task name with the names that do exist."""

    def _execute(self, pos_args: list[str], hide_status: bool = False) -> int | None:
        names = [task.name for task in self.task_list]
        if len(pos_args) == 1 and pos_args[0] not in names:
            raise InvalidCommand(unknown_task_message(pos_args[0], names))
        return super()._execute(pos_args, hide_status=hide_status)


def unknown_task_message(name: str, names: list[str]) -> str:
    """``no task quotes:s9 in this study; quotes has sessions s1, s2 …`` with near names."""
    stage, _, session = name.partition(":")
    sessions = [other.partition(":")[2] for other in names if other.startswith(f"{stage}:")]
    if session and sessions:
        hint = f"; {stage} has sessions {', '.join(sessions)} (`doit list --all {stage}` shows them)"
    else:
        close = difflib.get_close_matches(name, names, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `doit list` shows every task"
    return f"no task {name} in this study{hint}"


class Clean(DoitClean):
    """doit's ``clean``; with ``-n`` it says that nothing is removed and what would be."""

    def clean_tasks(self, tasks: list[Any], dryrun: bool, cleanforget: bool) -> None:
        if not dryrun:
            super().clean_tasks(tasks, dryrun, cleanforget)
            return
        self.outstream.write("Dry run (-n): nothing is removed. `doit clean` without -n would remove:\n")
        seen: set[str] = set()
        count = 0
        for task in tasks:
            if task.name in seen:
                continue
            seen.add(task.name)
            if getattr(task, "_remove_targets", False) is not True:
                if task.clean_actions:
                    self.outstream.write(f"  {task.name} - would run its clean actions\n")
                continue
            for target in sorted(task.targets, reverse=True):
                if os.path.isfile(target):
                    self.outstream.write(f"  {task.name} - would remove {target}\n")
                    count += 1
        self.outstream.write(f"{count} file{'s' if count != 1 else ''} would be removed; nothing was removed.\n")
        self.dep_manager.close()
