"""The OpenAI SDK client, told that an account out of quota is not a rate limit.

OpenAI answers both "too many requests" and "no quota left" with HTTP 429; the SDK retries
every 429 (the real API sends no ``x-should-retry: false`` for a dry account), so each call
would be refused ``1 + max_retries`` times before bristlenose could stop the run. This
client declines to retry a 429 whose error code is ``insufficient_quota``; rate limits are
still retried, honouring ``retry-after``. Imported only when the OpenAI provider first calls.
"""

from __future__ import annotations

import json
from typing import Any

import openai

QUOTA = "insufficient_quota"


def is_quota_refusal(status: int, body: bytes) -> bool:
    """Whether an HTTP answer is OpenAI's out-of-quota 429 (by its error ``code`` or ``type``)."""
    if status != 429:
        return False
    try:
        error = json.loads(body).get("error") or {}
    except (ValueError, AttributeError):
        return False
    return isinstance(error, dict) and QUOTA in (error.get("code"), error.get("type"))


class QuotaAwareOpenAI(openai.OpenAI):
    """``openai.OpenAI`` that never retries ``insufficient_quota``."""

    def _should_retry(self, response: Any) -> bool:
        if response.status_code == 429 and is_quota_refusal(429, response.read()):
            return False
        return bool(super()._should_retry(response))
