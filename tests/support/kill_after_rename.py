"""Run ``doit`` and SIGKILL it the instant a given target has been renamed into place, before
doit can commit the task's record: the one moment a kill leaves a finished target unrecorded.

Usage: ``python -m tests.support.kill_after_rename TARGET_SUFFIX [doit arguments…]``
(``TARGET_SUFFIX`` e.g. ``s1/quotes.json``).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

from bristlenose.pipeline import atomic


def main() -> None:
    suffix, args = sys.argv[1], sys.argv[2:]
    real_replace = os.replace

    def replace_then_die(source: Any, destination: Any) -> None:
        real_replace(source, destination)
        if str(destination).endswith(suffix):
            atomic._fsync_dir(Path(destination).parent)  # the rename is durable, as in a real run
            os.kill(os.getpid(), signal.SIGKILL)

    os.replace = replace_then_die  # type: ignore[assignment]
    from doit.cmd_base import DodoTaskLoader
    from doit.doit_cmd import DoitMain

    sys.exit(DoitMain(DodoTaskLoader()).run(args))


if __name__ == "__main__":
    main()
