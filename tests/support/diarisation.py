"""The diarisation recordings in ``tests/data/diarise/`` and how right a labelling of one is."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bristlenose.models import RecognisedSegment, Recognition, Word
from bristlenose.parsers.base import RawSegment

RECORDINGS = Path(__file__).resolve().parents[1] / "data" / "diarise"
FRAME = 0.01


@dataclass(frozen=True)
class Score:
    """Share of attributed speech time given to the right speaker (best label mapping), and
    share of the true speech time that was attributed at all."""

    right: float
    covered: float
    speakers_found: int
    speakers_true: int


def truth(name: str) -> list[dict[str, object]]:
    """Who speaks when in the recording ``name`` (without extension)."""
    return json.loads((RECORDINGS / f"{name}.truth.json").read_text(encoding="utf-8"))


def recognition_from_truth(name: str) -> Recognition:
    """What a perfect recogniser would give: each true clip a segment, its words spread
    evenly over it (tests the diarisation apart from Whisper's errors)."""
    segments = []
    for clip in truth(name):
        tokens = str(clip["text"]).split()
        start, end = float(clip["start"]), float(clip["end"])  # type: ignore[arg-type]
        step = (end - start) / len(tokens)
        words = [Word(start=start + i * step, end=start + (i + 1) * step, text=f" {token}", probability=0.9)
                 for i, token in enumerate(tokens)]
        segments.append(RecognisedSegment(start=start, end=end, text=" ".join(tokens), words=words))
    segments.sort(key=lambda segment: segment.start)
    return Recognition(recording=f"{name}.ogg", duration=segments[-1].end + 1, segments=segments)


def score(cues: list[RawSegment], spoken: list[dict[str, object]]) -> Score:
    """Frame-level (10 ms) score of ``cues``' word times against the truth; in crosstalk a
    frame is right when its label maps to any of the people speaking then."""
    people = sorted({str(item["speaker"]) for item in spoken})
    labels = sorted({cue.speaker for cue in cues})
    end = max([float(item["end"]) for item in spoken] + [cue.end or cue.start for cue in cues]) + 1
    frames = int(end / FRAME) + 1
    said = np.zeros((len(people), frames), dtype=bool)
    for item in spoken:
        said[people.index(str(item["speaker"])), _frame(item["start"]):_frame(item["end"])] = True
    heard = np.full(frames, -1)
    for cue in cues:
        for start, stop in ([(w.start, w.end) for w in cue.words] or [(cue.start, cue.end or cue.start)]):
            heard[_frame(start):_frame(stop)] = labels.index(cue.speaker)
    speech = said.any(axis=0)
    judged = speech & (heard >= 0)
    best = 0
    for mapping in itertools.permutations(range(max(len(people), len(labels))), len(labels)):
        right = sum(int((said[person, judged] & (heard[judged] == label)).sum())
                    for label, person in enumerate(mapping) if person < len(people))
        best = max(best, right)
    return Score(right=best / max(1, int(judged.sum())), covered=int(judged.sum()) / max(1, int(speech.sum())),
                 speakers_found=len(labels), speakers_true=len(people))


def _frame(seconds: object) -> int:
    return int(round(float(seconds) / FRAME))  # type: ignore[arg-type]
