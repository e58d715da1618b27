"""Times as researchers read them: timecodes for quotes, rough durations for sessions."""

from __future__ import annotations


def format_timecode(seconds: float) -> str:
    """``MM:SS`` under an hour, ``H:MM:SS`` from an hour on (fractions dropped)."""
    if seconds < 0:
        raise ValueError(f"negative time: {seconds}")
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def format_duration(seconds: float) -> str:
    """A length such as ``45 s``, ``12 min`` or ``1 h 05 min``, rounded to what a reader needs."""
    if seconds < 60:
        return f"{round(seconds)} s"
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def format_seconds(seconds: float) -> str:
    """Seconds for machine-readable exports: millisecond precision, no trailing zeros."""
    text = f"{seconds:.3f}".rstrip("0").rstrip(".")
    return text or "0"
