"""Benchmark LLM analysis against the fake server answering after a fixed latency.

For a generated study (10 sessions by default): wall time of a full run at several
``llm_concurrency`` values against the critical-path limit (the longest chain of dependent
calls × latency: topics → quotes → clusters, with themes beside clusters), how long after
the start the first call reached the server, and what a resume after credit exhaustion
re-spends on finished sessions. Run from the repository:
``python bench/llm.py [--sessions N] [--latency S] [--concurrency 4 8]``.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.pipeline import write_session  # noqa: E402
from tests.fakes.server import FakeLLMServer  # noqa: E402
from tests.support.study import outside_env  # noqa: E402

CHAIN = ("topics", "quotes", "clusters")  # themes run beside clusters


class TimedServer(FakeLLMServer):
    """The fake server, noting when each request arrived (``handle`` runs on arrival; the answer
    goes back ``latency`` later)."""

    arrivals: list[float] = []

    def handle(self, path: str, raw: bytes) -> Any:
        self.arrivals.append(time.monotonic())
        return super().handle(path, raw)


CPU_WORKERS: dict[str, str] = {}
TIMELINE = "--timeline" in sys.argv


def run_doit(study: Path, output: Path, server: FakeLLMServer, concurrency: int) -> tuple[float, int, float | None]:
    """(seconds, exit code, seconds to the first call) of one `doit` run with the Anthropic
    provider on the fake; ``concurrency`` is the setting's default (doit threads cover
    ``llm_concurrency`` on their own)."""
    env = outside_env()
    env.update({"BRISTLENOSE_LLM_PROVIDER": "anthropic", "ANTHROPIC_API_KEY": "bench",
                "ANTHROPIC_BASE_URL": server.anthropic_url, "BRISTLENOSE_LLM_CONCURRENCY": str(concurrency),
                **CPU_WORKERS})
    arrivals = getattr(server, "arrivals", [])
    arrivals.clear()
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "doit", "-v", "0", f"input={study}", f"output={output}"],
                          cwd=REPO, env=env, capture_output=True, text=True)
    first = min(arrivals) - start if arrivals else None
    if TIMELINE:
        print("   calls arrived at " + " ".join(f"{t - start:.1f}" for t in sorted(arrivals)) + " s", flush=True)
    return time.monotonic() - start, proc.returncode, first


def finished_sessions(output: Path) -> set[str]:
    """Sessions whose quotes target exists."""
    return {p.parent.name for p in (output / ".bristlenose" / "sessions").glob("*/quotes.json")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--timeline", action="store_true", help="print when each call arrived")
    parser.add_argument("--cpu-workers", type=int, help="the cpu_workers setting (default: its default)")
    args = parser.parse_args()
    if args.cpu_workers is not None:
        CPU_WORKERS["BRISTLENOSE_CPU_WORKERS"] = str(args.cpu_workers)
    with tempfile.TemporaryDirectory(prefix="bristlenose-llm-bench-") as tmp, \
            TimedServer(latency=args.latency) as server:
        root = Path(tmp)
        study = root / "study"
        study.mkdir()
        rng = random.Random(11)
        for number in range(1, args.sessions + 1):
            write_session(study / f"participant-{number:02d}.txt", rng)
        calls = args.sessions * 2 + 2
        critical = len(CHAIN) * args.latency
        print(f"{args.sessions} sessions, {calls} LLM calls, {args.latency:g} s per call; "
              f"critical path {len(CHAIN)} calls = {critical:.1f} s; serial {calls * args.latency:.1f} s")
        for concurrency in args.concurrency:
            server.reset_counts()
            seconds, code, first = run_doit(study, root / f"out-{concurrency}", server, concurrency)
            made = sum(server.counts().values())
            first_text = f"{first:4.1f} s" if first is not None else "none"
            print(f"llm_concurrency={concurrency:<2}  full run {seconds:6.1f} s = {seconds / critical:4.2f}x critical path"
                  f"   first call after {first_text}   calls {made:3d}   exit {code}")

        output = root / "out-resume"
        server.reset_counts()
        server.credit_after(args.sessions + args.sessions // 2)
        seconds, code, _ = run_doit(study, output, server, 4)
        first = server.counts()
        finished = finished_sessions(output)
        print(f"credit runs out: {seconds:5.1f} s, exit {code}, {sum(first.values())} calls answered, "
              f"quotes finished for {len(finished)}/{args.sessions} sessions")
        server.restore()
        server.reset_counts()
        seconds, code, _ = run_doit(study, output, server, 4)
        resumed: Counter[str] = server.counts()
        respent = {k: v for k, v in resumed.items() if k.partition(":")[2] in finished or k.startswith("topics:")}
        tokens = sum(c.tokens_in + c.tokens_out for c in server.calls if c.key in respent)
        print(f"resume: {seconds:5.1f} s, exit {code}, {sum(resumed.values())} calls "
              f"({json.dumps(dict(sorted(resumed.items())))})")
        print(f"re-spent on finished sessions: {sum(respent.values())} calls, {tokens} tokens")


if __name__ == "__main__":
    main()
