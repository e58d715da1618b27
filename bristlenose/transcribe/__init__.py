"""Recordings in, timed text out: local faster-whisper, offline, one model per process."""

from bristlenose.transcribe.engine import WhisperOptions, load_model, recognise
from bristlenose.transcribe.media import MediaError, pick_recording
from bristlenose.transcribe.model import ModelUnavailable

__all__ = ["MediaError", "ModelUnavailable", "WhisperOptions", "load_model", "pick_recording", "recognise"]
