"""An OpenAI-compatible account out of quota (429 insufficient_quota, the real API's body and
headers) is a credit failure: never retried, no new call after it; rate limits still back off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.server import FakeLLMServer
from tests.test_llm_pipeline import ALL_CALLS, BEFORE_QUOTES, llm_study


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer(latency=0.05) as fake:
        yield fake


@pytest.mark.parametrize("concurrency", [1, 4])
def test_insufficient_quota_is_refused_at_most_once_per_call_in_flight(tmp_path: Path, server: FakeLLMServer,
                                                                      concurrency: int) -> None:
    study = llm_study(tmp_path, server, "openai", BRISTLENOSE_LLM_CONCURRENCY=str(concurrency),
                      BRISTLENOSE_LLM_MAX_RETRIES="3")
    server.credit_after(BEFORE_QUOTES + 2)
    run = study.doit()
    assert run.returncode != 0
    assert "quota exhausted (insufficient_quota)" in run.stdout
    assert "top up or switch provider" in run.stdout
    refused = server.counts("credit")
    assert 1 <= sum(refused.values()) <= concurrency, refused
    assert set(refused.values()) == {1}, "no refused call is sent again"

    server.restore()
    server.reset_counts()
    resumed = study.doit()
    assert resumed.returncode == 0, resumed.stdout
    assert sum(server.counts().values()) == sum(ALL_CALLS.values()) - BEFORE_QUOTES - 2


def test_openai_rate_limits_are_still_retried(tmp_path: Path, server: FakeLLMServer) -> None:
    study = llm_study(tmp_path, server, "openai")
    server.inject("rate_limit", task="quotes", session="s1", times=2)
    run = study.doit()
    assert run.returncode == 0, run.stdout
    assert server.counts("rate_limit") == {"quotes:s1": 2}
    assert server.counts() == ALL_CALLS
