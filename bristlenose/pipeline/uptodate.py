"""The up-to-date check every JSON target carries, beside doit's own file_dep check.

doit already reruns a task whose inputs changed or whose target is missing. This check adds
what doit cannot know: the target must still parse as its stage's model, come from the
current stage logic and prompt version, and (only with ``rerun_on_model_change``) from the
current provider and model; a draft of the offline analyser is not kept once an LLM provider
is configured (unless ``keep_offline_results``). It reads the target only when the file changed since the task
last succeeded, so a no-op run over a large study stays fast.

A target that is valid and current but has no record in the dependency state, or an older
one (the process died between writing it and committing its record), is adopted: recorded
as done now, not made again — unless the user forgot the task after the target was written
(a tombstone in :mod:`bristlenose.pipeline.backend`), which must still redo it.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bristlenose.pipeline.targets import TargetError, input_hash, read_target, recorded_values, stat_signature
from bristlenose.models import OutputMeta


@dataclass(frozen=True)
class TargetCurrent:
    """doit ``uptodate`` callable for one JSON target."""

    target: Path
    model: type[BaseModel]
    logic_version: str | tuple[str, ...]
    """The stage's logic, or every logic a current target of the stage may carry."""
    inputs: tuple[Path, ...]
    accepts: Callable[[str | None, str | None], bool] | None = None
    """Whether a target made by (provider, model) may be kept; None keeps any."""
    shaping: str | None = None
    """:func:`settings_digest` of the settings a ``config_changed`` beside this check guards
    (a recording's Whisper options): an unrecorded target is adopted only if its ``_meta``
    says it was made with them, and the adopted record then satisfies that check too."""

    # doit inspects every uptodate callable's signature on every run; this answer is instant
    # (inspecting a callable object took half of a no-op run's up-to-date checks)
    __signature__ = inspect.Signature([inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD)
                                       for name in ("task", "values")])

    def __call__(self, task: Any, values: dict[str, Any]) -> bool:
        """True when the target is valid and current; False makes doit run the task."""
        return self.current(task.name, values, task)

    def current(self, name: str, values: dict[str, Any], task: Any = None) -> bool:
        """The check for the task ``name`` with its recorded ``values``; given the doit ``task``, a
        current target the record does not describe is adopted into the dependency state."""
        try:
            signature = stat_signature(self.target)
        except FileNotFoundError:
            return False
        adopt: dict[str, Any] | None = None
        if values.get("target") == signature:
            provider, model, logic = values.get("provider"), values.get("model"), values.get("logic_version")
        else:
            try:
                meta, _ = read_target(self.target, self.model)
                current_inputs = input_hash([p for p in self.inputs if p.exists()])
            except (TargetError, OSError):
                return False
            if meta.input_hash != current_inputs:
                return False
            provider, model, logic = meta.provider, meta.model, meta.logic_version
            if not values and not _adoptable(name, meta):
                return False
            if not values and self.shaping is not None and meta.shaping != self.shaping:
                return False  # made with other settings, or before they were recorded in _meta
            # a record that is there keeps what the task's other up-to-date checks saved in it
            adopt = {**values, **recorded_values(meta, self.target)}
            if not values and self.shaping is not None:
                adopt[CONFIG_KEY] = self.shaping
        current = (self.logic_version,) if isinstance(self.logic_version, str) else self.logic_version
        if logic not in current:
            return False
        if self.accepts is not None and not self.accepts(provider, model):
            return False
        if adopt is not None and task is not None:
            _adopt(task, adopt)
        return True


CONFIG_KEY = "_config_changed"
"""Where doit's ``config_changed`` keeps its digest among a task's values."""


def settings_digest(config: dict[str, Any]) -> str:
    """The digest doit's ``config_changed`` records for ``config`` (its algorithm: MD5 of the
    sorted JSON; a test holds the two equal)."""
    return hashlib.md5(json.dumps(config, sort_keys=True).encode("utf-8")).hexdigest()


def _dependency_state() -> Any:
    from doit.globals import Globals

    return Globals.dep_manager


def _adoptable(name: str, meta: OutputMeta) -> bool:
    """An unrecorded target may be adopted unless its task was forgotten after it was written."""
    manager = _dependency_state()
    forgotten_at = getattr(getattr(manager, "backend", None), "forgotten_at", None)
    if forgotten_at is None:
        return False  # not our backend: no way to tell a forgotten task from a lost record
    when = forgotten_at(name)
    return when is None or meta.completed_at.timestamp() > when


def _adopt(task: Any, values: dict[str, Any]) -> None:
    """Record ``task`` as done, as doit would have after running it."""
    manager = _dependency_state()
    if manager is not None:
        task.values = values
        manager.save_success(task)
