"""The Anthropic and OpenAI providers: the real SDKs over canned HTTP answers (no network).

Each SDK gets an ``httpx2.Client`` whose ``MockTransport`` plays the API's side, so request
building, SDK parsing, error classes and retries are the SDKs' own.
"""

from __future__ import annotations

import json
import logging
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import pytest
from pydantic import BaseModel, Field, SecretStr

from bristlenose.llm import get_provider
from bristlenose.llm.anthropic import DEFAULT_MODEL as ANTHROPIC_DEFAULT
from bristlenose.llm.anthropic import AnthropicProvider
from bristlenose.llm.base import AnalysisRequest, ProviderError
from bristlenose.llm.errors import (
    BadRequest,
    BudgetExceeded,
    CreditExhausted,
    InvalidKey,
    MalformedResponse,
    NetworkError,
    RateLimited,
    ResponseTruncated,
    ServerError,
)
from bristlenose.llm.gate import CallGate
from bristlenose.llm.openai import DEFAULT_MODEL as OPENAI_DEFAULT
from bristlenose.llm.openai import OpenAIProvider
from bristlenose.llm.pricing import estimate_cost, estimate_tokens, price_known
from bristlenose.llm.remote import RemoteProvider
from bristlenose.llm.usage import metered
from bristlenose.settings import Settings

KEY = "sk-test-0123456789-THIS-KEY-MUST-NOT-LEAK"
SECRET = SecretStr(KEY)
SYSTEM = "You are a careful researcher."
TRANSCRIPT = "p1: I could not find the SECRET-TRANSCRIPT-WORDS button anywhere"
ANSWER = {"findings": [{"label": "Checkout", "count": 2}]}


class Finding(BaseModel):
    label: str = Field(min_length=1)
    count: int = Field(ge=0)


class Findings(BaseModel):
    findings: list[Finding]


REQUEST = AnalysisRequest(task="findings", system=SYSTEM, user=TRANSCRIPT, response_model=Findings,
                          context=Findings(findings=[]), session_id="s1")

Reply = Callable[[httpx2.Request], httpx2.Response]


@dataclass
class Api:
    """The far side of the wire: answers each request with the next canned reply, keeping the requests."""

    replies: list[Reply]
    requests: list[httpx2.Request] = field(default_factory=list)

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        return self.replies.pop(0)(request)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.requests]


def respond(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Reply:
    return lambda request: httpx2.Response(status, json=body, headers=headers)


def fail(error: type[Exception]) -> Reply:
    def raise_(request: httpx2.Request) -> httpx2.Response:
        raise error("canned failure", request=request)
    return raise_


class Wire:
    """How one API answers; both providers' tests share the scenarios."""

    name: str
    model: str

    def provider(self, api: Api, gate: CallGate, *, model: str | None = None, max_retries: int = 0,
                 api_key: SecretStr | None = SECRET, base_url: str | None = None) -> RemoteProvider:
        raise NotImplementedError

    def answer(self, arguments: Any, *, truncated: bool = False) -> Reply:
        raise NotImplementedError

    def error(self, status: int, message: str, kind: str = "invalid_request_error", code: str | None = None) -> Reply:
        raise NotImplementedError


class AnthropicWire(Wire):
    name = "anthropic"
    model = "claude-sonnet-4-6"

    def provider(self, api: Api, gate: CallGate, *, model: str | None = None, max_retries: int = 0,
                 api_key: SecretStr | None = SECRET, base_url: str | None = None) -> RemoteProvider:
        return AnthropicProvider(model or self.model, gate, 1024, api_key=api_key,
                                 base_url=base_url or "http://anthropic.test", max_retries=max_retries, timeout=5,
                                 http_client=httpx2.Client(transport=httpx2.MockTransport(api)))

    def answer(self, arguments: Any, *, truncated: bool = False) -> Reply:
        tool_input = {"unparsed": arguments} if isinstance(arguments, str) else arguments
        return respond(200, {
            "id": "msg_1", "type": "message", "role": "assistant", "model": self.model,
            "content": [{"type": "tool_use", "id": "toolu_1", "name": "record_findings",
                         "input": {} if truncated else tool_input}],
            "stop_reason": "max_tokens" if truncated else "tool_use", "stop_sequence": None,
            "usage": {"input_tokens": 1200, "output_tokens": 300},
        })

    def error(self, status: int, message: str, kind: str = "invalid_request_error", code: str | None = None) -> Reply:
        return respond(status, {"type": "error", "error": {"type": kind, "message": message}})


class OpenAIWire(Wire):
    name = "openai"
    model = "gpt-5.4-mini"

    def provider(self, api: Api, gate: CallGate, *, model: str | None = None, max_retries: int = 0,
                 api_key: SecretStr | None = SECRET, base_url: str | None = None) -> RemoteProvider:
        return OpenAIProvider(model or self.model, gate, 1024, api_key=api_key,
                              base_url=base_url or "https://api.openai.com/v1", max_retries=max_retries, timeout=5,
                              http_client=httpx2.Client(transport=httpx2.MockTransport(api)))

    def answer(self, arguments: Any, *, truncated: bool = False) -> Reply:
        text = arguments if isinstance(arguments, str) else json.dumps(arguments)
        call = {"id": "call_1", "type": "function", "function": {"name": "record_findings", "arguments": text}}
        return respond(200, {
            "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": self.model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": None, "tool_calls": [call]},
                         "finish_reason": "length" if truncated else "stop"}],
            "usage": {"prompt_tokens": 1200, "completion_tokens": 300, "total_tokens": 1500},
        })

    def error(self, status: int, message: str, kind: str = "invalid_request_error", code: str | None = None) -> Reply:
        return respond(status, {"error": {"message": message, "type": kind, "param": None, "code": code}})


