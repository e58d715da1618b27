"""Score the offline analyser against every gold study: how close its draft is to a researcher's.

For each ``tests/studies/gold/*.json`` (a folder of transcripts, its screens with the words that
name them, and key quotes with their screen and sentiment) the study is analysed in process with
the offline analyser, the way the build does it, and scored:

- gold recall: key quotes found (an extracted quote of the same session holding at least half
  of the key quote's words);
- sentiment agreement: found key quotes whose extracted quote has the gold sentiment;
- section agreement: found key quotes whose extracted quote sits in a report section named for
  the key quote's screen (the section's label and one of the screen's names share their words);
- verbatim rate: extracted quotes that are word for word in the segment they cite;
- researcher quotes: extracted quotes said by a moderator or an observer (must be 0).

Sessions with only a recording are left out (transcribing is not what is measured here).
Run from the repository: ``python bench/quality.py [GOLD.json ...]``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "tests" / "studies" / "gold"
_RECALL_SHARE = 0.5
_NOT_A_NAME = frozenset("the a an of and to screen page tab view section".split())


@dataclass(frozen=True)
class Scores:
    """How one study's offline draft compares with its gold file."""

    study: str
    key_quotes: int
    recall: float
    sentiment: float
    section: float
    section_of_all: float
    verbatim: float
    researcher_quotes: int
    quotes: int
    sections: tuple[str, ...]
    themes: tuple[str, ...]
    seconds: float


@dataclass(frozen=True)
class Analysed:
    """A study as the build would have analysed it."""

    names: dict[str, str]
    transcripts: dict[str, object]
    session_quotes: list[object]
    quotes: object
    clusters: object
    themes: object


def analyse(folder: Path) -> Analysed:
    """Every transcript session of ``folder`` through the analysis stages, offline."""
    from bristlenose.analysis import clusters, merge, quotes, speakers, themes, topics
    from bristlenose.analysis.transcript import build_transcript
    from bristlenose.ingest import find_sessions
    from bristlenose.llm.offline import OfflineAnalyser
    from bristlenose.parsers import parse_transcript

    provider = OfflineAnalyser()
    with tempfile.TemporaryDirectory() as scratch:
        sources, _ = find_sessions(folder, Path(scratch) / "out", Path(scratch) / "sessions.json")
    transcripts, maps, per_session, names = {}, [], [], {}
    for source in sources:
        if source.transcript is None:
            continue
        transcript = build_transcript(source, parse_transcript(folder / source.transcript))
        transcript = speakers.assign_speaker_roles(transcript, provider)
        topic_map = topics.segment_topics(transcript, provider)
        transcripts[source.session_id] = transcript
        names[source.session_id] = Path(source.transcript).name
        maps.append(topic_map)
        per_session.append(quotes.extract_quotes(transcript, topic_map, provider))
    participants = merge.assign_participants(list(transcripts.values()))
    extracted = merge.merge_quotes(per_session, participants)
    boundaries = merge.merge_topics(maps)
    sections = clusters.cluster_screens(extracted, boundaries, provider)
    grouped = themes.group_themes(extracted, sections, provider)
    return Analysed(names, transcripts, per_session, extracted, sections, grouped)


def load(gold_path: Path) -> dict:
    """A gold file: ``study``, ``folder`` (from the repository root), ``screens`` and ``quotes``."""
    return json.loads(gold_path.read_text(encoding="utf-8"))


def score(gold_path: Path, study: Analysed | None = None) -> Scores:
    """The scores of the study ``gold_path`` describes (analysed now unless ``study`` is given)."""
    from bristlenose.llm.offline.text import stem, words
    from bristlenose.models import Role

    gold = load(gold_path)
    started = time.perf_counter()
    study = study or analyse(REPO / gold["folder"])
    seconds = time.perf_counter() - started
    names_of = {screen: [_name_stems(n, stem, words) for n in [screen, *aliases]]
                for screen, aliases in gold["screens"].items()}
    section_of = {qid: c.label for c in study.clusters.clusters for qid in c.quote_ids}
    by_file: dict[str, list] = {}
    for quote in study.quotes.quotes:
        by_file.setdefault(study.names[quote.session_id], []).append(quote)
    found = agreeing = placed = 0
    for key in gold["quotes"]:
        match = _best_match(key["text"], by_file.get(key["session"], []), words)
        if match is None:
            continue
        found += 1
        agreeing += match.sentiment.value == key["sentiment"]
        label = section_of.get(match.id)
        placed += label is not None and _names_screen(_name_stems(label, stem, words), names_of[key["screen"]])
    extracted = [q for s in study.session_quotes for q in s.quotes]
    verbatim = sum(q.text in study.transcripts[q.session_id].segments[q.segment_index].text for q in extracted)
    researchers = sum(study.transcripts[q.session_id].role_of(q.speaker) is not Role.PARTICIPANT for q in extracted)
    total = len(gold["quotes"])
    return Scores(
        study=gold["study"], key_quotes=total, recall=found / total, sentiment=agreeing / found if found else 0.0,
        section=placed / found if found else 0.0, section_of_all=placed / total,
        verbatim=verbatim / len(extracted) if extracted else 1.0, researcher_quotes=researchers,
        quotes=len(extracted), sections=tuple(c.label for c in study.clusters.clusters),
        themes=tuple(t.label for t in study.themes.themes), seconds=seconds,
    )


def _best_match(text: str, quotes: list, words) -> object | None:
    """The quote that holds most of ``text``'s words, if it holds at least half of them."""
    wanted = Counter(words(text))
    best, best_share = None, 0.0
    for quote in quotes:
        share = sum((wanted & Counter(words(quote.text))).values()) / sum(wanted.values())
        if share > best_share:
            best, best_share = quote, share
    return best if best_share >= _RECALL_SHARE else None


def _name_stems(name: str, stem, words) -> frozenset[str]:
    return frozenset(stem(w) for w in words(name.replace("-", " ")) if w not in _NOT_A_NAME)


def _names_screen(label: frozenset[str], names: list[frozenset[str]]) -> bool:
    """Whether a section label and one of a screen's names share their words (one holds the other)."""
    return bool(label) and any(name and (name <= label or label <= name) for name in names)


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(GOLD_DIR.glob("*.json"))
    print(f"{'study':<12} {'key':>4} {'recall':>7} {'sentim':>7} {'section':>8} {'(of all)':>8} "
          f"{'verbat':>7} {'resrch':>6} {'quotes':>6} {'secs':>6}")
    for path in paths:
        s = score(path)
        print(f"{path.stem:<12} {s.key_quotes:>4} {s.recall:>7.0%} {s.sentiment:>7.0%} {s.section:>8.0%} "
              f"{s.section_of_all:>8.0%} {s.verbatim:>7.0%} {s.researcher_quotes:>6} {s.quotes:>6} {s.seconds:>6.2f}")
        print(f"  sections: {' | '.join(s.sections)}")
        print(f"  themes:   {' | '.join(s.themes)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main(sys.argv[1:]))
