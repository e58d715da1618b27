"""What every HTTP provider shares: the call gate, retries of malformed answers, usage.

A provider subclass only turns a request into one SDK call and the SDK's answer (or
exception) into a :class:`Reply` (or a classified :mod:`bristlenose.llm.errors` error).
The SDKs themselves retry 429/5xx/529 with backoff (``llm_max_retries``). Every answer is
journaled (:mod:`bristlenose.llm.journal`) as soon as it arrives, and an identical request is
answered from the journal with no call; the retry of a malformed answer always asks afresh.
"""

from __future__ import annotations

import json
import threading
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, SecretStr, ValidationError

from bristlenose.llm.base import AnalysisRequest, ImplausibleAnswer, ProviderError
from bristlenose.llm.errors import (
    BadRequest,
    InvalidKey,
    MalformedResponse,
    NetworkError,
    RateLimited,
    ResponseTruncated,
    RunStopper,
    ServerError,
)
from bristlenose.llm.gate import CallGate
from bristlenose.llm.journal import Answer, request_key
from bristlenose.llm.pricing import estimate_cost, estimate_tokens
from bristlenose.llm.usage import CallUsage, record

if TYPE_CHECKING:
    from bristlenose.settings import Settings

T = TypeVar("T", bound=BaseModel)
C = TypeVar("C")
P = TypeVar("P", bound="RemoteProvider[Any]")

MALFORMED_ATTEMPTS = 2
TOOL_PREFIX = "record_"
DETAIL_CHARS = 200


@dataclass(frozen=True)
class Reply:
    """One SDK answer: the forced tool's arguments, usage, and whether it hit the token limit."""

    arguments: Any
    tokens_in: int
    tokens_out: int
    truncated: bool = False
    key: str = ""
    cached: bool = False


def tool_name(request: AnalysisRequest[Any]) -> str:
    """Name of the one tool the model is forced to call (``record_quotes``)."""
    return f"{TOOL_PREFIX}{request.task}"


def json_or_none(text: str | None) -> Any:
    """The JSON value of an answer's text, or None (a malformed answer) when it is not JSON."""
    try:
        return json.loads(text or "")
    except ValueError:
        return None


