"""Analysis providers behind one interface (:class:`Provider`).

Built-in providers are looked up by name; any other value of the ``llm_provider`` setting is
read as ``module:factory``, a callable taking the settings and returning a provider, so a
plugin (or a test double) needs no change here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from bristlenose.llm.base import AnalysisRequest, Provider, ProviderError
from bristlenose.llm.gate import CallGate
from bristlenose.llm.journal import JOURNAL_NAME, AnswerJournal

if TYPE_CHECKING:
    from bristlenose.settings import Settings

__all__ = ["OFFLINE_MODEL", "AnalysisRequest", "Provider", "ProviderError", "UnknownProviderError", "get_provider"]

OFFLINE_MODEL = "bristlenose-offline-2"
"""Model name and version of the offline analyser's algorithms: bump it when what they return
changes, so its older drafts are redone (here, so the build can compare without importing them)."""


def _offline(settings: Settings) -> Provider:
    from bristlenose.llm.offline import OfflineAnalyser

    return OfflineAnalyser()


def _gate(settings: Settings) -> CallGate:
    """One gate per provider, and the run makes its provider once: calls share its limits and
    its answer journal (none with ``llm_journal=false``)."""
    journal = None
    if settings.llm_journal:
        journal = AnswerJournal(settings.state_dir / JOURNAL_NAME, int(settings.llm_journal_max_mb * 1024 * 1024),
                                settings.llm_journal_max_age_days)
    return CallGate(settings.llm_concurrency, settings.max_cost_usd, log_path=settings.state_dir / "llm-calls.jsonl",
                    journal=journal)


def _anthropic(settings: Settings) -> Provider:
    from bristlenose.llm.anthropic import AnthropicProvider

    return AnthropicProvider.from_settings(settings, _gate(settings))


def _openai(settings: Settings) -> Provider:
    from bristlenose.llm.openai import OpenAIProvider

    return OpenAIProvider.from_settings(settings, _gate(settings))


BUILTIN: dict[str, Callable[[Settings], Provider]] = {"offline": _offline, "anthropic": _anthropic, "openai": _openai}


class UnknownProviderError(ValueError):
    """The ``llm_provider`` setting names no provider."""


def get_provider(settings: Settings) -> Provider:
    """The provider the settings select."""
    name = settings.resolved_provider()
    factory = BUILTIN.get(name)
    if factory is None:
        if ":" not in name:
            known = ", ".join(sorted(BUILTIN))
            raise UnknownProviderError(f"llm_provider={name!r} is not a provider (known: {known}, or module:factory)")
        module_name, _, attr = name.partition(":")
        try:
            factory = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as exc:
            raise UnknownProviderError(f"llm_provider={name!r} cannot be loaded: {exc}") from exc
    return factory(settings)

