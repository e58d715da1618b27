"""Benchmark the LLM answer journal: what keeping an answer durably costs, and its size.

Puts answers of a realistic size (a quotes answer of ~4 KB) with SQLite's
``synchronous=FULL`` commit (one fsync per answer), looks them up, reopens (compaction
pass) and prints milliseconds per operation and bytes per answer.
Run from the repository: ``python bench/journal.py [--answers N] [--kb K]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bristlenose.llm.journal import Answer, AnswerJournal, journal_size  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=500)
    parser.add_argument("--kb", type=float, default=4.0, help="size of one answer's JSON")
    args = parser.parse_args()
    quote = {"segment_index": 3, "text": "word " * 20, "topic": "Checkout", "quote_type": "general"}
    answer = Answer({"quotes": [quote] * max(1, int(args.kb * 1024 / 150))}, 9000, 1200, False)
    with tempfile.TemporaryDirectory(prefix="bristlenose-journal-bench-") as tmp:
        path = Path(tmp) / "llm-journal.sqlite"
        journal = AnswerJournal(path, 256 << 20, 180)
        start = time.perf_counter()
        for n in range(args.answers):
            journal.put(f"key{n}", "quotes", answer)
        put_ms = (time.perf_counter() - start) * 1000 / args.answers
        start = time.perf_counter()
        for n in range(args.answers):
            journal.get(f"key{n}")
        get_ms = (time.perf_counter() - start) * 1000 / args.answers
        journal.close()
        start = time.perf_counter()
        reopened = AnswerJournal(path, 256 << 20, 180)
        reopened.get("key0")
        open_ms = (time.perf_counter() - start) * 1000
        reopened.close()
        count, size = journal_size(Path(tmp))
    print(f"answers: {count} of ~{args.kb:g} KB")
    print(f"put (fsynced): {put_ms:.2f} ms/answer")
    print(f"get: {get_ms:.3f} ms/answer")
    print(f"open + compaction pass: {open_ms:.1f} ms")
    print(f"on disk: {size / 1048576:.2f} MB ({size / max(count, 1) / 1024:.1f} KB/answer)")


if __name__ == "__main__":
    main()
