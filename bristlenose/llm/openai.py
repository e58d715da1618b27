"""OpenAI's Chat Completions API, and any server that speaks it (Ollama, llama.cpp, vLLM, …).

The answer's shape is enforced by forcing one function call whose parameters are the response
model's JSON schema: the one mechanism OpenAI-compatible local servers share. Point
``openai_base_url`` at such a server (``http://localhost:11434/v1`` for Ollama); it needs no
API key, so none is required when a base URL is set (the SDK is sent a placeholder). Models
without a known price (local ones) cost 0.0 in the budget. OpenAI's own API gets
``max_completion_tokens`` (its reasoning models reject ``max_tokens``); other servers get
``max_tokens``, the parameter they all understand. The SDK is imported on the first call;
its client never retries ``429 insufficient_quota`` (:mod:`bristlenose.llm.openai_client`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bristlenose.llm.base import AnalysisRequest, ProviderError
from bristlenose.llm.errors import CreditExhausted, InvalidKey
from bristlenose.llm.remote import RemoteProvider, Reply, json_or_none, tool_name

if TYPE_CHECKING:
    import openai


DEFAULT_MODEL = "gpt-5.4-mini"
OPENAI_HOST = "api.openai.com"
NO_KEY = "OpenAI: no API key: set OPENAI_API_KEY (or BRISTLENOSE_OPENAI_API_KEY)"
PLACEHOLDER_KEY = "not-needed"


class OpenAIProvider(RemoteProvider["openai.OpenAI"]):
    """Asks an OpenAI-compatible model to call one function with the response model's fields."""

    name = "openai"
    label = "OpenAI"
    DEFAULT_MODEL = DEFAULT_MODEL

    def _make_client(self) -> openai.OpenAI:
        if not self._key() and self._base_url is None:
            raise InvalidKey(NO_KEY)
        from bristlenose.llm.openai_client import QuotaAwareOpenAI

        return QuotaAwareOpenAI(api_key=self._key() or PLACEHOLDER_KEY, base_url=self._base_url,
                             max_retries=self._max_retries, timeout=self._timeout, http_client=self._http_client)

    def _send(self, request: AnalysisRequest[Any]) -> Reply:
        client = self._sdk()
        import openai

        name = tool_name(request)
        official = client.base_url.host == OPENAI_HOST
        try:
            completion = client.chat.completions.create(
                model=self.model,
                messages=[{"role": "system", "content": request.system}, {"role": "user", "content": request.user}],
                tools=[{"type": "function", "function": {
                    "name": name, "description": f"Record the complete {request.task} answer, once.",
                    "parameters": request.response_model.model_json_schema()}}],
                tool_choice={"type": "function", "function": {"name": name}},
                max_completion_tokens=self.max_tokens if official else openai.omit,
                max_tokens=openai.omit if official else self.max_tokens,
            )
        except openai.OpenAIError as exc:
            raise self._classify(exc) from None
        usage = completion.usage
        tokens_in, tokens_out = (usage.prompt_tokens, usage.completion_tokens) if usage is not None else (0, 0)
        if not completion.choices:
            return Reply(None, tokens_in, tokens_out)
        choice = completion.choices[0]
        calls = [call.function for call in choice.message.tool_calls or [] if call.type == "function"]
        arguments = json_or_none(calls[0].arguments) if calls else None
        return Reply(arguments, tokens_in, tokens_out, truncated=choice.finish_reason == "length")

    def _list_models(self) -> None:
        client = self._sdk()
        import openai

        try:
            client.models.list()
        except openai.OpenAIError as exc:
            raise self._classify(exc) from None

    def _classify(self, exc: openai.OpenAIError) -> ProviderError:
        """The :mod:`bristlenose.llm.errors` class for an SDK failure, with a short message."""
        import openai

        from bristlenose.llm.openai_client import QUOTA

        if not isinstance(exc, openai.APIStatusError):
            return self._transport_error(exc, openai.APITimeoutError, openai.APIConnectionError)
        if exc.status_code == 429 and QUOTA in (exc.code, exc.type):
            return CreditExhausted("OpenAI: API quota exhausted (insufficient_quota)")
        body = exc.body if isinstance(exc.body, dict) else {}
        return self._status_error(exc.status_code, str(body.get("message") or exc.message))
