"""Why a provider call failed, classified so the build knows what to do next.

Transient failures are retried with backoff; a failure that will not go away by itself
(credit, key) stops the run from starting further LLM calls, leaving unfinished sessions
pending with a message that says what to do.
"""

from __future__ import annotations

from bristlenose.llm.base import ProviderError


class RetryableError(ProviderError):
    """Worth trying again after a pause."""


class RateLimited(RetryableError):
    """HTTP 429 without a quota problem: slow down and retry."""


class ServerError(RetryableError):
    """HTTP 5xx or 529 (overloaded): the provider's side; retry."""


class NetworkError(RetryableError):
    """No answer (connection refused, reset, timed out): retry."""


class AnswerRejected(ProviderError):
    """An answer arrived but is unusable (malformed, failed a quality check): the answers the
    task was given are dropped from the journal, so the next run asks afresh."""


class MalformedResponse(RetryableError, AnswerRejected):
    """The answer did not match the schema; retried once, then the session fails."""


class ResponseTruncated(ProviderError):
    """The answer stopped at the output-token limit; the stage splits its input and asks again."""


class BadRequest(ProviderError):
    """HTTP 400 for this request (too long, invalid): retrying the same request will not help."""


class RunStopper(ProviderError):
    """A failure that will fail every call: no further LLM calls start in this run."""

    advice = ""

    def __str__(self) -> str:
        message = super().__str__()
        return f"{message} — {self.advice}" if self.advice else message


class CreditExhausted(RunStopper):
    """Out of credit or quota (Anthropic 400 "credit balance is too low", OpenAI 429 insufficient_quota)."""

    advice = "top up or switch provider, then run `doit` again"


class InvalidKey(RunStopper):
    """HTTP 401/403: the API key is missing, wrong or lacks permission."""

    advice = "check the API key setting, then run `doit` again"


class BudgetExceeded(RunStopper):
    """The next call would take the run's estimated spend past ``max_cost_usd``."""

    advice = "raise max_cost_usd or run `doit` again to continue with a fresh budget"


class Interrupted(RunStopper):
    """Ctrl+C or SIGTERM: calls in flight may finish, no new call starts."""

    advice = "run `doit` again to resume"


def rejects_answers(exc: ProviderError) -> bool:
    """Whether a stage failed because the answers it was given are unusable (malformed, failed a
    quality check: they must not be served from the journal again), rather than because the
    provider could not answer (credit, key, network, rate limit, a rejected request)."""
    return isinstance(exc, AnswerRejected) or not isinstance(
        exc, (RunStopper, RetryableError, BadRequest, ResponseTruncated))
