"""The Anthropic Messages and OpenAI Chat Completions wire formats, as the real SDKs expect them.

Each protocol reads a request that forces the answer's shape, writes the answer (or its
truncated start) and writes the provider's own error bodies and status codes, so the SDKs
raise the same exception classes they raise against the real APIs. The shape is forced by a
tool call named ``record_<task>`` (both APIs) or, for Anthropic, by structured outputs
(``output_config.format`` with a JSON schema whose one property is the task). Retryable errors carry
``retry-after-ms: 1``: both SDKs ignore ``retry-after: 0`` and would back off for 0.5 s and
more, which makes tests slow.
"""

from __future__ import annotations

import time
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

CREDIT_MESSAGE = ("Your credit balance is too low to access the Anthropic API. "
                  "Please go to Plans & Billing to upgrade or purchase credits.")
QUOTA_MESSAGE = "You exceeded your current quota, please check your plan and billing details."
_BAD_KEY = "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys."
TOOL_PREFIX = "record_"
RETRYABLE = frozenset({"rate_limit", "overloaded", "server_error"})
_RETRY_NOW = {"retry-after": "0", "retry-after-ms": "1"}
_NO_RETRY = {"x-should-retry": "false"}


class InvalidRequest(Exception):
    """A request the real API would refuse with HTTP 400 (missing field, no forced answer shape)."""


@dataclass(frozen=True)
class Request:
    """What the fake needs of a request: the prompt, the task asked and how, and the output limit.

    ``tool`` is the forced tool's name, or None when the answer is asked for as JSON text.
    """

    model: str
    system: str
    user: str
    task: str
    tool: str | None
    max_tokens: int | None


@dataclass(frozen=True)
class Response:
    """An HTTP answer: status, JSON body and extra headers."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def _id(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:24]}"


def _text(content: Any) -> str:
    """A message's text, whether a plain string or a list of text blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(block.get("text", "") for block in content if isinstance(block, dict))
    return ""


