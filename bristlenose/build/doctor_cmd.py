"""Former path of :mod:`bristlenose.pipeline.doctor_cmd` (see ``bristlenose/build/__init__.py``)."""

from bristlenose.pipeline.doctor_cmd import Doctor

__all__ = ["Doctor"]
