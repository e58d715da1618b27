"""A run's last lines when it did less than asked: which files to fix, and why there is no report."""

from __future__ import annotations

from pathlib import Path


def unreadable_advice(unreadable: list[str]) -> list[str]:
    """Sessions whose file cannot be read fail every run until the file is fixed: say how."""
    if not unreadable:
        return []
    count = len(unreadable)
    return [f"{count} session{'s' if count != 1 else ''} not analysed: replace or remove the unreadable "
            "file named above, then run `doit` again"]


def without_report(wrote_report: bool, stopper: BaseException | None, report: Path) -> list[str]:
    """A run that wrote no report ends saying so, why, and what to do next."""
    if wrote_report:
        return []
    if stopper is not None:
        lines = [f"No report written: {stopper}."]
    else:
        lines = ["No report written: fix what the lines above name, then run `doit` again "
                 "(finished work is kept; only what is unfinished runs)."]
    if report.exists():
        lines.append(f"The report at {report} is from an earlier run.")
    return lines
