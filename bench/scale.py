"""Benchmark a large study: full run, no-op run and `doit list`, by where CPU work runs.

Generates N realistic interviews (100–140 turns, mixed .txt/.vtt/.srt/.docx; see
``studygen.py``), then, for each worker setting, times a full run, a no-op run and
`doit list` with the offline analyser. ``--turns-tiny`` writes 4-turn sessions instead:
the no-op and list figures do not depend on session size (counts come from the index),
and a 10,000-session study then builds in minutes. ``--dask ADDRESS`` adds a run on a
Dask cluster. Prints wall time and the CPU time of the doit process (user+sys; pool and
Dask workers are separate processes). The first no-op run after a full run is doit's own
check of every task (and leaves the no-op shortcut's record); the second is answered by the
shortcut; the last, with ``--continue``, is doit's check again. Run from the repository:

    python bench/scale.py --sessions 1000 --workers 1 2
    python bench/scale.py --sessions 10000 --turns-tiny --workers 2 --skip-full-after-first
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.studygen import write_study  # noqa: E402
from tests.support.study import outside_env  # noqa: E402


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the command's own process tree it waited for, exit code)."""
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if proc.returncode != 0:
        print(proc.stdout[-1500:], proc.stderr[-1500:], file=sys.stderr)
    return wall, cpu, proc.returncode


def write_tiny(folder: Path, sessions: int) -> None:
    """Sessions of four turns in bristlenose's .txt format (for no-op and list at scale)."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, sessions + 1):
        (folder / f"s-{number:05d}.txt").write_text(
            f"[00:00] [m1] How was the checkout page number {number}?\n"
            "[00:05] [p1] Honestly the checkout page confused me, I could not find the delivery slot.\n"
            "[00:12] [m1] What did you expect to see there?\n"
            "[00:15] [p1] I expected the delivery options right on the basket page, that would be great.\n",
            encoding="utf-8")


def bench(label: str, study: Path, output: Path, settings: dict[str, str], full: bool) -> None:
    env = outside_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # time what a user sees: Python caches compiled modules
    env.update({"BRISTLENOSE_LLM_PROVIDER": "offline", "PYTHONPATH": str(REPO), **settings})
    doit = [sys.executable, "-m", "doit"]
    where = [f"input={study}", f"output={output}"]
    runs = [("full run", [*doit, "-v", "0", *where])] if full else []
    runs += [("no-op run", [*doit, "-v", "0", *where]), ("no-op run", [*doit, "-v", "0", *where]),
             ("doit list", [*doit, "list", *where]), ("doit list", [*doit, "list", *where]),
             ("no-op, doit's path", [*doit, "-v", "0", "--continue", *where])]
    for name, argv in runs:
        wall, cpu, code = timed(argv, env)
        status = "" if code == 0 else f"  (exit {code})"
        print(f"{label:<22} {name:<19} {wall:8.2f} s wall  {cpu:7.2f} s CPU of doit{status}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="cpu_workers values to compare")
    parser.add_argument("--dask", help="also run on the Dask scheduler at this address")
    parser.add_argument("--turns-tiny", action="store_true", help="4-turn sessions (no-op/list at scale)")
    parser.add_argument("--skip-full-after-first", action="store_true",
                        help="build once, then time only no-op and list for the other settings")
    parser.add_argument("--keep", type=Path, help="keep the study and outputs in this folder")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {load:.1f} at start; "
          f"offline analyser; {args.sessions} {'tiny' if args.turns_tiny else 'realistic'} sessions", flush=True)
    root = args.keep or Path(tempfile.mkdtemp(prefix="bristlenose-scale-"))
    try:
        study = root / "study"
        if not study.exists():
            started = time.perf_counter()
            write_tiny(study, args.sessions) if args.turns_tiny else write_study(study, args.sessions)
            print(f"generated in {time.perf_counter() - started:.1f} s", flush=True)
        settings = [(f"cpu_workers={w}", {"BRISTLENOSE_CPU_WORKERS": str(w)}) for w in args.workers]
        if args.dask:
            settings.append(("dask", {"BRISTLENOSE_DASK_SCHEDULER": args.dask}))
        shared = root / "output-shared"
        for number, (label, env) in enumerate(settings):
            output = shared if args.skip_full_after_first else root / f"output-{number}"
            bench(label, study, output, env, full=number == 0 or not args.skip_full_after_first)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
