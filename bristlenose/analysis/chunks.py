"""Ask about a long session in parts when an answer hits the output-token limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel

from bristlenose.analysis.answers import ask
from bristlenose.llm.base import AnalysisRequest, Provider
from bristlenose.llm.errors import ResponseTruncated
from bristlenose.models import Segment

R = TypeVar("R", bound=BaseModel)


def ask_in_parts(provider: Provider, request_for: Callable[[list[Segment]], AnalysisRequest[R]],
                 segments: list[Segment], combine: Callable[[list[R]], R]) -> R:
    """Ask about ``segments``; if the answer was cut off, ask about each half and combine.

    Halves never overlap and keep their segments' indices, so combined answers point at the
    same segments as a whole answer would and the stage's checks drop any duplicates.
    """
    try:
        return ask(provider, request_for(segments))
    except ResponseTruncated:
        if len(segments) < 2:
            raise
    middle = len(segments) // 2
    return combine([ask_in_parts(provider, request_for, part, combine)
                    for part in (segments[:middle], segments[middle:])])
