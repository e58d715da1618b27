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
from bristlenose.llm.errors import CreditExhausted, InvalidKey
from bristlenose.llm.remote import RemoteProvider, Reply, tool_name

if TYPE_CHECKING:
    import anthropic


DEFAULT_MODEL = "claude-sonnet-4-6"
NO_KEY = "Anthropic: no API key: set ANTHROPIC_API_KEY (or BRISTLENOSE_ANTHROPIC_API_KEY)"
CREDIT_TOO_LOW = "credit balance is too low"
TRUNCATED_STOPS = frozenset({"max_tokens", "model_context_window_exceeded"})


class AnthropicProvider(RemoteProvider["anthropic.Anthropic"]):
    """Asks Claude to call one tool whose input is the request's response model."""

    name = "anthropic"
    label = "Anthropic"
    DEFAULT_MODEL = DEFAULT_MODEL

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

    def _list_models(self) -> None:
        client = self._sdk()
        import anthropic

        try:
            client.models.list(limit=1)
        except anthropic.AnthropicError as exc:
            raise self._classify(exc) from None

    def _classify(self, exc: anthropic.AnthropicError) -> ProviderError:
        """The :mod:`bristlenose.llm.errors` class for an SDK failure, with a short message."""
        import anthropic

        if not isinstance(exc, anthropic.APIStatusError):
            return self._transport_error(exc, anthropic.APITimeoutError, anthropic.APIConnectionError)
        detail = exc.api_message or exc.message
        if exc.status_code == 402 or (exc.status_code == 400 and CREDIT_TOO_LOW in detail.lower()):
            return CreditExhausted("Anthropic: API credit balance too low")
        return self._status_error(exc.status_code, detail)
