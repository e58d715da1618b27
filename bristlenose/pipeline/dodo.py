"""What a ``dodo.py`` loads: ``DOIT_CONFIG`` and the task creators of one study.

Settings are read here, inside doit's own loading, because ``doit.get_var()`` is empty
until doit has parsed its command line (``doit input=PATH output=PATH``).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from pathlib import Path
from typing import Any

from doit import doit_cmd
from doit.doit_cmd import DoitConfig
from doit.exceptions import InvalidCommand
from pydantic import ValidationError

from bristlenose.pipeline import shortcut
from bristlenose.pipeline.plugins import BACKEND, PLUGINS, REPORTER
from bristlenose.settings import (Settings, dotenv_settings, load_settings, unknown_environment_warnings,
                                  unknown_setting_message)

BACKEND_PLUGIN = PLUGINS["BACKEND"][BACKEND]
LEGACY_BACKEND_PLUGIN = BACKEND_PLUGIN.replace("bristlenose.pipeline.", "bristlenose.build.")
"""What ``bristlenose init`` wrote before the doit layer was renamed (still accepted)."""
CONFIG_FILES = ("pyproject.toml", "doit.cfg")


def command_line_settings() -> dict[str, str]:
    """Every ``name=value`` doit took from its command line (doit keeps them all, known or not)."""
    return dict(doit_cmd._CMDLINE_VARS or {})


def pipeline_namespace(default_input: Path, plugins_registered: bool = False,
                       args: list[str] | None = None) -> dict[str, Any]:
    """``DOIT_CONFIG`` and ``task_*`` creators for a study whose input defaults to ``default_input``.

    ``plugins_registered`` says the caller handed doit our plugins itself (``bristlenose run``),
    so no ``doit.cfg`` is needed; it also gives doit's arguments as ``args`` (else they are
    this process's own, when it is the ``doit`` command). A plain run over a study that
    nothing changed since doit last found it complete is answered here (``shortcut.py``):
    the modules that make tasks are imported only past that point.
    """
    overrides = command_line_settings()
    refusal = unknown_setting_message(overrides)
    if refusal is not None:
        raise InvalidCommand(refusal)
    for warning in unknown_environment_warnings(os.environ, dotenv_settings()):
        print(warning, file=sys.stderr)
    try:
        settings = load_settings(default_input, overrides)
    except ValidationError as exc:
        raise InvalidCommand(f"bad setting: {_first_error(exc)}") from None
    if not settings.input.is_dir():
        raise InvalidCommand(f"input folder {settings.input} does not exist (set it with `doit input=PATH`)")
    if not plugins_registered:
        _require_backend()
    command_line = args if args is not None else shortcut.doit_command_line()
    plain = shortcut.plain_run_args(command_line) if command_line is not None else None
    if plain is not None and shortcut.answer(settings, plain, sys.stdout):
        raise SystemExit(0)
    return _namespace(settings, default_input, plain, shortcut.doit_command(command_line))


def _namespace(settings: Settings, default_input: Path, plain: list[str] | None,
               command: str | None) -> dict[str, Any]:
    """The tasks of a run doit has to look at (imported here: 0.3 s a shortcut run never pays)."""
    from bristlenose.pipeline import doit_speedups, fingerprint, signals
    from bristlenose.pipeline.context import RunContext, activate
    from bristlenose.pipeline.offload import task_threads
    from bristlenose.pipeline.tasks import TaskGraph
    from bristlenose.llm import BUILTIN

    # What is imported by now lives as long as the process: exempt from the cyclic garbage
    # collector, which otherwise walks it again and again while thousands of tasks are made
    # (0.2 s of a `doit list` over 1,000 sessions).
    gc.freeze()
    provider = settings.resolved_provider()
    if provider not in BUILTIN and ":" not in provider:
        raise InvalidCommand(f"llm_provider={provider!r} is not a provider (known: {', '.join(sorted(BUILTIN))}, "
                             "or module:factory of a plugin)")
    if command not in (None, "run") and hasattr(signal, "SIGPIPE"):
        # `doit list | head`: a listing cut short ends quietly, as other commands' do (no traceback)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    signals.install()
    doit_speedups.install()
    ctx = RunContext(settings, default_input=default_input, plain_args=plain, command=command)
    activate(ctx)
    ctx.layout.state_dir.mkdir(parents=True, exist_ok=True)
    fingerprint.use_cache(ctx.layout.fingerprints)
    graph = TaskGraph(ctx)
    if command == "run" and graph.llm_targets_missing():
        ctx.preload_sdk()
    return {
        "DOIT_CONFIG": {
            "backend": BACKEND,
            "dep_file": str(ctx.layout.dep_file),
            "num_process": task_threads(settings),
            "par_type": "thread",
            "continue": True,
            "subtasks": True,
            "sort": "definition",
            "reporter": REPORTER,
            "check_file_uptodate": fingerprint.MD5Checker,
        },
        "task_transcript": graph.transcript,
        "task_speakers": graph.speakers,
        "task_redact": graph.redact,
        "task_redact_media": graph.redact_media,
        "task_topics": graph.topics,
        "task_quotes": graph.quotes,
        "task_participants": graph.participants,
        "task_topic_boundaries": graph.topic_boundaries,
        "task_extracted_quotes": graph.extracted_quotes,
        "task_clusters": graph.clusters,
        "task_themes": graph.themes,
        "task_render": graph.render,
    }


def _require_backend() -> None:
    """Refuse to run on doit's non-durable backends: explain how to register ours."""
    found = [name for name in CONFIG_FILES if os.path.exists(name)]
    config = DoitConfig()
    config.loads(found)
    registered = config.as_dict().get("BACKEND", {}).get(BACKEND)
    if registered == LEGACY_BACKEND_PLUGIN:
        print("note: this folder's doit.cfg names bristlenose.build, the former name of bristlenose.pipeline; "
              "`bristlenose init --force` updates it (and adds the newer commands)", file=sys.stderr)
    elif registered != BACKEND_PLUGIN:
        raise InvalidCommand(
            f"the '{BACKEND}' dependency backend is not registered in this folder's doit.cfg or pyproject.toml; "
            "run `bristlenose init` here (it writes dodo.py and doit.cfg; `--force` replaces older ones), then `doit`"
        )


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}"
