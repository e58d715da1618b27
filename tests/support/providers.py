"""A test provider: the offline analyser plus a call log, injected failures and slowness.

Selected in a subprocess with ``BRISTLENOSE_LLM_PROVIDER=tests.support.providers:counting``
and steered by environment variables, so tests can count exactly which (stage, session)
pairs reached the provider across runs, kills and resumes.
"""

from __future__ import annotations

import json
import os
import time
from typing import TypeVar

from pydantic import BaseModel

from bristlenose.llm import AnalysisRequest, ProviderError
from bristlenose.llm.offline import OfflineAnalyser
from bristlenose.settings import Settings
from tests.support.knobs import CALL_LOG, FAIL, SLOW

T = TypeVar("T", bound=BaseModel)



def _label(request: AnalysisRequest[T]) -> str:
    return f"{request.task}:{request.session_id}" if request.session_id else request.task


class CountingProvider:
    """Answers like the offline analyser; logs every call and fails or stalls on request.

    ``BRISTLENOSE_TEST_FAIL="quotes:s3"`` fails those calls; ``BRISTLENOSE_TEST_SLOW=
    "quotes:s3=30"`` makes them sleep first (logging a ``start`` line, so a test can send a
    signal while the call is in flight).
    """

    name = "counting"

    def __init__(self, model: str) -> None:
        self.model = model
        self._offline = OfflineAnalyser()

    def analyze(self, request: AnalysisRequest[T]) -> T:
        label = _label(request)
        delay = _slow_calls().get(label)
        if delay:
            _log("start", label)
            time.sleep(delay)
        if label in _listed(FAIL):
            _log("fail", label)
            raise ProviderError(f"test provider refuses {label}")
        answer = self._offline.analyze(request)
        _log("done", label)
        return answer


def counting(settings: Settings) -> CountingProvider:
    """Factory named by the ``llm_provider`` setting."""
    return CountingProvider(settings.llm_model or "counting-1")


def _listed(variable: str) -> set[str]:
    return {item.strip() for item in os.environ.get(variable, "").split(",") if item.strip()}


def _slow_calls() -> dict[str, float]:
    return {label: float(seconds) for label, _, seconds in (item.partition("=") for item in _listed(SLOW))}


def _log(event: str, label: str) -> None:
    path = os.environ.get(CALL_LOG)
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"event": event, "call": label}) + "\n")
            handle.flush()
