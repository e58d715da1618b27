"""Estimated prices of LLM calls, for the budget (``max_cost_usd``) and the cost in ``_meta``.

Every number here is an estimate: list prices per million tokens as published when the table
was last checked (:data:`PRICE_TABLE_VERSION`), without cache, batch, long-prompt or regional
rates. The provider's bill is the truth. A model missing from the table (a local Ollama model,
a new release) costs 0.0 and :func:`price_known` says so, so a budget never blocks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PRICE_TABLE_VERSION = "2026-11"

_DATED_SNAPSHOT = re.compile(r"-(\d{8}|\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Price:
    """US dollars per million input and output tokens."""

    input_usd: float
    output_usd: float


PRICES: dict[tuple[str, str], Price] = {
    ("anthropic", "claude-opus-5-5"): Price(4.00, 20.00),
    ("anthropic", "claude-opus-5"): Price(5.00, 25.00),
    ("anthropic", "claude-sonnet-5-5"): Price(2.00, 10.00),
    ("anthropic", "claude-sonnet-5"): Price(2.00, 10.00),
    ("anthropic", "claude-haiku-5-5"): Price(0.10, 0.50),  # prompts up to 100k tokens; longer ones cost 5x
    ("anthropic", "claude-opus-4-7"): Price(5.00, 25.00),
    ("anthropic", "claude-opus-4-6"): Price(5.00, 25.00),
    ("anthropic", "claude-opus-4-5"): Price(5.00, 25.00),
    ("anthropic", "claude-sonnet-4-6"): Price(3.00, 15.00),
    ("anthropic", "claude-sonnet-4-5"): Price(3.00, 15.00),
    ("anthropic", "claude-haiku-4-5"): Price(1.00, 5.00),
    ("openai", "gpt-6-sol"): Price(2.00, 10.00),
    ("openai", "gpt-6.1-sol"): Price(2.00, 10.00),
    ("openai", "gpt-6-luna"): Price(0.10, 0.50),
    ("openai", "gpt-5.4-mini"): Price(0.75, 4.50),
    ("openai", "gpt-4.1"): Price(2.00, 8.00),
    ("openai", "gpt-4.1-mini"): Price(0.40, 1.60),
    ("openai", "gpt-4o-mini"): Price(0.15, 0.60),
}


def _price(provider: str, model: str) -> Price | None:
    """The model's price; a dated snapshot (``claude-haiku-4-5-20251001``) costs what its alias does."""
    return PRICES.get((provider, model)) or PRICES.get((provider, _DATED_SNAPSHOT.sub("", model)))


def price_known(provider: str, model: str) -> bool:
    """Whether :func:`estimate_cost` knows this model, or answers 0.0 for want of a price."""
    return _price(provider, model) is not None


def estimate_tokens(text: str) -> int:
    """Rough token count of ``text`` (about four characters a token), at least 1, for budgeting
    before a call; the provider's own count replaces it afterwards."""
    return max(1, (len(text) + 3) // 4)


def estimate_cost(provider: str, model: str, tokens_in: int, tokens_out: int) -> float:
    """Estimated US dollars for a call; 0.0 for a model without a known price."""
    price = _price(provider, model)
    if price is None:
        return 0.0
    return (tokens_in * price.input_usd + tokens_out * price.output_usd) / 1_000_000
