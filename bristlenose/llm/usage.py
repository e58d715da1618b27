"""Token usage and cost of LLM calls, metered per task without passing it through stages.

The build layer opens a :func:`metered` block around each task; providers report every call
with :func:`record`. Context variables keep concurrent tasks (threads) apart.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CallUsage:
    """One HTTP call's usage, or one answer served from the journal (``cached``: no call, no cost);
    ``key`` is the request's journal key (a hash). Never holds transcript text."""

    provider: str
    model: str
    task: str
    session_id: str | None
    tokens_in: int
    tokens_out: int
    cost_usd: float
    status: str
    seconds: float
    cached: bool = False
    key: str = ""


@dataclass
class Meter:
    """What the calls of one task used; a meter opened inside another also feeds the outer one."""

    calls: list[CallUsage] = field(default_factory=list)
    outer: Meter | None = None

    @property
    def paid(self) -> int:
        """Calls that reached the provider (answers from the journal are not)."""
        return sum(1 for c in self.calls if not c.cached)

    @property
    def cached(self) -> int:
        """Answers served from the journal."""
        return sum(1 for c in self.calls if c.cached)

    @property
    def tokens_in(self) -> int:
        """Input tokens of all calls."""
        return sum(c.tokens_in for c in self.calls)

    @property
    def tokens_out(self) -> int:
        """Output tokens of all calls."""
        return sum(c.tokens_out for c in self.calls)

    @property
    def cost_usd(self) -> float:
        """Estimated cost of all calls."""
        return sum(c.cost_usd for c in self.calls)


_current: contextvars.ContextVar[Meter | None] = contextvars.ContextVar("bristlenose_meter", default=None)


@contextmanager
def metered() -> Iterator[Meter]:
    """Collect the usage of every call made inside the block (in this thread)."""
    meter = Meter(outer=_current.get())
    token = _current.set(meter)
    try:
        yield meter
    finally:
        _current.reset(token)


def record(usage: CallUsage) -> None:
    """Add a call's usage to the current task's meters, if any."""
    meter = _current.get()
    while meter is not None:
        meter.calls.append(usage)
        meter = meter.outer
