"""Benchmark PII redaction: recall and precision per kind, keep-words kept, time per session.

A study folder with planted personal data: transcripts in any supported format (a Teams
source under ``sources/`` becomes a .docx first) and ``planted.json`` listing each planted
value with its kind, and the words that must survive (product names, places, brands).

* recall of a kind: planted values of that kind no longer found anywhere in the redacted
  transcript (compared lower-cased with all spacing removed, as the tests do);
* precision of a kind: redactions of that kind whose original text overlaps a planted
  value; the rest are false positives, printed so they can be judged;
* keep-words: the share still present in the redacted transcripts;
* time: redaction per session (the spaCy model load is printed separately), also on the
  full-length sample transcripts and a 140-turn session.

Run from the repository: ``python bench/pii.py [FOLDER ...]`` (default: the test fixtures
and the held-out study under ``bench/pii_heldout``).
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bristlenose.analysis.transcript import build_transcript
from bristlenose.ingest import find_sessions
from bristlenose.models import Transcript
from bristlenose.parsers import parse_transcript
from bristlenose.privacy.detect import analyzer
from bristlenose.privacy.redact import redact_transcript
from scripts.make_sample_docx import write_docx

SAMPLE = REPO / "sample_data"
DEFAULT = [REPO / "tests" / "fixtures" / "pii", REPO / "bench" / "pii_heldout"]


def norm(text: str) -> str:
    """Lower-cased, all spacing removed: a value is found whatever its case or spacing."""
    return re.sub(r"\s+", "", text.lower())


def transcripts(folder: Path, work: Path) -> dict[str, Transcript]:
    """The study's transcripts by file stem, the Teams sources made into .docx files first."""
    study = work / folder.name
    study.mkdir()
    for path in (folder / "study").iterdir():
        (study / path.name).write_bytes(path.read_bytes())
    for source in sorted((folder / "sources").glob("*.teams.txt")):
        write_docx(source, study / source.name.replace(".teams.txt", ".docx"))
    sessions, _ = find_sessions(study, work / f"{folder.name}-out", work / f"{folder.name}-sessions.json")
    found = {}
    for source in sessions:
        assert source.transcript is not None
        found[Path(source.transcript).stem] = build_transcript(source, parse_transcript(study / source.transcript))
    return found


def everything(transcript: Transcript) -> str:
    return "\n".join([transcript.name, *(s.label for s in transcript.speakers), *(s.text for s in transcript.segments)])


def measure(folder: Path, work: Path) -> None:
    spec = json.loads((folder / "planted.json").read_text(encoding="utf-8"))
    by_stem = transcripts(folder, work)
    planted: dict[str, list[dict[str, str]]] = defaultdict(list)
    for item in spec["planted"]:
        planted[item["session"]].append(item)
    caught: dict[str, list[bool]] = defaultdict(list)
    judged: dict[str, list[bool]] = defaultdict(list)
    false_positives: list[str] = []
    kept: list[bool] = []
    seconds = []
    for stem, transcript in sorted(by_stem.items()):
        started = time.perf_counter()
        redacted, record = redact_transcript(transcript)
        seconds.append(time.perf_counter() - started)
        after = norm(everything(redacted))
        for item in planted[stem]:
            caught[item["kind"]].append(norm(item["value"]) not in after)
        values = [norm(item["value"]) for item in planted[stem]]
        for redaction in record.items:
            original = norm(redaction.original)
            hit = any(original in value or value in original for value in values)
            judged[redaction.kind].append(hit)
            if not hit:
                false_positives.append(f"{stem}: {redaction.kind} {redaction.original!r}")
        before = norm(everything(transcript))
        kept += [norm(word) in after for word in spec["keep"] if norm(word) in before]
    print(f"\n== {folder.relative_to(REPO)}: {len(by_stem)} sessions, "
          f"{sum(len(v) for v in planted.values())} planted values")
    print(f"{'kind':<15}{'planted':>8}{'recall':>8}{'redacted':>10}{'precision':>11}")
    for kind in sorted(set(caught) | set(judged)):
        got, made = caught.get(kind, []), judged.get(kind, [])
        recall = f"{sum(got) / len(got):.0%}" if got else "-"
        precision = f"{sum(made) / len(made):.0%}" if made else "-"
        print(f"{kind:<15}{len(got):>8}{recall:>8}{len(made):>10}{precision:>11}")
    all_caught = [c for v in caught.values() for c in v]
    print(f"planted values redacted: {sum(all_caught)}/{len(all_caught)}; "
          f"keep-words kept: {sum(kept)}/{len(kept)} ({sum(kept) / max(len(kept), 1):.0%})")
    missed = [f"{stem}: {i['kind']} {i['value']!r}" for stem in sorted(planted) for i in planted[stem]
              if norm(i["value"]) in norm(everything(redact_transcript(by_stem[stem])[0]))]
    for line in missed:
        print(f"  missed {line}")
    for line in false_positives:
        print(f"  false positive {line}")
    turns = sum(len(t.segments) for t in by_stem.values())
    print(f"redaction time per session: mean {sum(seconds) / len(seconds) * 1000:.0f} ms, max "
          f"{max(seconds) * 1000:.0f} ms ({turns / len(by_stem):.0f} turns per session)")


def timing(work: Path) -> None:
    """Redaction time on full-length interviews: the sample study's transcripts (no gold: what
    was redacted is listed to be judged), and one 140-turn session made of them."""
    sessions, _ = find_sessions(SAMPLE, work / "sample-out", work / "sample-sessions.json")
    found = [build_transcript(s, parse_transcript(SAMPLE / s.transcript)) for s in sessions if s.transcript]
    print(f"\n== sample_data: {len(found)} transcripts (timing; redactions listed, no gold)")
    for transcript in found:
        started = time.perf_counter()
        _, record = redact_transcript(transcript)
        took = time.perf_counter() - started
        values = ", ".join(f"{r.kind} {r.original!r}" for r in record.items)
        print(f"{transcript.name}: {len(transcript.segments)} turns, {took * 1000:.0f} ms; {values or 'nothing'}")
    turns = [segment for transcript in found for segment in transcript.segments]
    long = found[0].model_copy(update={"segments": [s.model_copy(update={"index": n}) for n, s in
                                                    enumerate((turns * (1 + 140 // len(turns)))[:140])]})
    started = time.perf_counter()
    redact_transcript(long)
    print(f"a 140-turn session ({sum(len(s.text.split()) for s in long.segments)} words): "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")


def main() -> None:
    folders = [Path(arg).resolve() for arg in sys.argv[1:]] or DEFAULT
    started = time.perf_counter()
    analyzer()
    print(f"detector load (spaCy model, Presidio recognisers): {time.perf_counter() - started:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        for folder in folders:
            measure(folder, Path(tmp))
        timing(Path(tmp))


if __name__ == "__main__":
    main()
