"""What every task of one run shares: settings, paths and the provider (built once)."""

from __future__ import annotations

import atexit
import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from bristlenose.pipeline.estimate import WorkEstimate
from bristlenose.pipeline.layout import Layout
from bristlenose.pipeline.liveline import notice
from bristlenose.pipeline.manifest import ManifestWriter
from bristlenose.compute import Executor
from bristlenose.llm import Provider, get_provider
from bristlenose.llm.gate import CallGate
from bristlenose.settings import Settings
from bristlenose.transcribe import WhisperOptions

REMOTE_PROVIDERS = ("anthropic", "openai")
"""Providers whose SDK (a module of the same name) is imported in the background when a run
starts working (see preload_sdk and warm_up)."""


@dataclass
class RunContext:
    """Shared by the tasks of a run; the provider is created on first use, once."""

    settings: Settings
    default_input: Path | None = None
    estimate: Callable[[], WorkEstimate] | None = None
    session_ids: Callable[[], list[str]] = list
    notes: Callable[[], list[str]] = list
    plain_args: list[str] | None = None
    """The settings of a plain ``doit`` run (see ``shortcut.py``); None for any other command."""
    command: str | None = None
    """The doit command of this process (``run``, ``list``, ``info``…); None when unknown."""
    manifest: ManifestWriter = field(init=False)
    _provider: Provider | None = field(default=None, init=False)
    _warming: bool = field(default=False, init=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False)

    @cached_property
    def layout(self) -> Layout:
        """Paths of this run's output folder."""
        return Layout(self.settings.output_dir)

    @property
    def input_dir(self) -> Path:
        """The study's input folder."""
        return self.settings.input

    @cached_property
    def whisper(self) -> WhisperOptions:
        """How recordings without a transcript are transcribed."""
        s = self.settings
        return WhisperOptions(model=s.whisper_model, language=s.whisper_language, device=s.whisper_device,
                              compute_type=s.whisper_compute_type, beam_size=s.whisper_beam_size,
                              cpu_threads=s.whisper_cpu_threads, turn_pause=s.whisper_turn_pause)

    @cached_property
    def compute(self) -> Executor | None:
        """Worker processes for CPU-bound per-session work (None: the task's own thread); they
        start on the first job, so a no-op run starts none."""
        from bristlenose.pipeline.offload import executor_for

        return executor_for(self.settings)

    def preload_sdk(self) -> None:
        """Import a remote provider's SDK in the background from the moment the tasks are being
        made, when LLM work is certainly due (a target is missing): the first call goes out
        about 0.2 s sooner than if the import waited for the first action."""
        provider = self.settings.resolved_provider()
        if provider in REMOTE_PROVIDERS:
            threading.Thread(target=importlib.import_module, args=(provider,), name="bristlenose-sdk-import",
                             daemon=True).start()

    def warm_up(self) -> None:
        """At a run's first action, create a remote provider in the background: importing its
        SDK takes ~2 s of CPU, which then overlaps the transcripts instead of delaying the
        first call. A no-op run runs no action, so it imports nothing."""
        with self._lock:
            if self._warming or self._provider is not None:
                return
            self._warming = True
        if self.settings.resolved_provider() in REMOTE_PROVIDERS:
            threading.Thread(target=self._warm, name="bristlenose-provider-warm-up", daemon=True).start()

    def _warm(self) -> None:
        try:
            self.provider()
        except Exception:  # noqa: BLE001 - the first task that needs the provider raises it again, named
            return

    def provider(self) -> Provider:
        """The configured provider; created lazily so `doit list` never loads an SDK."""
        with self._lock:
            if self._provider is None:
                self._provider = get_provider(self.settings)
                _announce(self._provider, self.estimate)
            return self._provider


_active: RunContext | None = None


def activate(ctx: RunContext) -> None:
    """Make ``ctx`` the run's context, for the reporter doit creates on its own."""
    global _active
    _active = ctx


def active() -> RunContext | None:
    """The context of the run in this process, if a dodo file created one."""
    return _active


def active_gate() -> CallGate | None:
    """The LLM call gate of this run, if a remote provider was created."""
    provider = _active._provider if _active is not None else None
    gate = getattr(provider, "gate", None)
    return gate if isinstance(gate, CallGate) else None


def _print_summary(gate: CallGate) -> None:
    """At exit, the LLM line if no reporter has shown it (doit's own reporters do not)."""
    line = gate.take_summary()
    if line is not None:
        notice(line)


def _announce(provider: Provider, estimate: Callable[[], WorkEstimate] | None) -> None:
    """Say which analyser runs, what the remaining LLM work should cost, and at exit what the
    run's LLM calls used.

    Written to the real stderr (doit swaps ``sys.stdout``/``sys.stderr`` while actions run),
    above the progress line.
    """
    if provider.name == "offline":
        notice("Analysing with the offline analyser (no API key set; set ANTHROPIC_API_KEY or OPENAI_API_KEY "
               "to analyse with an LLM).")
        return
    notice(f"Analysing with {provider.name} ({provider.model}).")
    if estimate is not None:
        work = estimate()
        for line in [*work.provenance_lines(provider.name, provider.model), work.line(provider.name, provider.model)]:
            notice(line)
    gate = getattr(provider, "gate", None)
    if isinstance(gate, CallGate):
        atexit.register(_print_summary, gate)
