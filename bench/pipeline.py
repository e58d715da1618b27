"""Benchmark the build: a generated 1,000-session study and sample_data/, offline analyser.

Prints wall time and peak memory (max RSS of the doit process) of a full run, a no-op run
and `doit list`. Run from the repository: ``python bench/pipeline.py [--sessions N]``.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

MODERATOR = [
    "Could you show me how you'd find {item} on the {screen} screen?",
    "What did you expect to happen there?",
    "How do you feel about the {screen} screen so far?",
    "Let's move on to the {screen} screen. Just think aloud.",
]
PARTICIPANT = [
    "I think the {screen} screen is really easy to use, I found {item} straight away.",
    "Honestly this is quite annoying, I'm not sure where {item} went after I tapped it.",
    "Oh, I didn't expect the price of {item} to change like that on the {screen} screen.",
    "I love how clear the {screen} screen is, that's brilliant, I'd definitely use it again.",
    "I don't know if I'd trust the {screen} screen with my card details to be honest.",
    "Um, okay, let me scroll down a bit and have a look at {item} here.",
]
SCREENS = ["home", "search", "basket", "checkout", "delivery", "account"]
ITEMS = ["the bananas", "oat milk", "the discount code", "my order", "the delivery slot", "bread"]


def write_session(path: Path, rng: random.Random, turns: int = 40) -> None:
    """One plausible moderated session in bristlenose's .txt format."""
    lines, seconds = [], 0
    for turn in range(turns):
        speaker, pool = ("m1", MODERATOR) if turn % 2 == 0 else ("p1", PARTICIPANT)
        text = rng.choice(pool).format(screen=SCREENS[(turn // 8) % len(SCREENS)], item=rng.choice(ITEMS))
        lines.append(f"[{seconds // 60:02d}:{seconds % 60:02d}] [{speaker}] {text}")
        seconds += rng.randint(4, 15)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(seconds, peak RSS in MiB, exit code) of one command."""
    start = time.perf_counter()
    wrapper = [sys.executable, "-c",
               "import resource,subprocess,sys;rc=subprocess.call(sys.argv[1:]);"
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,file=sys.stderr);sys.exit(rc)",
               *argv]
    proc = subprocess.run(wrapper, cwd=REPO, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    peak_kib = int(proc.stderr.strip().splitlines()[-1])
    return elapsed, peak_kib / 1024, proc.returncode


def bench_study(label: str, input_dir: Path, output_dir: Path) -> None:
    """Full run, no-op run and `doit list` of one study."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRISTLENOSE_")}
    env["BRISTLENOSE_LLM_PROVIDER"] = "offline"
    doit = [sys.executable, "-m", "doit"]
    where = [f"input={input_dir}", f"output={output_dir}"]
    for name, argv in (("full run", [*doit, "-v", "0", *where]), ("no-op run", [*doit, "-v", "0", *where]),
                       ("doit list", [*doit, "list", *where])):
        seconds, peak, code = timed(argv, env)
        status = "" if code == 0 else f"  (exit {code})"
        print(f"{label:<22} {name:<10} {seconds:8.2f} s   peak RSS {peak:7.1f} MiB{status}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"{resource.getpagesize()}-byte pages; offline analyser")
    with tempfile.TemporaryDirectory(prefix="bristlenose-bench-") as tmp:
        root = Path(tmp)
        sample_out = root / "sample-output"
        bench_study("sample_data (4)", REPO / "sample_data", sample_out)
        study = root / "study"
        study.mkdir()
        rng = random.Random(7)
        for number in range(1, args.sessions + 1):
            write_session(study / f"participant-{number:04d}.txt", rng)
        bench_study(f"generated ({args.sessions})", study, root / "study-output")
        shutil.rmtree(root / "study-output", ignore_errors=True)


if __name__ == "__main__":
    main()
