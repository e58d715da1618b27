"""The ``bristlenose`` command: analyse a folder of interviews (``run``), or make it a folder
that plain ``doit`` analyses (``init``).

doit finds its tasks in ``dodo.py`` and its plugins (our durable backend) in ``doit.cfg`` of
the working folder, so ``init`` writes both; ``run`` needs neither.
"""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bristlenose.pipeline.plugins import doit_cfg

DODO = '''"""bristlenose study: run `doit` here to analyse this folder (see `doit list`, `doit settings`)."""

from pathlib import Path

from bristlenose.pipeline.dodo import pipeline_namespace

globals().update(pipeline_namespace(default_input=Path(__file__).resolve().parent))
'''

DOIT_CFG = doit_cfg()

DESCRIPTION = "Turn a folder of user-research interviews into an analysed report."
EPILOG = """examples:
  bristlenose run ~/study                  analyse ~/study (report in ~/study/bristlenose-output)
  bristlenose run ~/study concurrency=8    any setting as name=value (list them: bristlenose settings)
  bristlenose run ~/study status           any doit command: status, list, info, forget, doctor, ...
  bristlenose init ~/study                 write dodo.py and doit.cfg, then `cd ~/study && doit`
"""


def init(folder: Path, force: bool = False) -> list[Path]:
    """Write ``dodo.py`` and ``doit.cfg`` into ``folder``; returns the files written."""
    if not folder.is_dir():
        raise SystemExit(f"bristlenose init: {folder} is not a folder")
    files = {folder / "dodo.py": DODO, folder / "doit.cfg": DOIT_CFG}
    existing = [path for path in files if path.exists()]
    if existing and not force:
        names = ", ".join(p.name for p in existing)
        raise SystemExit(f"bristlenose init: {names} already exists in {folder} (use --force to overwrite)")
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return list(files)


def package_version() -> str:
    """The installed version (the source tree's when run uninstalled)."""
    try:
        return version("bristlenose")
    except PackageNotFoundError:
        return "unknown"


def parser() -> argparse.ArgumentParser:
    """The command line; ``run`` and ``settings`` hand the rest of their arguments to doit."""
    top = argparse.ArgumentParser(prog="bristlenose", description=DESCRIPTION, epilog=EPILOG,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"bristlenose {package_version()}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run_cmd = commands.add_parser(
        "run", help="analyse FOLDER (default: here); no init needed",
        description="Analyse FOLDER (default: the current folder) with the same build `doit` runs. "
                    "Arguments after FOLDER go to doit: settings as name=value, task names, or a doit "
                    "command (status, list, info, forget, doctor, settings, ...).")
    run_cmd.add_argument("folder", nargs="?", default=".", help="the study folder (default: here)")
    run_cmd.add_argument("doit_args", nargs=argparse.REMAINDER, help="name=value settings, tasks or a doit command")
    settings_cmd = commands.add_parser(
        "settings", help="list every setting: value, default and where it came from",
        description="Same as `doit settings`: every setting with its value, default and source.")
    settings_cmd.add_argument("folder", nargs="?", default=".", help="the study folder (default: here)")
    settings_cmd.add_argument("doit_args", nargs=argparse.REMAINDER, help="name=value settings")
    init_cmd = commands.add_parser("init", help="make FOLDER (default: here) a study that plain doit analyses",
                                   description="Write dodo.py and doit.cfg into FOLDER, so `doit` there analyses it.")
    init_cmd.add_argument("folder", nargs="?", type=Path, default=Path.cwd())
    init_cmd.add_argument("--force", action="store_true", help="overwrite an existing dodo.py / doit.cfg")
    return top


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    args, doit_options = parser().parse_known_args(argv)
    if args.command in ("run", "settings"):
        from bristlenose.pipeline.runner import command_names, run_doit

        folder, rest = args.folder, [*doit_options, *args.doit_args]  # `run --reporter=console`
        if not Path(folder).is_dir() and ("=" in folder or folder in command_names()):
            folder, rest = ".", [folder, *rest]  # FOLDER left out: `bristlenose run concurrency=8`
        if args.command == "settings":
            rest = ["settings", *rest]
        return run_doit(Path(folder), rest)
    if doit_options:
        parser().error(f"unrecognized arguments: {' '.join(doit_options)}")
    written = init(args.folder.resolve(), args.force)
    print("wrote " + ", ".join(str(p) for p in written))
    print(f"now run: cd {args.folder} && doit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
