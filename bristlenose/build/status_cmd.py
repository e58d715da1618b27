"""Former path of :mod:`bristlenose.pipeline.status_cmd` (see ``bristlenose/build/__init__.py``)."""

from bristlenose.pipeline.status_cmd import Status

__all__ = ["Status"]
