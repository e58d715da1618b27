"""``bristlenose run``: the same doit build in any folder, with no ``dodo.py`` or ``doit.cfg``.

doit normally finds its tasks in the working folder's ``dodo.py`` and its plugins in
``doit.cfg``; here :class:`StudyLoader` gives doit the study's task creators directly and
our plugins (:func:`doit_config`) go in as configuration. Everything else — settings, locking, resuming,
progress, exit codes — is the plain ``doit`` run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from doit.cmd_base import NamespaceTaskLoader
from doit.doit_cmd import DoitMain

from bristlenose.pipeline.dodo import pipeline_namespace
from bristlenose.pipeline.plugins import PLUGINS, doit_config

PATH_SETTINGS = ("input", "output")


class StudyLoader(NamespaceTaskLoader):
    """Loads a study's tasks for doit; settings are read once doit parsed ``name=value``."""

    def __init__(self, folder: Path, args: list[str]) -> None:
        super().__init__()
        self.folder = folder
        self.args = args

    def load_doit_config(self) -> dict[str, Any]:
        """Build the namespace now: ``doit.get_var()`` is only filled after doit parsed its arguments."""
        if self.namespace is None:
            self.namespace = pipeline_namespace(default_input=self.folder, plugins_registered=True, args=self.args)
        return super().load_doit_config()


def command_names() -> set[str]:
    """doit's own commands and ours: words that are never a study folder."""
    return set(DoitMain(config_filenames=(), extra_config=PLUGINS).get_cmds())


def run_doit(folder: Path, args: list[str]) -> int:
    """Run doit (``run`` unless ``args`` starts with another doit command) on ``folder``.

    doit works in the study folder, as ``cd FOLDER && doit`` would (its ``.env`` applies);
    relative ``input=``/``output=`` paths still mean what they meant where the user typed them.
    """
    folder = folder.expanduser().resolve()
    if not folder.is_dir():
        raise SystemExit(f"bristlenose: {folder} is not a folder")
    args = [_absolute_path_arg(arg) for arg in args]
    previous = Path.cwd()
    os.chdir(folder)
    try:
        main = DoitMain(StudyLoader(folder, args), config_filenames=(), extra_config=doit_config())
        main.BIN_NAME = f"bristlenose run {folder}"
        return int(main.run(args))
    finally:
        os.chdir(previous)


def _absolute_path_arg(arg: str) -> str:
    name, sep, value = arg.partition("=")
    if sep and name in PATH_SETTINGS and not arg.startswith("-") and value:
        return f"{name}={Path(value).expanduser().resolve()}"
    return arg
