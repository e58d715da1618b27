"""Former path of :mod:`bristlenose.pipeline.dodo` (see ``bristlenose/build/__init__.py``)."""

from bristlenose.pipeline.dodo import pipeline_namespace

__all__ = ["pipeline_namespace"]
