"""Where CPU-bound work runs: threads for LLM calls, worker processes for the rest."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bristlenose.pipeline.offload import executor_for, parallel_transcription, task_threads
from bristlenose.compute import ComputeError, DaskCluster, LocalPool
from bristlenose.settings import Settings


def settings(**values: object) -> Settings:
    return Settings(input=Path("."), **values)  # type: ignore[arg-type]


def test_doit_threads_cover_every_llm_call_allowed_in_flight() -> None:
    assert task_threads(settings(concurrency=4, llm_concurrency=8, cpu_workers=1)) == 8
    assert task_threads(settings(llm_concurrency=4, dask_scheduler="tcp://h:8786")) == 32
    assert task_threads(settings(llm_concurrency=2, cpu_workers=3)) == 6


def test_a_concurrency_the_user_set_is_kept_unless_llm_calls_need_more() -> None:
    assert task_threads(settings(concurrency=1, llm_concurrency=1, cpu_workers=2)) == 1
    assert task_threads(settings(concurrency=2, llm_concurrency=8, dask_scheduler="tcp://h:8786")) == 8


def test_one_worker_means_the_doit_process_and_chained_transcription() -> None:
    assert executor_for(settings(cpu_workers=1)) is None
    assert not parallel_transcription(settings(cpu_workers=1))
    assert isinstance(executor_for(settings(cpu_workers=2)), LocalPool)
    assert isinstance(executor_for(settings(dask_scheduler="tcp://127.0.0.1:8786")), DaskCluster)


def worker_pid() -> int:
    return os.getpid()


def die() -> None:
    os._exit(9)


def test_a_pool_starts_on_its_first_job_and_runs_jobs_in_other_processes() -> None:
    pool = LocalPool(2)
    try:
        assert pool._pool is None  # nothing started by making it (a no-op run makes one)
        assert pool.run(worker_pid) != os.getpid()
    finally:
        pool.close()


def test_a_job_whose_worker_dies_is_tried_again_then_fails_in_one_line() -> None:
    pool = LocalPool(1)
    try:
        with pytest.raises(ComputeError, match="died twice"):
            pool.run(die)
        assert pool.run(worker_pid) != os.getpid()  # a fresh pool serves the next job
    finally:
        pool.close()
