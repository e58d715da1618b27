"""The answer journal on its own: durable at once, private, bounded."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

from bristlenose.llm.base import ProviderError
from bristlenose.llm.errors import (
    BadRequest,
    CreditExhausted,
    Interrupted,
    MalformedResponse,
    NetworkError,
    RateLimited,
    ResponseTruncated,
    rejects_answers,
)
from bristlenose.llm.journal import DAY, Answer, AnswerJournal, journal_size, request_key

ANSWER = Answer({"quotes": [{"text": "the basket was confusing"}]}, 120, 30, False)


def journal(tmp_path: Path, max_bytes: int = 1 << 20, max_age_days: float = 30) -> AnswerJournal:
    return AnswerJournal(tmp_path / "llm-journal.sqlite", max_bytes, max_age_days)


def test_an_answer_is_served_again_for_the_identical_request_only(tmp_path: Path) -> None:
    key = request_key("anthropic", "m", "quotes", "system", "user", {"type": "object"}, 8192)
    first = journal(tmp_path)
    first.put(key, "quotes", ANSWER)
    first.close()
    again = journal(tmp_path)
    assert again.get(key) == ANSWER
    for changed in (("openai", "m", "quotes", "system", "user", {"type": "object"}, 8192),
                    ("anthropic", "m", "quotes", "system", "user!", {"type": "object"}, 8192),
                    ("anthropic", "m", "quotes", "system", "user", {"type": "array"}, 8192),
                    ("anthropic", "m", "quotes", "system", "user", {"type": "object"}, 4096)):
        assert again.get(request_key(*changed)) is None


def test_the_journal_is_private(tmp_path: Path) -> None:
    store = journal(tmp_path)
    store.put("k", "quotes", ANSWER)
    for path in tmp_path.iterdir():
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path.name


def test_a_discarded_answer_is_not_served(tmp_path: Path) -> None:
    store = journal(tmp_path)
    store.put("k", "quotes", ANSWER)
    store.discard(["k"])
    assert store.get("k") is None


def test_an_answer_survives_sigkill_right_after_it_is_journaled(tmp_path: Path) -> None:
    script = ("import os, signal, sys\n"
              "from pathlib import Path\n"
              "from bristlenose.llm.journal import Answer, AnswerJournal\n"
              "j = AnswerJournal(Path(sys.argv[1]), 1 << 20, 30)\n"
              "j.put('k', 'quotes', Answer({'a': 1}, 1, 2, True))\n"
              "os.kill(os.getpid(), signal.SIGKILL)\n")
    proc = subprocess.run([sys.executable, "-c", script, str(tmp_path / "llm-journal.sqlite")],
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert proc.returncode == -signal.SIGKILL
    assert journal(tmp_path).get("k") == Answer({"a": 1}, 1, 2, True)


def test_old_answers_and_answers_beyond_the_size_cap_are_compacted(tmp_path: Path) -> None:
    store = journal(tmp_path)
    big = Answer({"text": "x" * 1000}, 1, 1, False)
    for n in range(10):
        store.put(f"k{n}", "quotes", big)
    store._db().execute("update answers set at=? where key='k0'", (time.time() - 40 * DAY,))
    store.close()
    compacted = journal(tmp_path, max_bytes=5500)
    kept = [n for n in range(10) if compacted.get(f"k{n}") is not None]
    assert kept == [5, 6, 7, 8, 9]
    compacted.close()
    assert journal_size(tmp_path)[0] == 5


def test_only_failures_that_reject_the_answers_drop_them_from_the_journal() -> None:
    assert rejects_answers(MalformedResponse("answer did not match the schema twice"))
    assert rejects_answers(ProviderError("no quote of the session was verbatim"))
    for kept in (CreditExhausted("dry"), Interrupted("stop"), NetworkError("down"), RateLimited("slow"),
                 BadRequest("too long"), ResponseTruncated("limit")):
        assert not rejects_answers(kept), type(kept).__name__
