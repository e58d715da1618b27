"""A real Dask scheduler and two worker processes on 127.0.0.1, started by the test.

doit stays on this machine and writes every target; the cluster only computes. A study
analysed through it must give what a local run gives, a worker killed mid-run must end in a
clean outcome with nothing half-done, and an unreachable scheduler must be said in one line.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bench.studygen import write_study
from bristlenose.pipeline.targets import read_target
from bristlenose.models import SessionQuotes
from tests.support.study import REPO, Study, outside_env

distributed = pytest.importorskip("distributed")

OFFLINE = {"BRISTLENOSE_LLM_PROVIDER": "offline"}


@dataclass
class Cluster:
    """The scheduler's address and a client to look inside it."""

    address: str
    client: Any
    processes: list[subprocess.Popen[bytes]]

    def worker_pids(self) -> dict[str, int]:
        """Worker address → pid of its process."""
        return self.client.run(os.getpid)

    def task_prefixes(self) -> set[str]:
        """Names of the functions the scheduler has run."""
        return set(self.client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.task_prefixes)))


def _env() -> dict[str, str]:
    return {**outside_env(), "PYTHONPATH": str(REPO)}


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    """``dask scheduler`` and ``dask worker --nworkers 2 --nthreads 1``, as a user starts them."""
    dask = str(Path(sys.executable).with_name("dask"))
    spec = tmp_path / "scheduler.json"
    common = ["--no-dashboard"]
    scheduler = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0",
                                  "--scheduler-file", str(spec), *common], env=_env(),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    processes = [scheduler]
    try:
        deadline = time.monotonic() + 60
        while not spec.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        workers = subprocess.Popen([dask, "worker", "--scheduler-file", str(spec), "--nworkers", "2",
                                    "--nthreads", "1", "--host", "127.0.0.1", *common], env=_env(),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(workers)
        address = json.loads(spec.read_text())["address"]
        client = distributed.Client(address, timeout=30, set_as_default=False)
        client.wait_for_workers(2, timeout=120)
        yield Cluster(address, client, processes)
        client.close()
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def generated(tmp_path: Path, name: str, sessions: int) -> Study:
    """A generated study of realistic interviews (100–140 turns), offline analyser."""
    folder = tmp_path / name
    write_study(folder, sessions, seed=3, docx_share=0.2)
    return Study(input=folder, call_log=tmp_path / f"{name}-calls.jsonl", env=dict(OFFLINE))


def quotes_of(study: Study) -> dict[str, Any]:
    """Every session's quotes, without ``_meta`` (provenance holds times)."""
    found = {}
    for path in sorted((study.state / "sessions").glob("*/quotes.json")):
        body = json.loads(path.read_text())
        body.pop("_meta")
        found[path.parent.name] = body
    return found


def test_a_study_analysed_on_the_cluster_gives_the_same_quotes_as_a_local_run(tmp_path: Path,
                                                                              cluster: Cluster) -> None:
    local = generated(tmp_path, "local", 6)
    assert local.progress(env={"BRISTLENOSE_CPU_WORKERS": "1"}).returncode == 0
    remote = generated(tmp_path, "remote", 6)
    run = remote.progress(env={"BRISTLENOSE_DASK_SCHEDULER": cluster.address})
    assert run.returncode == 0, run.stdout + run.stderr
    assert {"parse", "analyse_offline"} <= cluster.task_prefixes()
    assert quotes_of(remote) == quotes_of(local) and len(quotes_of(local)) == 6
    assert json.loads(remote.intermediate("extracted_quotes").read_text())["quotes"] == \
        json.loads(local.intermediate("extracted_quotes").read_text())["quotes"]
    again = remote.doit(env={"BRISTLENOSE_DASK_SCHEDULER": cluster.address})
    assert again.returncode == 0 and again.executed == set()


def test_a_worker_killed_mid_task_ends_cleanly_and_nothing_half_done_counts(tmp_path: Path,
                                                                            cluster: Cluster) -> None:
    study = generated(tmp_path, "study", 16)
    env = {"BRISTLENOSE_DASK_SCHEDULER": cluster.address}
    proc = study.start("--reporter=bristlenose", env=env)
    pids = cluster.worker_pids()
    deadline = time.monotonic() + 120
    victim = None
    while victim is None and time.monotonic() < deadline and proc.poll() is None:
        busy = [address for address, keys in cluster.client.processing().items() if keys]
        victim = next((pids[a] for a in busy if a in pids), None)
        time.sleep(0.05)
    assert victim is not None, "no job reached a worker"
    os.kill(victim, signal.SIGKILL)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode in (0, 1), out + err
    assert "Traceback" not in out + err
    for path in (study.state / "sessions").glob("*/*.json"):
        read_target(path, SessionQuotes) if path.name == "quotes.json" else json.loads(path.read_text())
    finish = study.progress(env=env)
    assert finish.returncode == 0, finish.stdout + finish.stderr
    assert len(quotes_of(study)) == 16
    assert study.doit(env=env).executed == set()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_scheduler_is_named_in_one_line_within_30_seconds(tmp_path: Path) -> None:
    study = generated(tmp_path, "study", 3)
    started = time.monotonic()
    run = study.progress(env={"BRISTLENOSE_DASK_SCHEDULER": f"tcp://127.0.0.1:{_free_port()}"}, timeout=60)
    elapsed = time.monotonic() - started
    assert run.returncode != 0
    assert elapsed < 30
    assert "dask_scheduler=tcp://127.0.0.1:" in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert not list((study.state / "sessions").glob("*/transcript.json"))


def test_the_scheduler_killed_mid_run_fails_those_sessions_in_one_line_and_a_local_run_finishes(
        tmp_path: Path, cluster: Cluster) -> None:
    study = generated(tmp_path, "study", 16)
    proc = study.start("--reporter=bristlenose", env={"BRISTLENOSE_DASK_SCHEDULER": cluster.address})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not any(cluster.client.processing().values()):
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before a job reached a worker"
    cluster.client.close()
    cluster.processes[0].kill()  # the scheduler

    out, err = proc.communicate(timeout=300)

    assert proc.returncode == 1, out + err
    assert "Traceback" not in out + err
    assert "dask_scheduler=" in out + err
    done_before = {path.parent.name + "/" + path.stem for path in (study.state / "sessions").glob("*/*.json")}
    finish = study.doit(env={"BRISTLENOSE_CPU_WORKERS": "1"})
    assert finish.returncode == 0, finish.stdout + finish.stderr
    redone = {name.split(":")[1] + "/" + name.split(":")[0] for name in finish.executed if ":" in name}
    assert not redone & done_before
    assert len(quotes_of(study)) == 16
