"""Plausibility of a provider's answer: what no real analysis would say is malformed, not a result.

Each stage attaches a check to its request (``AnalysisRequest.check``). An HTTP provider runs it
inside its malformed-answer retry, so an implausible answer is asked again once; :func:`ask`
runs it again for every provider (the offline analyser, plugins), so an implausible answer
never becomes a target: the session's stage fails and runs again next time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from pydantic import BaseModel

from bristlenose.llm.base import AnalysisRequest, ImplausibleAnswer, Provider
from bristlenose.llm.errors import MalformedResponse

T = TypeVar("T", bound=BaseModel)
SHOWN = 3
"""How many offending values an error message names."""


def ask(provider: Provider, request: AnalysisRequest[T]) -> T:
    """The provider's answer to ``request``; :class:`MalformedResponse` when it is implausible."""
    try:
        return request.accept(provider.analyze(request))
    except ImplausibleAnswer as exc:
        raise MalformedResponse(f"implausible {request.task} answer: {exc}") from None


def require_labels(what: str, labels: Iterable[str]) -> None:
    """Every label has some text."""
    if any(not label.strip() for label in labels):
        raise ImplausibleAnswer(f"a {what} with an empty label")


def require_known(what: str, given: Iterable[object], known: Iterable[object]) -> None:
    """Every value the answer gives is one the prompt showed."""
    allowed = set(known)
    unknown = list(dict.fromkeys(value for value in given if value not in allowed))
    if unknown:
        names = ", ".join(str(value) for value in unknown[:SHOWN]) + (" …" if len(unknown) > SHOWN else "")
        raise ImplausibleAnswer(f"{len(unknown)} {what} not in the prompt ({names})")
