"""Former path of :mod:`bristlenose.pipeline.backend` (see ``bristlenose/build/__init__.py``)."""

from bristlenose.pipeline.backend import DurableSqliteDB

__all__ = ["DurableSqliteDB"]
