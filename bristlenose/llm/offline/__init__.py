"""The offline analyser: the provider used when no API key is configured.

It answers every analysis request from the request's typed ``context`` with deterministic,
standard-library heuristics (the same input always gives byte-identical output), so the
pipeline runs end to end without a network or a key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from bristlenose.llm import OFFLINE_MODEL as MODEL
from bristlenose.llm.base import AnalysisRequest, ProviderError, T
from bristlenose.llm.offline import clusters, quotes, speakers, themes, topics

_TASKS: dict[str, Callable[[Any], BaseModel]] = {
    "speakers": speakers.answer,
    "topics": topics.answer,
    "quotes": quotes.answer,
    "clusters": clusters.answer,
    "themes": themes.answer,
}


class OfflineAnalyser:
    """Deterministic heuristics behind the :class:`~bristlenose.llm.base.Provider` interface."""

    name = "offline"
    model = MODEL

    def analyze(self, request: AnalysisRequest[T]) -> T:
        """Answer ``request`` from its context with the module for its task."""
        task = _TASKS.get(request.task)
        if task is None:
            raise ProviderError(f"the offline analyser has no answer for task {request.task!r}")
        answer = task(request.context)
        if isinstance(answer, request.response_model):
            return answer
        return request.response_model.model_validate(answer.model_dump())
