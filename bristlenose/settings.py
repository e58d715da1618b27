"""Every setting in one place.

Precedence, highest first: doit command-line variables (``doit input=PATH``), environment
variables ``BRISTLENOSE_<NAME>``, a ``.env`` file in the working folder, then the defaults
below. The README's settings table documents each field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

OUTPUT_DIRNAME = "bristlenose-output"


class Settings(BaseSettings):
    """Settings that shape a run. Only ``input`` is needed; the rest have sane defaults."""

    model_config = SettingsConfigDict(env_prefix="BRISTLENOSE_", env_file=".env", extra="ignore")

    input: Path = Field(default=Path("."), description="Folder of interviews (recordings and transcripts).")
    output: Path | None = Field(default=None, description="Output folder; default <input>/bristlenose-output.")
    project_name: str | None = Field(default=None, description="Name shown in the report; default the input folder's name.")
    llm_provider: str = Field(
        default="auto",
        description="'auto' (offline analyser when no API key is set), 'offline', or module:factory of a plugin.",
    )
    llm_model: str | None = Field(default=None, description="Model name for LLM providers; default per provider.")
    concurrency: int = Field(default=4, ge=1, le=64, description="Tasks run at once (threads).")
    rerun_on_model_change: bool = Field(
        default=False, description="Redo analysis stages whose provider or model differs from the current one."
    )

    @field_validator("input", "output", mode="after")
    @classmethod
    def _absolute(cls, value: Path | None) -> Path | None:
        return value.expanduser().resolve() if value is not None else None

    @property
    def output_dir(self) -> Path:
        """Where targets and the report go."""
        return self.output or self.input / OUTPUT_DIRNAME

    @property
    def state_dir(self) -> Path:
        """Hidden folder of per-session targets, dependency state and logs."""
        return self.output_dir / ".bristlenose"

    @property
    def project(self) -> str:
        """Project name for titles and file names."""
        return self.project_name or self.input.name

    def resolved_provider(self) -> str:
        """The provider ``auto`` stands for on this machine."""
        return "offline" if self.llm_provider == "auto" else self.llm_provider


def load_settings(default_input: Path, overrides: dict[str, Any] | None = None) -> Settings:
    """Settings from the environment and ``.env``, with command-line ``overrides`` on top."""
    given = {key: value for key, value in (overrides or {}).items() if key in Settings.model_fields}
    settings = Settings(**given)
    if "input" not in settings.model_fields_set:
        settings = Settings(**given, input=default_input)
    return settings
