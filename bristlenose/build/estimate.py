"""What the LLM work still to do will roughly cost, said before any money is spent.

Counted from the targets that are missing or stale (finished sessions cost nothing), with
tokens estimated from the size of each session's transcript. An estimate, not a quote.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bristlenose.build.heartbeat import plural
from bristlenose.llm.pricing import estimate_cost

# Answers are much shorter than transcripts; cross-session prompts list every quote.
OUTPUT_SHARE = 0.2
QUOTE_TOKENS = 45
QUOTES_PER_SESSION = 15


@dataclass(frozen=True)
class WorkEstimate:
    """LLM calls and tokens of the unfinished work."""

    calls: int
    sessions: int
    tokens_in: int
    tokens_out: int

    def line(self, provider: str, model: str) -> str:
        """One line for the console, e.g. ``Remaining LLM work: 14 calls for 7 sessions …``."""
        cost = estimate_cost(provider, model, self.tokens_in, self.tokens_out)
        return (f"Remaining LLM work: {plural(self.calls, 'call')} for {plural(self.sessions, 'session')} · "
                f"~{self.tokens_in:,} in · "
                f"~{self.tokens_out:,} out · ~${cost:.2f} (est.)")


def estimate_remaining(pending: dict[str, list[str]], transcript_sizes: dict[str, int], total_sessions: int,
                       cross_pending: int) -> WorkEstimate:
    """``pending`` maps stage → unfinished session ids; sizes are transcript bytes per session."""
    tokens_in = 0
    calls = 0
    for sessions in pending.values():
        for session_id in sessions:
            tokens_in += max(1, transcript_sizes.get(session_id, 0) // 4)
            calls += 1
    cross_tokens = total_sessions * QUOTES_PER_SESSION * QUOTE_TOKENS
    tokens_in += cross_pending * cross_tokens
    calls += cross_pending
    touched = {s for sessions in pending.values() for s in sessions}
    return WorkEstimate(calls=calls, sessions=len(touched), tokens_in=tokens_in,
                        tokens_out=int(tokens_in * OUTPUT_SHARE))


def file_size(path: Path) -> int:
    """Size in bytes, 0 when the file is missing."""
    try:
        return path.stat().st_size
    except OSError:
        return 0