class RemoteProvider(ABC, Generic[C]):
    """A provider that calls an LLM over HTTP through an SDK client of type ``C``."""

    name: str
    label: str
    DEFAULT_MODEL: str

    def __init__(self, model: str, gate: CallGate, max_tokens: int, *, api_key: SecretStr | None,
                 base_url: str | None = None, max_retries: int = 2, timeout: float = 300.0,
                 http_client: Any = None) -> None:
        self.model = model
        self.gate = gate
        self.max_tokens = max_tokens
        self._api_key = api_key
        self._base_url = base_url
        self._max_retries = max_retries
        self._timeout = timeout
        self._http_client = http_client
        self._client: C | None = None
        self._client_lock = threading.Lock()

    @classmethod
    def from_settings(cls: type[P], settings: Settings, gate: CallGate) -> P:
        """The provider the settings describe (``<name>_api_key``, ``<name>_base_url``, …);
        ``base_url`` None lets the SDK read its own environment variable."""
        return cls(settings.llm_model or cls.DEFAULT_MODEL, gate, settings.llm_max_tokens,
                   api_key=getattr(settings, f"{cls.name}_api_key"),
                   base_url=getattr(settings, f"{cls.name}_base_url") or None,
                   max_retries=settings.llm_max_retries, timeout=settings.llm_timeout)

    def _status_error(self, status: int, detail: str) -> ProviderError:
        """The error class for an HTTP status the provider did not classify itself."""
        retried = f"after {self._max_retries} retries"
        if status in (401, 403):
            return InvalidKey(f"{self.label}: API key rejected (HTTP {status})")
        if status == 429:
            return RateLimited(f"{self.label}: rate limited (HTTP 429) {retried}")
        if status == 408:
            return NetworkError(f"{self.label}: request timed out (HTTP 408) {retried}")
        if status >= 500:
            what = "overloaded" if status == 529 else "server error"
            return ServerError(f"{self.label}: {what} (HTTP {status}) {retried}")
        return BadRequest(f"{self.label}: request rejected (HTTP {status}): {self._redact(detail)[:DETAIL_CHARS]}")

    def _transport_error(self, exc: Exception, timeout_class: type, connection_class: type) -> ProviderError:
        """Errors without an HTTP status: no answer in time, no connection, anything else."""
        if isinstance(exc, timeout_class):
            return NetworkError(f"{self.label}: no answer within {self._timeout:g} s")
        if isinstance(exc, connection_class):
            return NetworkError(f"{self.label}: cannot connect to the API (to analyse without an LLM, "
                                "set llm_provider=offline)")
        return ProviderError(f"{self.label}: unexpected failure ({type(exc).__name__})")

    def _sdk(self) -> C:
        """The SDK client, made once on first use (importing an SDK takes seconds)."""
        with self._client_lock:
            if self._client is None:
                self._client = self._make_client()
            return self._client

    def _key(self) -> str:
        """The API key, or "" when none is set; an empty setting counts as none."""
        return self._api_key.get_secret_value().strip() if self._api_key is not None else ""

    def has_key(self) -> bool:
        """Whether an API key is set (an empty setting counts as none)."""
        return bool(self._key())

    def _redact(self, text: str) -> str:
        """``text`` without the API key, should a server ever echo it."""
        key = self._key()
        return text.replace(key, "***") if key else text

    def analyze(self, request: AnalysisRequest[T]) -> T:
        """Ask once; retry a malformed answer once, afresh; classify and account every call."""
        for attempt in range(1, MALFORMED_ATTEMPTS + 1):
            reply = self._metered_call(request, fresh=attempt > 1)
            if reply.truncated:
                raise ResponseTruncated(f"answer stopped at the {self.max_tokens}-token output limit")
            try:
                return request.accept(request.response_model.model_validate(reply.arguments))
            except ValidationError as exc:
                if self.gate.journal is not None:
                    self.gate.journal.discard([reply.key])
                if attempt == MALFORMED_ATTEMPTS:
                    raise MalformedResponse(f"answer did not match the {request.task} schema twice: "
                                            f"{exc.error_count()} errors") from None
            except ImplausibleAnswer as exc:
                if attempt == MALFORMED_ATTEMPTS:
                    raise MalformedResponse(f"implausible {request.task} answer twice: {exc}") from None
        raise AssertionError("unreachable")

    def request_key(self, request: AnalysisRequest[Any]) -> str:
        """The journal key of everything this provider would send for ``request``."""
        return request_key(self.name, self.model, request.task, request.system, request.user,
                           request.response_model.model_json_schema(), self.max_tokens)

    def _metered_call(self, request: AnalysisRequest[T], fresh: bool = False) -> Reply:
        key = self.request_key(request)
        journal = self.gate.journal
        answer = journal.get(key) if journal is not None and not fresh else None
        if answer is not None:
            self._account(request, "cached", 0.0, answer.tokens_in, answer.tokens_out, key, cached=True)
            return Reply(answer.arguments, answer.tokens_in, answer.tokens_out, answer.truncated, key, cached=True)
        prompt_tokens = estimate_tokens(request.system + request.user)
        with self.gate.slot():
            # checked inside the slot: a call queued behind a credit failure must not start
            self.gate.check(estimate_cost(self.name, self.model, prompt_tokens, self.max_tokens // 4))
            self.gate.calling()
            return self._accounted_send(request, key)

    def _accounted_send(self, request: AnalysisRequest[T], key: str) -> Reply:
        started = time.monotonic()
        status = "ok"
        reply = Reply(None, 0, 0, key=key)
        try:
            reply = replace(self._send(request), key=key)
            if self.gate.journal is not None and reply.arguments is not None:
                self.gate.journal.put(key, request.task, Answer(reply.arguments, reply.tokens_in, reply.tokens_out,
                                                                reply.truncated))
            return reply
        except ProviderError as exc:
            status = type(exc).__name__
            if isinstance(exc, RunStopper):
                self.gate.stop(exc)
            raise
        except Exception as exc:
            status = type(exc).__name__
            raise
        finally:
            self._account(request, status, time.monotonic() - started, reply.tokens_in, reply.tokens_out, key)

    def _account(self, request: AnalysisRequest[Any], status: str, seconds: float, tokens_in: int, tokens_out: int,
                 key: str, cached: bool = False) -> None:
        """Count one call (or one answer served from the journal, which costs nothing) and log it."""
        cost = 0.0 if cached else estimate_cost(self.name, self.model, tokens_in, tokens_out)
        usage = CallUsage(provider=self.name, model=self.model, task=request.task, session_id=request.session_id,
                          tokens_in=tokens_in, tokens_out=tokens_out, cost_usd=cost, status=status,
                          seconds=round(seconds, 3), cached=cached, key=key)
        self.gate.account(usage)
        record(usage)

    def check_key(self) -> None:
        """One cheap authenticated call (list the models) that spends no tokens: returns when the
        API accepts the key, raises the classified error (:class:`InvalidKey`, :class:`NetworkError`, …)
        when not. Not metered: it is no analysis call."""
        self._list_models()

    @abstractmethod
    def _list_models(self) -> None:
        """``client.models.list()`` through the SDK, its failure classified like :meth:`_send`'s."""

    @abstractmethod
    def _make_client(self) -> C:
        """Import the SDK and build its client; raise :class:`InvalidKey` when no key is usable."""

    @abstractmethod
    def _send(self, request: AnalysisRequest[Any]) -> Reply:
        """One SDK call forcing the tool :func:`tool_name` with the response model's schema."""