WIRES = [AnthropicWire(), OpenAIWire()]


@pytest.fixture(params=WIRES, ids=lambda wire: wire.name)
def wire(request: pytest.FixtureRequest) -> Wire:
    return request.param


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "llm-calls.jsonl"


def gate_for(log_path: Path, max_cost_usd: float | None = None) -> CallGate:
    return CallGate(4, max_cost_usd, log_path=log_path)


def logged(log_path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log_path.read_text().splitlines()]


def test_answer_is_parsed_metered_and_logged_without_text(wire: Wire, log_path: Path) -> None:
    api = Api([wire.answer(ANSWER)])
    provider = wire.provider(api, gate_for(log_path))
    with metered() as meter:
        result = provider.analyze(REQUEST)
    assert result == Findings.model_validate(ANSWER)
    assert [(c.tokens_in, c.tokens_out, c.status, c.session_id) for c in meter.calls] == [(1200, 300, "ok", "s1")]
    assert meter.cost_usd == pytest.approx(estimate_cost(wire.name, wire.model, 1200, 300)) and meter.cost_usd > 0
    [line] = logged(log_path)
    assert line["provider"] == wire.name and line["model"] == wire.model and line["task"] == "findings"
    assert (line["tokens_in"], line["tokens_out"], line["status"]) == (1200, 300, "ok")
    text = log_path.read_text()
    assert "SECRET-TRANSCRIPT-WORDS" not in text and SYSTEM not in text and KEY not in text
    assert stat.S_IMODE(log_path.stat().st_mode) == 0o600


def test_anthropic_request_forces_one_tool_with_the_schema(log_path: Path) -> None:
    api = Api([AnthropicWire().answer(ANSWER)])
    AnthropicWire().provider(api, gate_for(log_path)).analyze(REQUEST)
    [body] = api.bodies()
    assert body["model"] == "claude-sonnet-4-6" and body["max_tokens"] == 1024
    assert body["system"] == SYSTEM
    assert body["messages"] == [{"role": "user", "content": TRANSCRIPT}]
    [tool] = body["tools"]
    assert tool["name"] == "record_findings" and tool["input_schema"] == Findings.model_json_schema()
    assert body["tool_choice"] == {"type": "tool", "name": "record_findings"}
    assert api.requests[0].headers["authorization"] == f"Bearer {KEY}"  # anthropic 2.x sends the key as a bearer token