def _object(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one: missing and malformed read alike."""
    return value if isinstance(value, dict) else {}


def _forced_tool(name: Any, tools: set[Any]) -> str:
    """The tool ``tool_choice`` forces, which must be one of ``tools``."""
    if not isinstance(name, str) or name not in tools:
        raise InvalidRequest("tool_choice: the fake model only answers a forced call of one of `tools`, "
                             "or (Anthropic) output_config.format of type json_schema")
    return name


def _schema_task(schema: dict[str, Any]) -> str:
    """The task a response schema asks for: its one required property (``quotes``)."""
    required = schema.get("required")
    if not isinstance(required, list) or len(required) != 1 or not isinstance(required[0], str):
        raise InvalidRequest("output_config.format.schema: the fake model needs exactly one required property")
    return required[0]


def _field(body: dict[str, Any], name: str, kind: type) -> Any:
    value = body.get(name)
    if not isinstance(value, kind):
        raise InvalidRequest(f"{name}: Field required")
    return value


class Protocol(ABC):
    """One provider's API at one path."""

    endpoint: str
    path: str

    @abstractmethod
    def read(self, body: Any) -> Request:
        """The request's parts; raises :class:`InvalidRequest` where the real API would answer 400."""

    @abstractmethod
    def answer(self, request: Request, arguments: dict[str, Any], json_text: str, truncated: bool,
               tokens_in: int, tokens_out: int) -> Response:
        """The answer ``arguments`` (``json_text`` is their JSON) in the shape asked for, or its cut-off start."""

    @abstractmethod
    def models(self, names: tuple[str, ...]) -> Response:
        """The answer to ``GET /v1/models``: one page listing ``names``."""

    @abstractmethod
    def error(self, kind: str, message: str = "") -> Response:
        """The error ``kind`` (``credit``, ``auth``, ``bad_request`` or one of :data:`RETRYABLE`)."""


class Anthropic(Protocol):
    """``POST /v1/messages`` with ``tool_choice: {"type": "tool"}`` or ``output_config.format``."""

    endpoint = "anthropic"
    path = "/v1/messages"
    _errors: ClassVar[dict[str, tuple[int, str, str]]] = {
        "credit": (400, "invalid_request_error", CREDIT_MESSAGE),
        "auth": (401, "authentication_error", "invalid x-api-key"),
        "rate_limit": (429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit."),
        "overloaded": (529, "overloaded_error", "Overloaded"),
        "server_error": (500, "api_error", "Internal server error"),
        "bad_request": (400, "invalid_request_error", ""),
    }

    def read(self, body: Any) -> Request:
        if not isinstance(body, dict):
            raise InvalidRequest("request body must be a JSON object")
        model = _field(body, "model", str)
        max_tokens = _field(body, "max_tokens", int)
        messages = _field(body, "messages", list)
        output = _object(_object(body.get("output_config")).get("format"))
        tool: str | None = None
        if output.get("type") == "json_schema":
            task = _schema_task(_object(output.get("schema")))
        else:
            choice = _object(body.get("tool_choice"))
            tool = _forced_tool(choice.get("name") if choice.get("type") == "tool" else None,
                                {_object(t).get("name") for t in body.get("tools") or []})
            task = tool.removeprefix(TOOL_PREFIX)
        user = "\n".join(_text(m.get("content")) for m in map(_object, messages) if m.get("role") == "user")
        return Request(model=model, system=_text(body.get("system")), user=user, task=task, tool=tool,
                       max_tokens=max_tokens)

    def answer(self, request: Request, arguments: dict[str, Any], json_text: str, truncated: bool,
               tokens_in: int, tokens_out: int) -> Response:
        """A ``tool_use`` block (input ``{}`` when truncated) or a ``text`` block of JSON (cut off)."""
        if request.tool is None:
            block: dict[str, Any] = {"type": "text", "text": _cut(json_text) if truncated else json_text}
            stop = "max_tokens" if truncated else "end_turn"
        else:
            block = {"type": "tool_use", "id": _id("toolu_"), "name": request.tool,
                     "input": {} if truncated else arguments}
            stop = "max_tokens" if truncated else "tool_use"
        return Response(200, {
            "id": _id("msg_"), "type": "message", "role": "assistant", "model": request.model, "content": [block],
            "stop_reason": stop, "stop_sequence": None,
            "usage": {"input_tokens": tokens_in, "output_tokens": tokens_out},
        }, {"request-id": _id("req_")})

    def models(self, names: tuple[str, ...]) -> Response:
        data = [{"type": "model", "id": name, "display_name": name, "created_at": "2025-01-01T00:00:00Z"}
                for name in names]
        return Response(200, {"data": data, "has_more": False, "first_id": names[0] if names else None,
                              "last_id": names[-1] if names else None}, {"request-id": _id("req_")})

    def error(self, kind: str, message: str = "") -> Response:
        status, error_type, default = self._errors[kind]
        request_id = _id("req_")
        body = {"type": "error", "error": {"type": error_type, "message": message or default}, "request_id": request_id}
        return Response(status, body, {"request-id": request_id, **_extra_headers(kind)})


class OpenAI(Protocol):
    """``POST /v1/chat/completions`` with ``tool_choice: {"type": "function"}``."""

    endpoint = "openai"
    path = "/v1/chat/completions"
    _errors: ClassVar[dict[str, tuple[int, str, str | None, str]]] = {
        "credit": (429, "insufficient_quota", "insufficient_quota", QUOTA_MESSAGE),
        "auth": (401, "invalid_request_error", "invalid_api_key", _BAD_KEY),
        "rate_limit": (429, "requests", "rate_limit_exceeded", "Rate limit reached for requests per min (RPM)."),
        "overloaded": (503, "server_error", None, "The engine is currently overloaded, please try again later."),
        "server_error": (500, "server_error", None,
                         "The server had an error while processing your request. Sorry about that!"),
        "bad_request": (400, "invalid_request_error", None, ""),
    }

    def read(self, body: Any) -> Request:
        if not isinstance(body, dict):
            raise InvalidRequest("request body must be a JSON object")
        model = _field(body, "model", str)
        messages = [_object(m) for m in _field(body, "messages", list)]
        choice = _object(body.get("tool_choice"))
        tool = _forced_tool(_object(choice.get("function")).get("name") if choice.get("type") == "function" else None,
                            {_object(_object(t).get("function")).get("name") for t in body.get("tools") or []})
        limit = body.get("max_completion_tokens", body.get("max_tokens"))
        return Request(
            model=model,
            system="\n".join(_text(m.get("content")) for m in messages if m.get("role") in ("system", "developer")),
            user="\n".join(_text(m.get("content")) for m in messages if m.get("role") == "user"),
            task=tool.removeprefix(TOOL_PREFIX),
            tool=tool,
            max_tokens=limit if isinstance(limit, int) else None,
        )

    def answer(self, request: Request, arguments: dict[str, Any], json_text: str, truncated: bool,
               tokens_in: int, tokens_out: int) -> Response:
        text = _cut(json_text) if truncated else json_text
        call = {"id": _id("call_"), "type": "function", "function": {"name": request.tool or "", "arguments": text}}
        return Response(200, {
            "id": _id("chatcmpl-"), "object": "chat.completion", "created": int(time.time()), "model": request.model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": None, "tool_calls": [call]},
                         "finish_reason": "length" if truncated else "tool_calls", "logprobs": None}],
            "usage": {"prompt_tokens": tokens_in, "completion_tokens": tokens_out,
                      "total_tokens": tokens_in + tokens_out},
        }, {"x-request-id": _id("req_")})

    def models(self, names: tuple[str, ...]) -> Response:
        data = [{"id": name, "object": "model", "created": 1735689600, "owned_by": "fake"} for name in names]
        return Response(200, {"object": "list", "data": data}, {"x-request-id": _id("req_")})

    def error(self, kind: str, message: str = "") -> Response:
        status, error_type, code, default = self._errors[kind]
        body = {"error": {"message": message or default, "type": error_type, "param": None, "code": code}}
        # the real API sends no x-should-retry with insufficient_quota: the SDK would retry it
        headers = {} if kind == "credit" else _extra_headers(kind)
        return Response(status, body, {"x-request-id": _id("req_"), **headers})


def _cut(json_text: str) -> str:
    """The first half of an answer: what was written when the token limit struck."""
    return json_text[:len(json_text) // 2]


def _extra_headers(kind: str) -> dict[str, str]:
    """Retry at once where the SDK retries; tell it not to retry a lack of credit."""
    if kind in RETRYABLE:
        return dict(_RETRY_NOW)
    return dict(_NO_RETRY) if kind == "credit" else {}


PROTOCOLS: dict[str, Protocol] = {p.path: p for p in (Anthropic(), OpenAI())}
MODELS_PATH = "/v1/models"
"""Both APIs list models at the same path; Anthropic's SDK is told apart by its ``anthropic-version`` header."""
MODELS_TASK = "models"
"""The task name a ``GET /v1/models`` call is recorded (and injected) under."""
