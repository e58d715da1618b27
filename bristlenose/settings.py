"""Every setting in one place.

Precedence, highest first: doit command-line variables (``doit input=PATH``), environment
variables ``BRISTLENOSE_<NAME>``, a ``.env`` file in the working folder, then the defaults
below. The README's settings table documents each field.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from dotenv import dotenv_values

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

OUTPUT_DIRNAME = "bristlenose-output"
ENV_PREFIX = "BRISTLENOSE_"
ENV_FILE = ".env"
TEST_KNOB_PREFIX = "BRISTLENOSE_TEST_"
"""Environment variables the test suite uses to steer its fake provider; not settings."""


class Settings(BaseSettings):
    """Settings that shape a run. Only ``input`` is needed; the rest have sane defaults."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=ENV_FILE, extra="ignore",
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
    whisper_turn_pause: float = Field(default=1.0, gt=0, le=10, description="Seconds of silence the voice-activity "
                                      "detector counts as a break between stretches of speech: where long "
                                      "recordings are cut into transcription windows.")
    report_names: Literal["names", "codes"] = Field(
        default="names", description="'names' shows people's names in the report; 'codes' shows only their codes "
        "(p1, m1), for a report that must be anonymous.")
    concurrency: int = Field(default=4, ge=1, le=64, description="Tasks run at once (threads).")
    verbose: bool = Field(default=False, description="Debug mode: one log per task under .bristlenose/logs/ "
                          "with timings, LLM calls and retries.")
    redact_pii: bool = Field(
        default=False, description="Replace personal data (names, emails, phone numbers, addresses, card and bank "
        "numbers, dates of birth) with placeholders such as [NAME] before any text reaches an LLM provider or the "
        "report; the original values are kept for audit in .bristlenose/sessions/<id>/redactions.json (mode 0600).")
    rerun_on_model_change: bool = Field(
        default=False, description="Redo analysis stages whose provider or model differs from the current one."
    )
    keep_offline_results: bool = Field(
        default=False, description="Keep targets made by the offline analyser when an LLM provider is configured "
        "(by default an LLM redoes them: offline results are a draft).")
    llm_journal: bool = Field(default=True, description="Keep every LLM answer in .bristlenose/llm-journal.sqlite "
                              "and answer identical requests from it; false always asks the provider afresh.")
    llm_journal_max_mb: float = Field(default=256.0, gt=0, description="Size cap of the answer journal; the "
                                      "oldest answers go first.")
    llm_journal_max_age_days: float = Field(default=180.0, gt=0, description="Answers older than this are "
                                            "dropped from the journal.")
    llm_grace_seconds: float = Field(default=20.0, ge=0, description="After the first Ctrl+C or SIGTERM, how long "
                                     "LLM calls already in flight may finish (they are paid for); a second "
                                     "Ctrl+C stops at once.")
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


def closest_setting(name: str) -> str | None:
    """The known setting a misspelt ``name`` most likely meant."""
    matches = difflib.get_close_matches(name.lower(), list(Settings.model_fields), n=1, cutoff=0.6)
    return matches[0] if matches else None


def unknown_setting_message(names: Iterable[str]) -> str | None:
    """Why command-line ``name=value`` arguments are refused, or None when every name is a setting."""
    unknown = [name for name in names if name not in Settings.model_fields]
    if not unknown:
        return None
    parts = []
    for name in unknown:
        guess = closest_setting(name)
        parts.append(f"`{name}`" + (f" (did you mean `{guess}`?)" if guess else ""))
    return (f"unknown setting {', '.join(parts)}; `doit settings` lists every setting "
            "(nothing was run)")


def environment_names(field: str) -> list[str]:
    """Environment variable names a setting is read from, in pydantic-settings' order."""
    alias = Settings.model_fields[field].validation_alias
    if isinstance(alias, AliasChoices):
        return [choice for choice in alias.choices if isinstance(choice, str) and choice.isupper()]
    return [f"{ENV_PREFIX}{field.upper()}"]


def dotenv_settings(env_file: Path = Path(ENV_FILE)) -> dict[str, str]:
    """The ``.env`` file's variables (empty when there is none)."""
    if not env_file.is_file():
        return {}
    return {key: value or "" for key, value in dotenv_values(env_file).items()}


def unknown_environment_warnings(environ: Mapping[str, str], dotenv: Mapping[str, str]) -> list[str]:
    """A warning for each ``BRISTLENOSE_*`` variable (environment or ``.env``) that is no setting."""
    known = {name for field in Settings.model_fields for name in environment_names(field)}
    warnings = []
    for where, names in (("environment variable", environ), (f"{ENV_FILE} entry", dotenv)):
        for name in sorted(names):
            if not name.upper().startswith(ENV_PREFIX) or name.upper().startswith(TEST_KNOB_PREFIX):
                continue
            if name.upper() in known:
                continue
            guess = closest_setting(name[len(ENV_PREFIX):])
            hint = f" (did you mean {ENV_PREFIX}{guess.upper()}?)" if guess else ""
            warnings.append(f"warning: {where} {name} is not a bristlenose setting and is ignored{hint}")
    return warnings


def setting_sources(overrides: Mapping[str, Any], environ: Mapping[str, str] = os.environ,
                    dotenv: Mapping[str, str] | None = None) -> dict[str, str]:
    """Where each setting's value comes from: ``command line``, ``environment (NAME)``,
    ``.env (NAME)`` or ``default`` — in the precedence :class:`Settings` applies."""
    dotenv = dotenv_settings() if dotenv is None else dotenv
    upper_environ = {key.upper() for key in environ}
    upper_dotenv = {key.upper() for key in dotenv}
    sources = {}
    for field in Settings.model_fields:
        names = environment_names(field)
        if field in overrides:
            sources[field] = "command line"
        elif found := next((name for name in names if name in upper_environ), None):
            sources[field] = f"environment ({found})"
        elif found := next((name for name in names if name in upper_dotenv), None):
            sources[field] = f"{ENV_FILE} ({found})"
        else:
            sources[field] = "default"
    return sources
