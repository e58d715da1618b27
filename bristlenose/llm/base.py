"""The one small interface every analysis provider implements."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class AnalysisRequest(Generic[T]):
    """One structured question to a provider.

    LLM providers send ``system`` and ``user`` and parse the answer into ``response_model``;
    the offline analyser answers from ``context``, the typed input the prompt was rendered
    from, so both kinds share one call shape.
    """

    task: str
    system: str
    user: str
    response_model: type[T]
    context: BaseModel
    session_id: str | None = None
    check: Callable[[T], None] | None = None
    """Raises :class:`ImplausibleAnswer` for a schema-valid answer that cannot be a real one."""

    def accept(self, answer: T) -> T:
        """``answer`` when it passes ``check``; :class:`ImplausibleAnswer` naming why not."""
        if self.check is not None:
            self.check(answer)
        return answer


class ImplausibleAnswer(ValueError):
    """A schema-valid answer no real analysis gives (a topic at every segment, an empty label,
    an id that was not in the prompt): treated like a malformed answer, asked again once."""


@runtime_checkable
class Provider(Protocol):
    """Answers analysis requests; ``name`` and ``model`` are recorded as provenance."""

    name: str
    model: str

    def analyze(self, request: AnalysisRequest[T]) -> T:
        """Answer ``request`` with an instance of ``request.response_model``."""
        ...


class ProviderError(Exception):
    """A provider could not answer. The stage fails for that session and nothing is cached."""