def test_openai_request_forces_the_function_with_the_schema(log_path: Path) -> None:
    api = Api([OpenAIWire().answer(ANSWER)])
    OpenAIWire().provider(api, gate_for(log_path)).analyze(REQUEST)
    [body] = api.bodies()
    assert body["model"] == "gpt-5.4-mini"
    assert body["messages"] == [{"role": "system", "content": SYSTEM}, {"role": "user", "content": TRANSCRIPT}]
    [tool] = body["tools"]
    assert tool["type"] == "function" and tool["function"]["name"] == "record_findings"
    assert tool["function"]["parameters"] == Findings.model_json_schema()
    assert body["tool_choice"] == {"type": "function", "function": {"name": "record_findings"}}
    assert body["max_completion_tokens"] == 1024 and "max_tokens" not in body
    assert api.requests[0].headers["authorization"] == f"Bearer {KEY}"


def test_openai_compatible_local_server_needs_no_key_and_gets_max_tokens(log_path: Path) -> None:
    api = Api([OpenAIWire().answer(ANSWER)])
    provider = OpenAIWire().provider(api, gate_for(log_path, max_cost_usd=0.000001), model="llama3.1:8b",
                                     api_key=None, base_url="http://localhost:11434/v1")
    with metered() as meter:
        assert provider.analyze(REQUEST) == Findings.model_validate(ANSWER)
    [body] = api.bodies()
    assert body["max_tokens"] == 1024 and "max_completion_tokens" not in body
    assert str(api.requests[0].url) == "http://localhost:11434/v1/chat/completions"
    assert meter.cost_usd == 0.0 and not price_known("openai", "llama3.1:8b")


def test_truncated_answer_raises_response_truncated(wire: Wire, log_path: Path) -> None:
    api = Api([wire.answer('{"findings": [{"label": "Chec', truncated=True)])
    with pytest.raises(ResponseTruncated):
        wire.provider(api, gate_for(log_path)).analyze(REQUEST)
    assert len(api.requests) == 1


@pytest.mark.parametrize("bad", ["not json at all", {"findings": [{"label": "", "count": -1}]}, {"other": 1}])
def test_malformed_twice_fails_the_call(wire: Wire, log_path: Path, bad: Any) -> None:
    api = Api([wire.answer(bad), wire.answer(bad)])
    with metered() as meter, pytest.raises(MalformedResponse):
        wire.provider(api, gate_for(log_path)).analyze(REQUEST)
    assert len(api.requests) == 2 and len(meter.calls) == 2 and len(logged(log_path)) == 2


def test_malformed_once_then_good_succeeds_with_two_calls(wire: Wire, log_path: Path) -> None:
    api = Api([wire.answer("{}"), wire.answer(ANSWER)])
    with metered() as meter:
        assert wire.provider(api, gate_for(log_path)).analyze(REQUEST) == Findings.model_validate(ANSWER)
    assert len(api.requests) == 2 and [c.status for c in meter.calls] == ["ok", "ok"]
    assert meter.tokens_in == 2400


def test_missing_tool_call_is_malformed(log_path: Path) -> None:
    wire = OpenAIWire()
    no_call = respond(200, {"id": "c", "object": "chat.completion", "created": 0, "model": wire.model,
                            "choices": [{"index": 0, "finish_reason": "stop",
                                         "message": {"role": "assistant", "content": "Here you go: ..."}}]})
    with pytest.raises(MalformedResponse):
        wire.provider(Api([no_call, no_call]), gate_for(log_path)).analyze(REQUEST)


CREDIT_LOW = ("Your credit balance is too low to access the Anthropic API. "
              "Please go to Plans & Billing to upgrade or purchase credits.")

ANTHROPIC_ERRORS = [
    (AnthropicWire().error(400, CREDIT_LOW), CreditExhausted, "Anthropic: API credit balance too low"),
    (AnthropicWire().error(402, "Payment required", "billing_error"), CreditExhausted, "credit balance too low"),
    (AnthropicWire().error(400, "prompt is too long: 1200000 tokens > 1000000 maximum"), BadRequest, "prompt is too long"),
    (AnthropicWire().error(404, "model: claude-nonexistent", "not_found_error"), BadRequest, "HTTP 404"),
    (AnthropicWire().error(413, "Request exceeds the maximum allowed size", "request_too_large"), BadRequest, "HTTP 413"),
    (AnthropicWire().error(422, "invalid schema"), BadRequest, "HTTP 422"),
    (AnthropicWire().error(401, "invalid x-api-key", "authentication_error"), InvalidKey, "API key rejected"),
    (AnthropicWire().error(403, "forbidden", "permission_error"), InvalidKey, "HTTP 403"),
    (AnthropicWire().error(429, "rate limited", "rate_limit_error"), RateLimited, "HTTP 429"),
    (AnthropicWire().error(500, "internal", "api_error"), ServerError, "HTTP 500"),
    (AnthropicWire().error(529, "Overloaded", "overloaded_error"), ServerError, "overloaded (HTTP 529)"),
    (fail(httpx2.ConnectError), NetworkError, "cannot connect"),
    (fail(httpx2.ReadTimeout), NetworkError, "no answer within"),
]

