"""OpenAI's Chat Completions API, and any server that speaks it (Ollama, llama.cpp, vLLM, …).

The answer's shape is enforced by forcing one function call whose parameters are the response
model's JSON schema: the one mechanism OpenAI-compatible local servers share. Point
``openai_base_url`` at such a server (``http://localhost:11434/v1`` for Ollama); it needs no
API key, so none is required when a base URL is set (the SDK is sent a placeholder). Models
without a known price (local ones) cost 0.0 in the budget. OpenAI's own API gets
``max_completion_tokens`` (its reasoning models reject ``max_tokens``); other servers get
``max_tokens``, the parameter they all understand. The SDK is imported on the first call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bristlenose.llm.base import AnalysisRequest, ProviderError
from bristlenose.llm.errors import BadRequest, CreditExhausted, InvalidKey, NetworkError, RateLimited, ServerError
from bristlenose.llm.gate import CallGate
from bristlenose.llm.remote import RemoteProvider, Reply, json_or_none, tool_name

if TYPE_CHECKING:
    import openai

    from bristlenose.settings import Settings

DEFAULT_MODEL = "gpt-5.4-mini"
OPENAI_HOST = "api.openai.com"
NO_KEY = "OpenAI: no API key: set OPENAI_API_KEY (or BRISTLENOSE_OPENAI_API_KEY)"
PLACEHOLDER_KEY = "not-needed"
QUOTA = "insufficient_quota"
DETAIL_CHARS = 200


class OpenAIProvider(RemoteProvider["openai.OpenAI"]):
    """Asks an OpenAI-compatible model to call one function with the response model's fields."""

    name = "openai"


    @classmethod
    def from_settings(cls, settings: Settings, gate: CallGate) -> OpenAIProvider:
        """The provider the settings describe; ``base_url`` None lets the SDK read OPENAI_BASE_URL."""
        return cls(settings.llm_model or DEFAULT_MODEL, gate, settings.llm_max_tokens,
                   api_key=settings.openai_api_key, base_url=settings.openai_base_url or None,
                   max_retries=settings.llm_max_retries, timeout=settings.llm_timeout)

    def _make_client(self) -> openai.OpenAI:
        if not self._key() and self._base_url is None:
            raise InvalidKey(NO_KEY)
        import openai

        return openai.OpenAI(api_key=self._key() or PLACEHOLDER_KEY, base_url=self._base_url,
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

    def _classify(self, exc: openai.OpenAIError) -> ProviderError:
        """The :mod:`bristlenose.llm.errors` class for an SDK failure, with a short message."""
        import openai

        if isinstance(exc, openai.APITimeoutError):
            return NetworkError(f"OpenAI: no answer within {self._timeout:g} s")
        if isinstance(exc, openai.APIConnectionError):
            return NetworkError("OpenAI: cannot connect to the API")
        if not isinstance(exc, openai.APIStatusError):
            return ProviderError(f"OpenAI: unexpected failure ({type(exc).__name__})")
        status = exc.status_code
        body = exc.body if isinstance(exc.body, dict) else {}
        detail = self._redact(str(body.get("message") or exc.message))
        if status == 429 and QUOTA in (exc.code, exc.type):
            return CreditExhausted("OpenAI: API quota exhausted (insufficient_quota)")
        if status in (401, 403):
            return InvalidKey(f"OpenAI: API key rejected (HTTP {status})")
        if status == 429:
            return RateLimited(f"OpenAI: rate limited (HTTP 429) after {self._max_retries} retries")
        if status == 408:
            return NetworkError(f"OpenAI: request timed out (HTTP 408) after {self._max_retries} retries")
        if status >= 500:
            return ServerError(f"OpenAI: server error (HTTP {status}) after {self._max_retries} retries")
        return BadRequest(f"OpenAI: request rejected (HTTP {status}): {detail[:DETAIL_CHARS]}")


