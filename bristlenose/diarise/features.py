"""Mel spectrogram frames the voice encoder reads: 40 mel bands (power, not log) of 25 ms
windows every 10 ms at 16 kHz, computed as Resemblyzer's training did (librosa's Slaney mel
scale and area-normalised filters), with numpy alone."""

from __future__ import annotations

from functools import cache

import numpy as np

SAMPLE_RATE = 16_000
N_FFT = 400
HOP = 160
N_MELS = 40
FRAMES_PER_SECOND = SAMPLE_RATE // HOP
TARGET_DBFS = -30.0
"""Quiet speech is raised to this level before embedding, as the encoder was trained."""


def mel_frames(audio: np.ndarray) -> np.ndarray:
    """(frames, 40) float32 mel power spectrogram of 16 kHz mono ``audio``."""
    padded = np.pad(audio.astype(np.float32), N_FFT // 2)
    count = 1 + (len(padded) - N_FFT) // HOP
    if count <= 0:
        return np.zeros((0, N_MELS), dtype=np.float32)
    strides = (padded.strides[0] * HOP, padded.strides[0])
    frames = np.lib.stride_tricks.as_strided(padded, shape=(count, N_FFT), strides=strides)
    power = np.abs(np.fft.rfft(frames * _window(), axis=1)) ** 2
    return (power @ _filters().T).astype(np.float32)


def louder(audio: np.ndarray) -> np.ndarray:
    """``audio`` raised to :data:`TARGET_DBFS` if it is quieter (never lowered)."""
    energy = float(np.mean(np.square(audio, dtype=np.float64))) if len(audio) else 0.0
    if energy <= 0:
        return audio
    change = TARGET_DBFS - 10 * np.log10(energy)
    return audio * np.float32(10 ** (change / 20)) if change > 0 else audio


@cache
def _window() -> np.ndarray:
    """Periodic Hann window."""
    return (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)


@cache
def _filters() -> np.ndarray:
    """(40, 201) Slaney-style mel filterbank from 0 Hz to 8 kHz, area-normalised."""
    bins = np.linspace(0, SAMPLE_RATE / 2, 1 + N_FFT // 2)
    edges = _mel_to_hz(np.linspace(_hz_to_mel(0.0), _hz_to_mel(SAMPLE_RATE / 2), N_MELS + 2))
    widths = np.diff(edges)
    ramps = edges[:, None] - bins[None, :]
    weights = np.zeros((N_MELS, len(bins)))
    for band in range(N_MELS):
        rising = -ramps[band] / widths[band]
        falling = ramps[band + 2] / widths[band + 1]
        weights[band] = np.maximum(0, np.minimum(rising, falling))
    weights *= (2.0 / (edges[2:] - edges[:N_MELS]))[:, None]
    return weights.astype(np.float32)


_LINEAR_STEP = 200.0 / 3
_LOG_START_HZ = 1000.0
_LOG_START_MEL = _LOG_START_HZ / _LINEAR_STEP
_LOG_STEP = np.log(6.4) / 27.0


def _hz_to_mel(hz: float) -> float:
    if hz < _LOG_START_HZ:
        return hz / _LINEAR_STEP
    return _LOG_START_MEL + float(np.log(hz / _LOG_START_HZ)) / _LOG_STEP


def _mel_to_hz(mels: np.ndarray) -> np.ndarray:
    linear = mels * _LINEAR_STEP
    logged = _LOG_START_HZ * np.exp(_LOG_STEP * (mels - _LOG_START_MEL))
    return np.where(mels < _LOG_START_MEL, linear, logged)
