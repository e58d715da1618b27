"""``bristlenose init``: make a folder of interviews runnable with plain ``doit``.

doit finds its tasks in ``dodo.py`` and its plugins (our durable backend) in ``doit.cfg`` of
the working folder, so a study folder needs both; everything else comes from the package.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DODO = '''"""bristlenose study: run `doit` here to analyse this folder (see `doit list`)."""

from pathlib import Path

from bristlenose.build.dodo import pipeline_namespace

globals().update(pipeline_namespace(default_input=Path(__file__).resolve().parent))
'''

DOIT_CFG = """[BACKEND]
bristlenose = bristlenose.build.backend:DurableSqliteDB

[REPORTER]
bristlenose = bristlenose.build.reporter:ProgressReporter

[COMMAND]
status = bristlenose.build.status_cmd:Status
doctor = bristlenose.build.doctor_cmd:Doctor
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


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="bristlenose", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    init_cmd = commands.add_parser("init", help="make FOLDER (default: here) a study that `doit` analyses")
    init_cmd.add_argument("folder", nargs="?", type=Path, default=Path.cwd())
    init_cmd.add_argument("--force", action="store_true", help="overwrite an existing dodo.py / doit.cfg")
    args = parser.parse_args(argv)
    written = init(args.folder.resolve(), args.force)
    print("wrote " + ", ".join(str(p) for p in written))
    print(f"now run: cd {args.folder} && doit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