OPENAI_ERRORS = [
    (OpenAIWire().error(429, "You exceeded your current quota", "insufficient_quota", "insufficient_quota"),
     CreditExhausted, "quota exhausted"),
    (OpenAIWire().error(429, "Rate limit reached", "requests", "rate_limit_exceeded"), RateLimited, "HTTP 429"),
    (OpenAIWire().error(401, f"Incorrect API key provided: {KEY}.", code="invalid_api_key"), InvalidKey, "HTTP 401"),
    (OpenAIWire().error(403, "Project does not have access"), InvalidKey, "HTTP 403"),
    (OpenAIWire().error(400, f"Invalid schema (key {KEY})"), BadRequest, "Invalid schema"),
    (OpenAIWire().error(404, "The model does not exist", code="model_not_found"), BadRequest, "HTTP 404"),
    (OpenAIWire().error(422, "Unprocessable"), BadRequest, "HTTP 422"),
    (OpenAIWire().error(500, "The server had an error", "server_error"), ServerError, "HTTP 500"),
    (OpenAIWire().error(503, "Overloaded", "server_error"), ServerError, "HTTP 503"),
    (fail(httpx2.ConnectError), NetworkError, "cannot connect"),
    (fail(httpx2.ReadTimeout), NetworkError, "no answer within"),
]

ERROR_CASES = ([pytest.param(AnthropicWire(), *case, id=f"anthropic-{case[1].__name__}-{i}")
                for i, case in enumerate(ANTHROPIC_ERRORS)]
               + [pytest.param(OpenAIWire(), *case, id=f"openai-{case[1].__name__}-{i}")
                  for i, case in enumerate(OPENAI_ERRORS)])


