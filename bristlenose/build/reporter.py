"""Former path of :mod:`bristlenose.pipeline.reporter` (see ``bristlenose/build/__init__.py``)."""

from bristlenose.pipeline.reporter import ProgressReporter

__all__ = ["ProgressReporter"]
