"""Settings: command line over environment over .env over defaults; keys stay secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from bristlenose.settings import load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "BRISTLENOSE_LLM_PROVIDER", "BRISTLENOSE_LLM_CONCURRENCY",
                 "BRISTLENOSE_INPUT", "BRISTLENOSE_ANTHROPIC_API_KEY", "BRISTLENOSE_OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_command_line_beats_environment_beats_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("BRISTLENOSE_LLM_CONCURRENCY=2\nBRISTLENOSE_CONCURRENCY=3\n")
    assert load_settings(tmp_path).llm_concurrency == 2
    monkeypatch.setenv("BRISTLENOSE_LLM_CONCURRENCY", "8")
    settings = load_settings(tmp_path)
    assert (settings.llm_concurrency, settings.concurrency) == (8, 3)
    assert load_settings(tmp_path, {"llm_concurrency": "5"}).llm_concurrency == 5


def test_auto_picks_the_provider_whose_key_is_set(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert load_settings(tmp_path).resolved_provider() == "offline"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-secret")
    assert load_settings(tmp_path).resolved_provider() == "openai"
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-secret")
    settings = load_settings(tmp_path)
    assert settings.resolved_provider() == "anthropic"
    assert "sk-ant-secret" not in repr(settings) and "sk-ant-secret" not in str(settings.model_dump())


def test_output_defaults_inside_the_input_folder(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "study")
    assert settings.output_dir == tmp_path / "study" / "bristlenose-output"
    assert settings.project == "study"
