"""Claude through Anthropic's Messages API.

The answer's shape is enforced by forcing one tool whose ``input_schema`` is the response
model's JSON schema. Forced tool use is incompatible with extended thinking, so the default
model is one that does not think unless asked; a model that thinks by default may answer a
forced tool with HTTP 400 (reported as a bad request naming the model). The SDK is imported
on the first call (it takes about two seconds), so ``doit list`` and the offline provider
never pay for it. Without an API key the provider is still built (its name and model are
provenance); the first call raises :class:`InvalidKey`, which stops the run's further calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bristlenose.llm.base import AnalysisRequest, ProviderError
from bristlenose.llm.errors import BadRequest, CreditExhausted, InvalidKey, NetworkError, RateLimited, ServerError
from bristlenose.llm.gate import CallGate
from bristlenose.llm.remote import RemoteProvider, Reply, tool_name

if TYPE_CHECKING:
    import anthropic

    from bristlenose.settings import Settings

DEFAULT_MODEL = "claude-sonnet-4-6"
NO_KEY = "Anthropic: no API key: set ANTHROPIC_API_KEY (or BRISTLENOSE_ANTHROPIC_API_KEY)"
CREDIT_TOO_LOW = "credit balance is too low"
TRUNCATED_STOPS = frozenset({"max_tokens", "model_context_window_exceeded"})
DETAIL_CHARS = 200


class AnthropicProvider(RemoteProvider["anthropic.Anthropic"]):
    """Asks Claude to call one tool whose input is the request's response model."""

    name = "anthropic"


    @classmethod
    def from_settings(cls, settings: Settings, gate: CallGate) -> AnthropicProvider:
        """The provider the settings describe; ``base_url`` None lets the SDK read ANTHROPIC_BASE_URL."""
        return cls(settings.llm_model or DEFAULT_MODEL, gate, settings.llm_max_tokens,
                   api_key=settings.anthropic_api_key, base_url=settings.anthropic_base_url or None,
                   max_retries=settings.llm_max_retries, timeout=settings.llm_timeout)

    def _make_client(self) -> anthropic.Anthropic:
        """The key is passed explicitly so the SDK never falls back to credentials of its own."""
        if not self._key():
            raise InvalidKey(NO_KEY)
        import anthropic

        return anthropic.Anthropic(api_key=self._key(), base_url=self._base_url, max_retries=self._max_retries,
                                   timeout=self._timeout, http_client=self._http_client)

    def _send(self, request: AnalysisRequest[Any]) -> Reply:
        client = self._sdk()
        import anthropic

        name = tool_name(request)
        try:
            message = client.messages.create(
                model=self.model, max_tokens=self.max_tokens, system=request.system,
                messages=[{"role": "user", "content": request.user}],
                tools=[{"name": name, "description": f"Record the complete {request.task} answer, once.",
                        "input_schema": request.response_model.model_json_schema()}],
                tool_choice={"type": "tool", "name": name},
            )
        except anthropic.AnthropicError as exc:
            raise self._classify(exc) from None
        calls = [block.input for block in message.content if block.type == "tool_use" and block.name == name]
        return Reply(calls[0] if calls else None, message.usage.input_tokens, message.usage.output_tokens,
                     truncated=message.stop_reason in TRUNCATED_STOPS)

    def _classify(self, exc: anthropic.AnthropicError) -> ProviderError:
        """The :mod:`bristlenose.llm.errors` class for an SDK failure, with a short message."""
        import anthropic

        if isinstance(exc, anthropic.APITimeoutError):
            return NetworkError(f"Anthropic: no answer within {self._timeout:g} s")
        if isinstance(exc, anthropic.APIConnectionError):
            return NetworkError("Anthropic: cannot connect to the API")
        if not isinstance(exc, anthropic.APIStatusError):
            return ProviderError(f"Anthropic: unexpected failure ({type(exc).__name__})")
        status = exc.status_code
        detail = self._redact(exc.api_message or exc.message)
        if status == 402 or (status == 400 and CREDIT_TOO_LOW in detail.lower()):
            return CreditExhausted("Anthropic: API credit balance too low")
        if status in (401, 403):
            return InvalidKey(f"Anthropic: API key rejected (HTTP {status})")
        if status == 429:
            return RateLimited(f"Anthropic: rate limited (HTTP 429) after {self._max_retries} retries")
        if status == 408:
            return NetworkError(f"Anthropic: request timed out (HTTP 408) after {self._max_retries} retries")
        if status >= 500:
            what = "overloaded" if status == 529 else "server error"
            return ServerError(f"Anthropic: {what} (HTTP {status}) after {self._max_retries} retries")
        return BadRequest(f"Anthropic: request rejected (HTTP {status}): {detail[:DETAIL_CHARS]}")


