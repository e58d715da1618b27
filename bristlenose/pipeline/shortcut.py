"""The no-op shortcut: a plain ``doit`` over a study doit last found complete answers at once.

doit decides what is up to date task by task, and a study of 1,000 sessions has 5,000 tasks:
creating and checking them took 1.7 s, 15 s for 10,000 sessions, to say that nothing changed.
So when a plain run (no task names, no doit options but ``-v``) finds every task up to date,
with nothing failed, the reporter records what it printed beside a digest of everything that
decision rested on (:func:`digest`): every file of the input folder and of the output folder
by size and mtime (targets, report, people file, session registry, and the dependency state
itself, closed by then), the settings, the code, the installed packages and the folder's doit
configuration. The next plain run whose digest matches prints the same lines and exits 0
before a task is made; any difference (an added or edited interview, a touched target, a
changed setting, ``doit forget``) takes the normal path, where doit decides as always.

The record lives in ``.bristlenose/noop-shortcut.json``; the dependency backend deletes it on
its first write of a process, so it only ever describes a state doit itself found complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

import bristlenose
from bristlenose.pipeline.atomic import write_text_atomic
from bristlenose.pipeline.heartbeat import format_seconds
from bristlenose.pipeline.lifecycle import RunLifecycle, RunRefused
from bristlenose.pipeline.plugins import PLUGINS
from bristlenose.settings import Settings

RECORD_NAME = "noop-shortcut.json"
_VOLATILE_SUFFIXES = (".sqlite-wal", ".sqlite-shm", ".jsonl", ".lock", ".log", ".tmp")
"""State that changes on every run without changing what is up to date (logs, the run lock)."""
_CACHES = frozenset({"index.sqlite", "fingerprints.sqlite", "llm-journal.sqlite", RECORD_NAME})
"""Caches whose content never decides whether a task runs."""
_CONFIG_FILES = ("dodo.py", "doit.cfg", "pyproject.toml", ".env")
_STARTED = time.monotonic()
_DOIT_COMMANDS = frozenset({"run", "list", "info", "forget", "clean", "ignore", "dumpdb", "reset-dep", "help",
                            "strace", "tabcompletion", "auto", *PLUGINS["COMMAND"]})


def plain_run_args(args: Sequence[str]) -> list[str] | None:
    """The ``name=value`` settings of a plain run (``doit [run] [-v N] [name=value …]``),
    sorted; None for any other command line (task names, other options, other commands)."""
    rest = list(args)
    if rest and rest[0] == "run":
        rest = rest[1:]
    settings: list[str] = []
    while rest:
        arg = rest.pop(0)
        if arg in ("-v", "--verbosity") and rest and rest[0].isdigit():
            rest.pop(0)
        elif (arg.startswith("-v") and arg[2:].isdigit()) or (arg.startswith("--verbosity=") and arg[12:].isdigit()):
            continue
        elif "=" in arg and not arg.startswith("-"):
            settings.append(arg)
        else:
            return None
    return sorted(settings)


def doit_command(args: Sequence[str] | None) -> str | None:
    """The doit command ``args`` run (``run`` when they name none); None when unknown."""
    if args is None:
        return None
    return args[0] if args and args[0] in _DOIT_COMMANDS else "run"  # doit takes its command first


def doit_command_line() -> list[str] | None:
    """doit's own arguments when this process is the ``doit`` command (else None: doit driven
    from another program, whose ``sys.argv`` is not doit's)."""
    program = Path(sys.argv[0])
    is_doit = program.name == "doit" or (program.name == "__main__.py" and program.parent.name == "doit")
    return sys.argv[1:] if is_doit else None


def digest(settings: Settings, args: Sequence[str]) -> str:
    """What a plain run's outcome rests on, as one sha256 (stats only: no file is read)."""
    output = settings.output_dir
    parts: list[str] = [sys.version, sys.executable, bristlenose.__version__, os.getcwd(),
                        settings.model_dump_json(), settings.resolved_provider(), json.dumps(list(args))]
    parts += _files(settings.input, skip=output)
    parts += _files(output, skip=None)
    package = Path(bristlenose.__file__).resolve().parent
    parts += _files(package, skip=None)
    parts += _files(package.parent / "templates", skip=None)
    parts += [f"{entry} {_signature(Path(entry))}" for entry in sys.path
              if entry.endswith(("site-packages", "dist-packages"))]
    parts += [f"{name} {_signature(Path(name))}" for name in _CONFIG_FILES]
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _files(root: Path, skip: Path | None) -> Iterator[str]:
    """``path size mtime_ns`` of every file under ``root`` (not under ``skip``), in a stable order."""
    try:
        entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    except OSError:
        yield f"{root} missing"
        return
    for entry in entries:
        if entry.name == "__pycache__" or (skip is not None and entry.path == str(skip)):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _files(Path(entry.path), skip)
        elif entry.name not in _CACHES and not entry.name.endswith(_VOLATILE_SUFFIXES):
            try:
                info = entry.stat()
            except OSError:
                continue
            yield f"{entry.path} {info.st_size} {info.st_mtime_ns}"


def _signature(path: Path) -> str:
    try:
        info = path.stat()
    except OSError:
        return "missing"
    return f"{info.st_size} {info.st_mtime_ns}"


def record_path(state_dir: Path) -> Path:
    """Where the record of the last no-op is kept."""
    return state_dir / RECORD_NAME


def record(settings: Settings, args: Sequence[str], printed: str, summary: str) -> None:
    """Remember a plain run that found everything up to date: what it printed before its
    summary, and the summary without its time."""
    text = json.dumps({"digest": digest(settings, args), "printed": printed, "summary": summary})
    try:
        write_text_atomic(record_path(settings.state_dir), text, mode=0o600)
    except OSError:
        pass  # only a faster next run is lost


def forget(state_dir: Path) -> None:
    """Drop the record (the dependency state is about to change)."""
    try:
        record_path(state_dir).unlink(missing_ok=True)
    except OSError:
        pass


def answer(settings: Settings, args: Sequence[str], out: TextIO) -> bool:
    """Print the recorded lines when nothing changed since doit found the study complete;
    False (printing nothing) when doit has to look."""
    try:
        recorded = json.loads(record_path(settings.state_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(recorded, dict) or recorded.get("digest") != digest(settings, args):
        return False
    lifecycle = RunLifecycle(settings.state_dir)  # logged like any run, and refused beside a running one
    try:
        lifecycle.start(sys.argv)
    except RunRefused:
        return False
    elapsed = format_seconds(time.monotonic() - _STARTED)
    out.write(f"{recorded['printed']}{recorded['summary']} · {elapsed} (nothing changed since the last run)\n")
    out.flush()
    lifecycle.finish("completed")
    return True


class Recording:
    """The reporter's output stream, keeping what this run printed (to answer the next no-op)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return self.stream.write(text)

    def writelines(self, lines: Iterator[str] | list[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.stream.flush()

    def text(self) -> str:
        return "".join(self.parts)
