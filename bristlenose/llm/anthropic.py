"""Claude through Anthropic's Messages API.

The answer's shape is enforced with structured outputs (``output_config.format`` holding the
response model's JSON schema), not by forcing a tool: current Claude models (Sonnet 5.5 and
later) think by default and reject a forced ``tool_choice`` with HTTP 400, while JSON outputs
work on every Claude model from 4.5 on. The SDK is imported on the first call (it takes about
two seconds), so ``doit list`` and the offline provider never pay for it. Without an API key
the provider is still built (its name and model are provenance); the first call raises
:class:`InvalidKey`, which stops the run's further calls through the gate.
"""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from bristlenose.llm.base import AnalysisRequest, ProviderError
from bristlenose.llm.errors import BadRequest, CreditExhausted, InvalidKey, NetworkError, RateLimited, ServerError
from bristlenose.llm.gate import CallGate
from bristlenose.llm.remote import RemoteProvider, Reply

if TYPE_CHECKING:
    import anthropic
    import httpx2

    from bristlenose.settings import Settings

DEFAULT_MODEL = "claude-sonnet-5-5"
NO_KEY = "Anthropic: no API key: set ANTHROPIC_API_KEY (or BRISTLENOSE_ANTHROPIC_API_KEY)"
CREDIT_TOO_LOW = "credit balance is too low"
TRUNCATED_STOPS = frozenset({"max_tokens", "model_context_window_exceeded"})
DETAIL_CHARS = 200


class AnthropicProvider(RemoteProvider):
    """Asks Claude for JSON matching the request's response model."""

    name = "anthropic"

    def __init__(self, model: str, gate: CallGate, max_tokens: int, *, api_key: SecretStr | None,
                 base_url: str | None = None, max_retries: int = 2, timeout: float = 300.0,
                 http_client: httpx2.Client | None = None) -> None:
        super().__init__(model, gate, max_tokens)
        self._api_key = api_key
        self._base_url = base_url
        self._max_retries = max_retries
        self._timeout = timeout
        self._http_client = http_client
        self._client: anthropic.Anthropic | None = None
        self._client_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, gate: CallGate) -> AnthropicProvider:
        """The provider the settings describe; ``base_url`` None lets the SDK read ANTHROPIC_BASE_URL."""
        return cls(settings.llm_model or DEFAULT_MODEL, gate, settings.llm_max_tokens,
                   api_key=settings.anthropic_api_key, base_url=settings.anthropic_base_url or None,
                   max_retries=settings.llm_max_retries, timeout=settings.llm_timeout)

    def _sdk(self) -> anthropic.Anthropic:
        """The SDK client, made once on first use; the key is passed explicitly so the SDK never
        falls back to credentials of its own (profiles, other environment variables)."""
        with self._client_lock:
            if self._client is None:
                if not self._key():
                    raise InvalidKey(NO_KEY)
                import anthropic

                self._client = anthropic.Anthropic(api_key=self._key(), base_url=self._base_url,
                                                   max_retries=self._max_retries, timeout=self._timeout,
                                                   http_client=self._http_client)
            return self._client

    def _send(self, request: AnalysisRequest[Any]) -> Reply:
        client = self._sdk()
        import anthropic

        schema = anthropic.transform_schema(request.response_model)
        try:
            message = client.messages.create(
                model=self.model, max_tokens=self.max_tokens, system=request.system,
                messages=[{"role": "user", "content": request.user}],
                output_config={"format": {"type": "json_schema", "schema": schema}},
            )
        except anthropic.AnthropicError as exc:
            raise self._classify(exc) from None
        text = "".join(block.text for block in message.content if block.type == "text")
        return Reply(_json_or_none(text), message.usage.input_tokens, message.usage.output_tokens,
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

    def _key(self) -> str:
        """The API key, or "" when none is set; an empty setting counts as none."""
        return self._api_key.get_secret_value().strip() if self._api_key is not None else ""

    def _redact(self, text: str) -> str:
        """``text`` without the API key, should a server ever echo it."""
        key = self._key()
        return text.replace(key, "***") if key else text


def _json_or_none(text: str) -> Any:
    """The JSON value of ``text``, or None (a malformed answer) when it is not JSON."""
    try:
        return json.loads(text)
    except ValueError:
        return None
