"""The up-to-date check every JSON target carries, beside doit's own file_dep check.

doit already reruns a task whose inputs changed or whose target is missing. This check adds
what doit cannot know: the target must still parse as its stage's model, come from the
current stage logic and prompt version, and (only with ``rerun_on_model_change``) from the
current provider and model. It reads the target only when the file changed since the task
last succeeded, so a no-op run over a large study stays fast.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bristlenose.build.targets import TargetError, input_hash, read_target, stat_signature


@dataclass(frozen=True)
class TargetCurrent:
    """doit ``uptodate`` callable for one JSON target."""

    target: Path
    model: type[BaseModel]
    logic_version: str
    inputs: tuple[Path, ...]
    expected_identity: Callable[[], tuple[str, str]] | None = None

    # doit inspects every uptodate callable's signature on every run; this answer is instant
    # (inspecting a callable object took half of a no-op run's up-to-date checks)
    __signature__ = inspect.Signature([inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD)
                                       for name in ("task", "values")])

    def __call__(self, task: Any, values: dict[str, Any]) -> bool:
        """True when the target is valid and current; False makes doit run the task."""
        try:
            signature = stat_signature(self.target)
        except FileNotFoundError:
            return False
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
        if logic != self.logic_version:
            return False
        return self.expected_identity is None or self.expected_identity() == (provider, model)
