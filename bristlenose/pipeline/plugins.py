"""The doit plugins bristlenose registers, in one place.

doit reads plugins from ``doit.cfg`` or pyproject's ``[tool.doit.plugins.*]`` of the working
folder; ``bristlenose init`` writes them to a study's ``doit.cfg`` and ``bristlenose run``
hands them to doit directly, so a study needs no files of its own.
"""

from __future__ import annotations

BACKEND = "bristlenose"
REPORTER = "bristlenose"

PLUGINS: dict[str, dict[str, str]] = {
    "BACKEND": {BACKEND: "bristlenose.pipeline.backend:DurableSqliteDB"},
    "REPORTER": {REPORTER: "bristlenose.pipeline.reporter:ProgressReporter"},
    "COMMAND": {
        "status": "bristlenose.pipeline.status_cmd:Status",
        "doctor": "bristlenose.pipeline.doctor_cmd:Doctor",
        "settings": "bristlenose.pipeline.settings_cmd:SettingsCmd",
        "info": "bristlenose.pipeline.inspect_cmds:Info",
        "clean": "bristlenose.pipeline.inspect_cmds:Clean",
    },
}


COMMAND_DEFAULTS: dict[str, dict[str, str]] = {"run": {"reporter": REPORTER}}
"""Option defaults of doit commands, so that ``doit help run`` names the reporter a run uses."""


def doit_config() -> dict[str, dict[str, str]]:
    """Plugins and command defaults as doit's configuration sections."""
    return {**PLUGINS, **COMMAND_DEFAULTS}


def doit_cfg() -> str:
    """The ``doit.cfg`` text that registers every plugin and sets the command defaults."""
    sections = []
    for section, entries in doit_config().items():
        lines = [f"[{section}]", *(f"{name} = {target}" for name, target in entries.items())]
        sections.append("\n".join(lines) + "\n")
    return "\n".join(sections)
