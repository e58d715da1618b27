"""What the LLM work still to do will roughly cost, said before any money is spent.

Counted from the targets that are missing or stale (finished sessions cost nothing), with
tokens estimated from each session's transcript text — read from its transcript file when it
was not parsed yet, from a recording's length when it was not transcribed yet — so the
estimate does not depend on how far an earlier run got. An estimate, not a quote. It also
says who made the targets that are kept, when that is not the provider now configured.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bristlenose.pipeline.heartbeat import plural
from bristlenose.llm.pricing import estimate_cost

# Answers are much shorter than transcripts; cross-session prompts list every quote.
SEGMENT_PREFIX_CHARS = 10
"""``[12] p1: `` before each segment's text in a prompt."""
SPOKEN_CHARS_PER_SECOND = 12.0
"""Interview speech: about 2 words a second, with the segment prefixes of a prompt."""
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
    kept: dict[str, int] = field(default_factory=dict)
    """Kept targets by their maker, ``provider (model)``."""
    redo_offline: int = 0
    """Targets of the offline analyser that the configured LLM redoes."""

    def provenance_lines(self, provider: str, model: str) -> list[str]:
        """What happens to targets made by another provider or model, one line each, naming the
        setting that changes it."""
        lines = []
        if self.redo_offline:
            lines.append(f"Redoing {self.redo_offline} offline-analyser results with {provider} ({model}); "
                         "set keep_offline_results=true to keep them.")
        others = {maker: n for maker, n in self.kept.items()
                  if maker != f"{provider} ({model})" and not maker.startswith(("bristlenose ", "offline "))}
        if others:
            made = ", ".join(f"{n} by {maker}" for maker, n in sorted(others.items()))
            lines.append(f"Keeping analysis made by another provider or model ({made}); "
                         "set rerun_on_model_change=true to redo it with " f"{provider} ({model}).")
        return lines

    def line(self, provider: str, model: str) -> str:
        """One line for the console, e.g. ``Remaining LLM work: 14 calls for 7 sessions …``."""
        cost = estimate_cost(provider, model, self.tokens_in, self.tokens_out)
        return (f"Remaining LLM work: {plural(self.calls, 'call')} for {plural(self.sessions, 'session')} · "
                f"~{self.tokens_in:,} in · "
                f"~{self.tokens_out:,} out · ~${cost:.2f} (est.)")


def estimate_remaining(pending: dict[str, list[str]], transcript_sizes: dict[str, int], total_sessions: int,
                       cross_pending: int, kept: dict[str, int] | None = None, redo_offline: int = 0) -> WorkEstimate:
    """``pending`` maps stage → unfinished session ids; sizes are transcript characters per session."""
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
                        tokens_out=int(tokens_in * OUTPUT_SHARE), kept=dict(kept or {}), redo_offline=redo_offline)


def transcript_chars(segment_texts: list[str]) -> int:
    """Characters of a transcript as a prompt shows it."""
    return sum(len(text) + SEGMENT_PREFIX_CHARS for text in segment_texts)


def spoken_chars(seconds: float) -> int:
    """Characters a recording of this length is expected to transcribe to."""
    return int(seconds * SPOKEN_CHARS_PER_SECOND)
