"""Benchmark transcription on a local Dask cluster: the same recordings on 1 and 2 workers.

Starts ``dask scheduler`` and ``dask worker --nworkers N --nthreads 1`` on 127.0.0.1 (as a
user would on real machines), makes a study of ``--recordings`` copies of the sample
recordings (no transcripts, so every session is transcribed by Whisper on a worker), and
times a full ``doit`` run with ``dask_scheduler`` set, offline analyser. Inputs travel to the
workers as bytes. Run from the repository: ``python bench/cluster.py [--recordings 8]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.study import outside_env  # noqa: E402

RECORDINGS = ("interview-05.mp3", "interview-06.webm")


def cluster(spec: Path, workers: int) -> list[subprocess.Popen[bytes]]:
    """A scheduler writing its address to ``spec`` and ``workers`` one-thread worker processes."""
    dask = str(Path(sys.executable).with_name("dask"))
    env = {**outside_env(), "PYTHONPATH": str(REPO)}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    scheduler = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                  "--scheduler-file", str(spec)], **quiet)  # type: ignore[call-overload]
    while not spec.exists():
        time.sleep(0.2)
    worker = subprocess.Popen([dask, "worker", "--scheduler-file", str(spec), "--nworkers", str(workers),
                               "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard"], **quiet)  # type: ignore[call-overload]
    from distributed import Client

    with Client(json.loads(spec.read_text())["address"], timeout=60) as client:
        client.wait_for_workers(workers, timeout=120)
    return [scheduler, worker]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recordings", type=int, default=8)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; {args.recordings} recordings "
          f"({', '.join(RECORDINGS)} copied), Whisper tiny.en on Dask workers", flush=True)
    with tempfile.TemporaryDirectory(prefix="bristlenose-cluster-") as tmp:
        root = Path(tmp)
        study = root / "study"
        study.mkdir()
        for number in range(args.recordings):
            source = REPO / "sample_data" / RECORDINGS[number % len(RECORDINGS)]
            shutil.copy(source, study / f"recording-{number + 1:02d}{source.suffix}")
        for workers in args.workers:
            processes = cluster(root / f"scheduler-{workers}.json", workers)
            try:
                address = json.loads((root / f"scheduler-{workers}.json").read_text())["address"]
                env = {**outside_env(), "PYTHONPATH": str(REPO), "BRISTLENOSE_LLM_PROVIDER": "offline",
                       "BRISTLENOSE_DASK_SCHEDULER": address}
                started = time.perf_counter()
                proc = subprocess.run([sys.executable, "-m", "doit", "-v", "0", f"input={study}",
                                       f"output={root / f'out-{workers}'}"], cwd=REPO, env=env,
                                      capture_output=True, text=True)
                seconds = time.perf_counter() - started
                print(f"{workers} Dask worker{'s' if workers > 1 else ''}: full run {seconds:6.1f} s, "
                      f"exit {proc.returncode}", flush=True)
            finally:
                for process in reversed(processes):
                    process.terminate()
                    process.wait(timeout=30)


if __name__ == "__main__":
    main()
