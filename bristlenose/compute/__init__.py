"""Worker processes for CPU-bound per-session work: a local pool or a Dask cluster."""

from bristlenose.compute import jobs
from bristlenose.compute.executors import ComputeError, DaskCluster, Executor, LocalPool

__all__ = ["ComputeError", "DaskCluster", "Executor", "LocalPool", "jobs"]
