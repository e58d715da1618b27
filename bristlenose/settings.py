"""Every setting in one place.

Precedence, highest first: doit command-line variables (``doit input=PATH``), environment
variables ``BRISTLENOSE_<NAME>``, a ``.env`` file in the working folder, then the defaults
below. The README's settings table documents each field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

OUTPUT_DIRNAME = "bristlenose-output"


class Settings(BaseSettings):
    """Settings that shape a run. Only ``input`` is needed; the rest have sane defaults."""

    model_config = SettingsConfigDict(env_prefix="BRISTLENOSE_", env_file=".env", extra="ignore",
                                      populate_by_name=True)

    input: Path = Field(default=Path("."), description="Folder of interviews (recordings and transcripts).")
    output: Path | None = Field(default=None, description="Output folder; default <input>/bristlenose-output.")
    project_name: str | None = Field(default=None, description="Name shown in the report; default the input folder's name.")
    llm_provider: str = Field(
        default="auto",
        description="'auto' (anthropic or openai when its API key is set, else offline), 'anthropic', 'openai', "
        "'offline', or module:factory of a plugin.",
    )
    llm_model: str | None = Field(default=None, description="Model name for LLM providers; default per provider.")
    anthropic_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("BRISTLENOSE_ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY", "anthropic_api_key"),
        description="Anthropic API key (also read from ANTHROPIC_API_KEY).")
    anthropic_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("BRISTLENOSE_ANTHROPIC_BASE_URL", "ANTHROPIC_BASE_URL", "anthropic_base_url"),
        description="Anthropic API address (also read from ANTHROPIC_BASE_URL).")
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("BRISTLENOSE_OPENAI_API_KEY", "OPENAI_API_KEY", "openai_api_key"),
        description="OpenAI (or compatible server) API key (also read from OPENAI_API_KEY).")
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("BRISTLENOSE_OPENAI_BASE_URL", "OPENAI_BASE_URL", "openai_base_url"),
        description="OpenAI-compatible API address, e.g. http://localhost:11434/v1 for Ollama (also OPENAI_BASE_URL).")
    llm_concurrency: int = Field(default=4, ge=1, le=64, description="LLM calls in flight at once, across all stages.")
    llm_max_tokens: int = Field(default=8192, ge=256, description="Output-token limit of one LLM answer.")
    llm_max_retries: int = Field(default=3, ge=0, le=10, description="SDK retries of rate-limited or failed calls.")
    llm_timeout: float = Field(default=300.0, gt=0, description="Seconds to wait for one LLM answer.")
    max_cost_usd: float | None = Field(default=None, gt=0, description="Stop starting LLM calls before the "
                                       "run's estimated spend would pass this.")
    whisper_model: str = Field(default="tiny.en", description="Whisper model for recordings without a transcript: "
                               "'tiny.en' (bundled), another name already in the local Hugging Face cache, "
                               "or a folder holding a CTranslate2 Whisper model. Nothing is downloaded.")
    whisper_language: str = Field(default="en", description="Language spoken in the recordings ('auto' detects "
                                  "it; English-only '.en' models always use 'en').")
    whisper_device: str = Field(default="auto", description="'auto' (CUDA when a GPU is present, else CPU), "
                                "'cpu' or 'cuda'.")
    whisper_compute_type: str = Field(default="auto", description="CTranslate2 compute type: 'auto' (int8 on "
                                      "CPU, float16 on CUDA), 'int8', 'float16', 'float32', …")
    whisper_beam_size: int = Field(default=5, ge=1, le=20, description="Beam width of Whisper's decoding; 1 is "
                                   "greedy and faster, 5 is more accurate.")
    whisper_cpu_threads: int = Field(default=0, ge=0, le=256, description="CPU threads of one transcription; 0 "
                                     "lets CTranslate2 choose.")
    whisper_turn_pause: float = Field(default=1.0, gt=0, le=10, description="Seconds of silence that end a "
                                      "speaker's turn when a recording is split into speakers.")
    concurrency: int = Field(default=4, ge=1, le=64, description="Tasks run at once (threads).")
    verbose: bool = Field(default=False, description="Debug mode: one log per task under .bristlenose/logs/ "
                          "with timings, LLM calls and retries.")
    rerun_on_model_change: bool = Field(
        default=False, description="Redo analysis stages whose provider or model differs from the current one."
    )
    cpu_workers: int = Field(default=0, ge=0, le=256, description="Worker processes for CPU-bound per-session "
                             "work (parsing, the offline analyser, transcription): 0 one per core, 1 none "
                             "(all in the doit process).")
    dask_scheduler: str | None = Field(default=None, description="Address of a Dask scheduler (tcp://host:8786) "
                                       "to send CPU-bound per-session work to, instead of local processes.")

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
        """The provider ``auto`` stands for: the first whose API key is set, else offline."""
        if self.llm_provider != "auto":
            return self.llm_provider
        if self.anthropic_api_key is not None:
            return "anthropic"
        if self.openai_api_key is not None:
            return "openai"
        return "offline"


def load_settings(default_input: Path, overrides: dict[str, Any] | None = None) -> Settings:
    """Settings from the environment and ``.env``, with command-line ``overrides`` on top."""
    given = {key: value for key, value in (overrides or {}).items() if key in Settings.model_fields}
    settings = Settings(**given)
    if "input" not in settings.model_fields_set:
        settings = Settings(**given, input=default_input)
    return settings
