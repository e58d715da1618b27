"""``doit settings``: every setting with its current value, its default and where the value
came from (command line, environment, ``.env`` or the default).

A doit command plugin (registered like ``doit status``). It loads the dodo's configuration —
which reads the settings exactly as a run does, refusing misspelt ``name=value`` arguments —
but creates no tasks and opens no state: nothing is run or written. API keys are never shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from doit.cmd_base import DoitCmdBase
from doit.exceptions import InvalidCommand
from pydantic import SecretStr

from bristlenose.pipeline.context import active
from bristlenose.pipeline.dodo import command_line_settings
from bristlenose.settings import Settings, setting_sources


class SettingsCmd(DoitCmdBase):
    """Print each setting: value, default, source and what it does."""

    name = "settings"
    doc_purpose = "list every setting with its value, default and where the value came from (runs nothing)"
    doc_usage = "[name=value ...]"
    doc_description = ("Precedence, highest first: `doit name=value`, environment BRISTLENOSE_<NAME>, .env in this\n"
                       "folder, default. A misspelt name=value is refused; API keys are shown only as set/not set.")
    cmd_options = ()

    def execute(self, params: Any, args: list[str]) -> int:
        """Load the dodo's configuration only: settings are read there, no tasks are needed."""
        self.loader.setup(params)
        self.loader.load_doit_config()
        ctx = active()
        if ctx is None:
            raise InvalidCommand("the dodo file did not load a bristlenose study")
        self.outstream.write(format_settings(ctx.settings, setting_sources(command_line_settings()),
                                             ctx.default_input))
        return 0

    def _execute(self) -> int:  # pragma: no cover - execute() above never calls it
        return 0


def show(value: Any) -> str:
    """A value as a user would type it; secrets only as set/unset."""
    if isinstance(value, SecretStr):
        return "set (hidden)"
    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def format_settings(settings: Settings, sources: dict[str, str], default_input: Path | None) -> str:
    """One block per setting: ``name = value`` with default and source, then its description."""
    lines = ["Settings (highest first: command line `doit name=value`, environment BRISTLENOSE_<NAME>, "
             ".env, default)", ""]
    for name, field in Settings.model_fields.items():
        value = show(getattr(settings, name))
        default = show(default_input if name == "input" and default_input is not None else field.default)
        if name == "llm_provider" and settings.llm_provider == "auto":
            value += f" (now: {settings.resolved_provider()})"
        lines.append(f"{name} = {value}")
        lines.append(f"    default {default} · from {sources[name]}")
        lines.append(f"    {field.description or ''}".rstrip())
    return "\n".join(lines) + "\n"
