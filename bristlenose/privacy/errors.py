"""The one failure of redaction a user can fix, importable without loading the detector."""


class DetectorUnavailable(Exception):
    """The NER model package is not installed (it is never downloaded)."""
