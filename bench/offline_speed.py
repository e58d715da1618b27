"""Time the offline analyser's per-session stages on a long interview.

A real interview has 100–140 turns; the longest sample transcript repeated three times (132
segments) stands in for one. Prints the best of five runs of the topic and quote stages.
Run from the repository: ``python bench/offline_speed.py [TRANSCRIPT]``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bristlenose.analysis.quotes import extract_quotes  # noqa: E402
from bristlenose.analysis.topics import segment_topics  # noqa: E402
from bristlenose.analysis.transcript import build_transcript  # noqa: E402
from bristlenose.llm.offline import OfflineAnalyser  # noqa: E402
from bristlenose.models import SessionSource  # noqa: E402
from bristlenose.parsers import parse_transcript  # noqa: E402

DEFAULT = REPO / "sample_data" / "interview-01_Recording.transcript.vtt"
REPEATS = 3


def best_ms(work: Callable[[], object], runs: int = 5) -> float:
    """The fastest of ``runs`` calls of ``work``, in milliseconds (after one warm-up call)."""
    work()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT
    source = SessionSource(session_id="s1", key=path.stem, name=path.stem, transcript=path.name)
    once = build_transcript(source, parse_transcript(path))
    segments = [s.model_copy(update={"index": i}) for i, s in enumerate(once.segments * REPEATS)]
    transcript = once.model_copy(update={"segments": segments})
    analyser = OfflineAnalyser()
    topics = segment_topics(transcript, analyser)
    print(f"{path.name} x{REPEATS}: {len(segments)} segments, {len(topics.boundaries)} topics")
    print(f"topics stage: {best_ms(lambda: segment_topics(transcript, analyser)):.0f} ms")
    print(f"quotes stage: {best_ms(lambda: extract_quotes(transcript, topics, analyser)):.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
