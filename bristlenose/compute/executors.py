"""Where CPU-bound jobs run: a local process pool, or a Dask cluster.

doit's thread runner stays the scheduler of record: a task's action (on a doit thread) hands
a job (``jobs.py``) to an executor here and waits for its answer, then writes the target
itself. Both executors start on first use, so a no-op run never starts a pool or dials a
scheduler. A job whose worker died is run again once; if that fails too, or the cluster
cannot be reached, :class:`ComputeError` says so in one line and the task fails cleanly.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Protocol

CONNECT_TIMEOUT_S = 15.0
PROBE_TIMEOUT_S = 5.0
SCATTER_MIN_BYTES = 1 << 20
ORPHAN_CHECK_S = 1.0


class ComputeError(Exception):
    """The workers could not do a job: a message for the user, without a traceback."""


class Executor(Protocol):
    """Runs a picklable job and returns its result (blocking the calling task thread)."""

    by_bytes: bool
    """Jobs get their input files' bytes (True) or paths on a disk the workers share (False)."""

    def run(self, job: Callable[..., Any], *args: Any) -> Any:
        """The job's result; raises what the job raised, or :class:`ComputeError`."""
        ...

    def close(self) -> None:
        """Stop the workers this executor started (none if it never started)."""
        ...


def _worker_init(doit_pid: int) -> None:
    """Ctrl+C is for the doit process, which stops the pool itself; and a worker whose doit
    process was killed (SIGKILL leaves no chance to stop the pool) ends itself. (Its parent is
    the forkserver, which lives as long as any worker does, so the doit process is watched.)"""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while _alive(doit_pid):
            time.sleep(ORPHAN_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="bristlenose-orphan-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    """Whether the process runs (a killed one stays a zombie until its parent reaps it, which may
    wait for the pipes these workers hold open)."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


class LocalPool:
    """A pool of worker processes on this machine (forkserver: doit's threads are not forked)."""

    by_bytes = False

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def _current(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
                context = multiprocessing.get_context(method)
                if method == "forkserver":
                    context.set_forkserver_preload(["bristlenose.compute.jobs"])
                self._pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_worker_init,
                                                 initargs=(os.getpid(),))
                atexit.register(self.close)
            return self._pool

    def run(self, job: Callable[..., Any], *args: Any) -> Any:
        for attempt in (1, 2):
            pool = self._current()
            try:
                return pool.submit(job, *args).result()
            except BrokenProcessPool:
                self._discard(pool)
                if attempt == 2:
                    raise ComputeError("a worker process died twice while doing this work (out of memory?)") from None
        raise AssertionError("unreachable")

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        """Drop a broken pool (once, whichever thread sees it first); the next job starts a new one."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list(getattr(pool, "_processes", {}).values())  # no public way before Python 3.14
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()


class DaskCluster:
    """Jobs go to a Dask cluster through ``distributed``; inputs travel as bytes, so workers
    need bristlenose installed but no disk shared with the doit machine."""

    by_bytes = True

    def __init__(self, address: str, connect_timeout: float = CONNECT_TIMEOUT_S, log: Path | None = None) -> None:
        self.address = address
        self.connect_timeout = connect_timeout
        self.log = log
        self._lock = threading.Lock()
        self._client: Any = None
        self._error: str | None = None

    def _connect(self) -> Any:
        with self._lock:
            if self._error is not None:
                raise ComputeError(self._error)
            if self._client is None:
                _quiet_distributed(self.log)
                try:
                    _probe(self.address, min(PROBE_TIMEOUT_S, self.connect_timeout))
                    from distributed import Client

                    self._client = Client(self.address, timeout=self.connect_timeout, set_as_default=False)
                except Exception as exc:  # distributed raises OSError, TimeoutError or ValueError by cause
                    self._error = (f"dask_scheduler={self.address}: cannot reach the Dask scheduler "
                                   f"({_first_line(exc)}); start it or unset dask_scheduler to work on this machine")
                    raise ComputeError(self._error) from None
                atexit.register(self.close)
            return self._client

    def run(self, job: Callable[..., Any], *args: Any) -> Any:
        client = self._connect()
        from distributed import KilledWorker

        try:
            sent = [client.scatter(a, hash=False) if _large(a) else a for a in args]
            future = client.submit(job, *sent, pure=False, retries=1)
            return future.result()
        except KilledWorker:
            raise ComputeError("the Dask workers doing this work died (it was tried again and failed again)") from None
        except (OSError, TimeoutError, CancelledError) as exc:
            raise ComputeError(self._lost(exc)) from None
        except Exception as exc:
            if type(exc).__module__.startswith(("distributed", "concurrent", "asyncio")):
                raise ComputeError(f"dask_scheduler={self.address}: {type(exc).__name__}: {_first_line(exc)}") from None
            raise

    def _lost(self, exc: BaseException) -> str:
        """The one line every job of this run fails with once the scheduler is gone (asked at
        once: the client would wait its whole timeout for each)."""
        with self._lock:
            if self._error is None:
                self._error = (f"dask_scheduler={self.address}: lost the Dask scheduler ({_first_line(exc)}); "
                               "start it again, or unset dask_scheduler to work on this machine")
            return self._error

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            try:
                client.close(timeout=5)
            except Exception as exc:  # closing a client whose scheduler is gone: nothing left to do
                print(f"note: closing the Dask client: {exc}", file=sys.__stderr__)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:160]


def _quiet_distributed(log: Path | None) -> None:
    """distributed logs its reconnection attempts, tracebacks included, to the console; a run
    says what went wrong in one line, so they go to ``log`` (or nowhere) instead. (Importing
    distributed sets up its console handlers: they are replaced after.)"""
    import distributed  # noqa: F401

    names = [name for name in logging.Logger.manager.loggerDict if name.startswith("distributed.")]
    for child in (logging.getLogger(name) for name in names):
        for handler in list(child.handlers):
            child.removeHandler(handler)
        child.propagate = True
    logger = logging.getLogger("distributed")
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    if log is None:
        logger.addHandler(logging.NullHandler())
        return
    log.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger.addHandler(handler)


def _probe(address: str, timeout: float) -> None:
    """Fail at once when nothing listens at a ``tcp://`` address (distributed would retry for
    its whole timeout); other protocols are left to distributed."""
    scheme, _, rest = address.rpartition("://")
    host, _, port = rest.rpartition(":")
    if scheme not in ("", "tcp") or not port.isdigit():
        return
    with socket.create_connection((host.strip("[]") or "127.0.0.1", int(port)), timeout=timeout):
        pass


def _large(value: Any) -> bool:
    data = getattr(value, "data", None)
    return isinstance(data, bytes) and len(data) >= SCATTER_MIN_BYTES