@pytest.mark.parametrize(("wire", "reply", "error", "says"), ERROR_CASES)
def test_failures_are_classified_without_the_key(wire: Wire, reply: Reply, error: type[ProviderError], says: str,
                                                 log_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    api = Api([reply])
    with metered() as meter, pytest.raises(ProviderError) as caught:
        wire.provider(api, gate_for(log_path)).analyze(REQUEST)
    assert type(caught.value) is error
    assert says in str(caught.value)
    assert KEY not in str(caught.value) and KEY not in repr(caught.value)
    assert [c.status for c in meter.calls] == [error.__name__]
    assert KEY not in log_path.read_text() and KEY not in caplog.text
    assert len(api.requests) == 1


@pytest.mark.parametrize(("wire", "reply"), [(AnthropicWire(), ANTHROPIC_ERRORS[0][0]),
                                             (OpenAIWire(), OPENAI_ERRORS[0][0])], ids=["anthropic", "openai"])
def test_after_credit_exhausted_the_gate_sends_nothing(wire: Wire, reply: Reply, log_path: Path) -> None:
    api = Api([reply, wire.answer(ANSWER)])
    provider = wire.provider(api, gate_for(log_path))
    with pytest.raises(CreditExhausted):
        provider.analyze(REQUEST)
    with pytest.raises(CreditExhausted, match="not started"):
        provider.analyze(REQUEST)
    assert len(api.requests) == 1


def test_budget_refuses_a_call_whose_estimate_would_pass_it(wire: Wire, log_path: Path) -> None:
    expected = estimate_cost(wire.name, wire.model, estimate_tokens(SYSTEM + TRANSCRIPT), 1024 // 4)
    api = Api([wire.answer(ANSWER)])
    with pytest.raises(BudgetExceeded):
        wire.provider(api, gate_for(log_path, max_cost_usd=expected * 0.9)).analyze(REQUEST)
    assert api.requests == []


def test_budget_counts_what_was_spent(wire: Wire, log_path: Path) -> None:
    spent = estimate_cost(wire.name, wire.model, 1200, 300)
    next_call = estimate_cost(wire.name, wire.model, estimate_tokens(SYSTEM + TRANSCRIPT), 1024 // 4)
    api = Api([wire.answer(ANSWER), wire.answer(ANSWER)])
    provider = wire.provider(api, gate_for(log_path, max_cost_usd=spent + next_call / 2))
    provider.analyze(REQUEST)
    with pytest.raises(BudgetExceeded):
        provider.analyze(REQUEST)
    assert len(api.requests) == 1


def test_sdk_retries_transient_failures(wire: Wire, log_path: Path) -> None:
    busy = respond(529 if wire.name == "anthropic" else 503, {"error": {"message": "busy"}}, {"retry-after-ms": "1"})
    api = Api([busy, wire.answer(ANSWER)])
    with metered() as meter:
        assert wire.provider(api, gate_for(log_path), max_retries=1).analyze(REQUEST) == Findings.model_validate(ANSWER)
    assert len(api.requests) == 2 and len(meter.calls) == 1


@pytest.mark.parametrize(("make", "variable"), [
    (lambda gate: AnthropicProvider("claude-sonnet-5-5", gate, 1024, api_key=None), "ANTHROPIC_API_KEY"),
    (lambda gate: OpenAIProvider("gpt-5.4-mini", gate, 1024, api_key=SecretStr("  ")), "OPENAI_API_KEY"),
], ids=["anthropic", "openai"])
def test_missing_key_fails_the_first_call_and_stops_the_run(make: Callable[[CallGate], RemoteProvider], variable: str,
                                                            log_path: Path) -> None:
    provider = make(gate_for(log_path))
    with pytest.raises(InvalidKey, match=f"no API key: set {variable} \\(or BRISTLENOSE_{variable}\\)"):
        provider.analyze(REQUEST)
    with pytest.raises(InvalidKey, match="not started"):
        provider.analyze(REQUEST)
    assert [line["status"] for line in logged(log_path)] == ["InvalidKey"]


def test_registry_builds_providers_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_BASE_URL", "OPENAI_BASE_URL"):
        monkeypatch.delenv(variable, raising=False)
    settings = Settings(input=tmp_path, llm_provider="anthropic", anthropic_api_key=KEY, max_cost_usd=2.5,
                        llm_concurrency=3, llm_max_tokens=4096, llm_max_retries=5, llm_timeout=60)
    provider = get_provider(settings)
    assert isinstance(provider, AnthropicProvider)
    assert (provider.name, provider.model, provider.max_tokens) == ("anthropic", ANTHROPIC_DEFAULT, 4096)
    assert provider.gate.max_cost_usd == 2.5 and provider.gate.log_path == settings.state_dir / "llm-calls.jsonl"
    assert KEY not in repr(vars(provider))
    local = get_provider(settings.model_copy(update={"llm_provider": "openai", "llm_model": "qwen3:8b",
                                                     "openai_base_url": "http://localhost:11434/v1"}))
    assert isinstance(local, OpenAIProvider) and (local.name, local.model) == ("openai", "qwen3:8b")
    assert get_provider(settings.model_copy(update={"llm_provider": "openai"})).model == OPENAI_DEFAULT


def test_building_a_provider_does_not_import_the_sdks(tmp_path: Path) -> None:
    code = ("import sys; from bristlenose.llm import get_provider; from bristlenose.settings import Settings\n"
            f"for name in ('anthropic', 'openai'): get_provider(Settings(input={str(tmp_path)!r}, llm_provider=name))\n"
            "assert not {'anthropic', 'openai'} & set(sys.modules), sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])


def test_prices_are_estimates_per_million_tokens() -> None:
    assert estimate_cost("anthropic", "claude-sonnet-5-5", 1_000_000, 1_000_000) == pytest.approx(12.0)
    assert estimate_cost("anthropic", "claude-haiku-4-5-20251001", 1_000_000, 0) == pytest.approx(1.0)
    assert price_known("openai", "gpt-4.1-mini-2025-04-14") and not price_known("openai", "gpt-4.1-nano")
    assert estimate_cost("openai", "llama3.1", 10**6, 10**6) == 0.0
    assert estimate_tokens("") == 1 and estimate_tokens("x" * 400) == 100
