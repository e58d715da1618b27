"""Voice embeddings: what a stretch of speech sounds like, as a 256-number unit vector.

The encoder is Resemblyzer's GE2E speaker encoder (Apache-2.0, see VOICE_ENCODER_LICENSE):
a 3-layer LSTM of 256 units over mel frames, then a linear layer, ReLU and L2 norm. Its
weights ship inside bristlenose (``voice_encoder.npz``, 2.6 MB, converted by
``scripts/convert_voice_encoder.py``) and run here in numpy, so diarisation needs neither
torch nor a download. Two stretches by the same voice give a cosine similarity near 1,
different voices markedly less.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from bristlenose.diarise.features import louder, mel_frames

WEIGHTS = Path(__file__).with_name("voice_encoder.npz")
WINDOW_FRAMES = 160
"""1.6 s: the length of the partial utterances the encoder was trained on."""
BATCH = 128
"""Windows per LSTM run: 128 keep its working arrays under about 100 MB."""
BLAS_THREADS = 1
"""The LSTM's many small products run fastest on one thread; more threads only contend
with Whisper, which transcribes the next recording meanwhile."""


def embed(clips: list[np.ndarray]) -> np.ndarray:
    """(len(clips), 256) unit vectors, one per clip of 16 kHz speech.

    A clip longer than the encoder's window is embedded as the normalised mean of windows
    that overlap by half, as Resemblyzer does for whole utterances.
    """
    windows: list[np.ndarray] = []
    owner: list[int] = []
    for index, clip in enumerate(clips):
        mels = mel_frames(louder(clip))
        length = min(WINDOW_FRAMES, len(mels))
        for start in range(0, max(1, len(mels) - length + 1), max(1, length // 2)):
            windows.append(mels[start:start + length])
            owner.append(index)
    sums = np.zeros((len(clips), 256), dtype=np.float32)
    with threadpool_limits(limits=BLAS_THREADS, user_api="blas"):
        for start in range(0, len(windows), BATCH):
            vectors = _forward(windows[start:start + BATCH])
            np.add.at(sums, np.array(owner[start:start + BATCH], dtype=int), vectors)
    return _normalised(sums)


def _forward(windows: list[np.ndarray]) -> np.ndarray:
    """The encoder on windows of up to :data:`WINDOW_FRAMES` frames, run as one batch:
    shorter windows are right-aligned and their state held until their first frame, so
    each ends on its own last hidden state → linear → ReLU → L2 norm."""
    weights = _weights()
    steps = max((len(window) for window in windows), default=0)
    sequence = np.zeros((len(windows), steps, 40), dtype=np.float32)
    first = np.zeros(len(windows), dtype=int)
    for row, window in enumerate(windows):
        first[row] = steps - len(window)
        sequence[row, first[row]:] = window
    hidden = np.zeros((len(windows), 256), dtype=np.float32)
    for layer in range(3):
        projected = sequence @ weights[f"ih{layer}"] + weights[f"b{layer}"]
        w_hh = weights[f"hh{layer}"]
        hidden = np.zeros((len(windows), 256), dtype=np.float32)
        cell = np.zeros_like(hidden)
        outputs = np.zeros((len(windows), steps, 256), dtype=np.float32)
        for step in range(steps):
            gates = projected[:, step] + hidden @ w_hh
            entry, forget = _sigmoid(gates[:, :256]), _sigmoid(gates[:, 256:512])
            candidate, exit_ = np.tanh(gates[:, 512:768]), _sigmoid(gates[:, 768:])
            started = (step >= first)[:, None]
            cell = np.where(started, forget * cell + entry * candidate, cell)
            hidden = np.where(started, exit_ * np.tanh(cell), hidden)
            outputs[:, step] = hidden
        sequence = outputs
    raw = np.maximum(hidden @ weights["linear_w"] + weights["linear_b"], 0)
    return _normalised(raw)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _normalised(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1)


@cache
def _weights() -> dict[str, np.ndarray]:
    """The encoder's weights as float32, transposed for ``x @ W``, PyTorch's gate order
    (input, forget, cell, output) kept."""
    with np.load(WEIGHTS) as stored:
        raw = {name: stored[name].astype(np.float32) for name in stored.files}
    weights = {"linear_w": raw["linear_weight"].T.copy(), "linear_b": raw["linear_bias"]}
    for layer in range(3):
        weights[f"ih{layer}"] = raw[f"lstm_weight_ih_l{layer}"].T.copy()
        weights[f"hh{layer}"] = raw[f"lstm_weight_hh_l{layer}"].T.copy()
        weights[f"b{layer}"] = raw[f"lstm_bias_ih_l{layer}"] + raw[f"lstm_bias_hh_l{layer}"]
    return weights
