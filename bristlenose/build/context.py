"""What every task of one run shares: settings, paths and the provider (built once)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from bristlenose.build.layout import Layout
from bristlenose.llm import Provider, get_provider
from bristlenose.settings import Settings


@dataclass
class RunContext:
    """Shared by the tasks of a run; the provider is created on first use, once."""

    settings: Settings
    _provider: Provider | None = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    @cached_property
    def layout(self) -> Layout:
        """Paths of this run's output folder."""
        return Layout(self.settings.output_dir)

    @property
    def input_dir(self) -> Path:
        """The study's input folder."""
        return self.settings.input

    def provider(self) -> Provider:
        """The configured provider; created lazily so `doit list` never loads an SDK."""
        with self._lock:
            if self._provider is None:
                self._provider = get_provider(self.settings)
            return self._provider
