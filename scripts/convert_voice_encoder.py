"""Convert Resemblyzer's pretrained voice encoder into the weights bristlenose ships.

Usage (from the repository root; needs only numpy, never torch)::

    pip download --no-deps -d /tmp/resemblyzer resemblyzer==0.1.4
    python scripts/convert_voice_encoder.py /tmp/resemblyzer/Resemblyzer-0.1.4-py3-none-any.whl

Resemblyzer (Apache-2.0, https://github.com/resemble-ai/Resemblyzer) ships its 17 MB
``pretrained.pt`` inside the wheel, but its package requires torch, which pulls gigabytes of
CUDA libraries. The checkpoint is torch's legacy format: a few pickles followed by raw
float32 storage, readable with ``pickle`` and numpy. This keeps the model weights (1.4 M
parameters, not the optimiser state) as float16 in ``bristlenose/diarise/voice_encoder.npz``
(about 2.7 MB), with the licence beside it.
"""

from __future__ import annotations

import collections
import io
import pickle
import struct
import sys
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "bristlenose" / "diarise" / "voice_encoder.npz"
LICENCE = ROOT / "bristlenose" / "diarise" / "VOICE_ENCODER_LICENSE"


def _rebuild_tensor(storage: tuple[Any, ...], offset: int, size: tuple[int, ...], stride: tuple[int, ...],
                    *rest: Any) -> tuple[str, int, tuple[int, ...]]:
    return storage[2], offset, size


class _Checkpoint(pickle.Unpickler):
    """Unpickles a legacy torch checkpoint into (storage key, offset, shape) tuples."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "torch._utils" and name.startswith("_rebuild_tensor"):
            return _rebuild_tensor
        if module == "collections" and name == "OrderedDict":
            return collections.OrderedDict
        if module == "torch":
            return name
        raise pickle.UnpicklingError(f"unexpected class {module}.{name} in the checkpoint")

    def persistent_load(self, pid: Any) -> Any:
        return pid


def read_checkpoint(data: bytes) -> dict[str, np.ndarray]:
    """The model state of a legacy-format torch checkpoint, as float32 arrays."""
    handle = io.BytesIO(data)
    for _ in range(3):  # magic number, protocol version, system info
        pickle.load(handle)
    checkpoint = _Checkpoint(handle).load()
    storages: dict[str, np.ndarray] = {}
    for key in pickle.load(handle):
        count = struct.unpack("<q", handle.read(8))[0]
        storages[key] = np.frombuffer(handle.read(4 * count), dtype="<f4")
    state = {}
    for name, (key, offset, shape) in checkpoint["model_state"].items():
        size = int(np.prod(shape))
        state[name] = storages[key][offset:offset + size].reshape(shape)
    return state


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with zipfile.ZipFile(sys.argv[1]) as wheel:
        state = read_checkpoint(wheel.read("resemblyzer/pretrained.pt"))
        licence = wheel.read("Resemblyzer-0.1.4.dist-info/LICENSE").decode()
    weights = {name.replace(".", "_"): array.astype(np.float16) for name, array in state.items()
               if name.startswith(("lstm.", "linear."))}
    np.savez_compressed(TARGET, **weights)
    LICENCE.write_text("The voice encoder weights in voice_encoder.npz are converted from Resemblyzer 0.1.4\n"
                       "(https://github.com/resemble-ai/Resemblyzer), under this licence:\n\n" + licence)
    print(f"{TARGET.name}: {TARGET.stat().st_size / 1e6:.1f} MB, "
          f"{sum(a.size for a in weights.values()) / 1e6:.2f} M parameters")


if __name__ == "__main__":
    main()
