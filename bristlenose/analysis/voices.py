"""What the speaker-role pass may add for a recording: names said in it, and turns moved
to the speaker who really said them where telling the voices apart was unsure.

Diarisation labels a recording's speakers by voice (``Speaker A``); a name it cannot
hear. An LLM reads what was said: a person addressed by name ("thanks, Priya") or
introducing themself late, and a turn whose words show it was spoken by the other person
(the answer labelled as the one who asked, half a sentence given to the wrong voice).
A turn whose end was said by the other person (a question glued to the answer before it) has
that end moved, from the words the model quotes. This module checks such an answer against
the prompt and applies it; it knows no provider.

Rules: a name must be written in the transcript the model was shown, and no two speakers
share one; a moved turn must be one the prompt showed, go to a speaker it listed, and the
words a moved end starts from must start a word of that turn; at most half of the shown
turns (or :data:`FEW_MOVES`, if more) may move: more is a relabelling, not a correction, and
is rejected as implausible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from bristlenose.analysis.answers import require_known
from bristlenose.analysis.transcript import MAX_GAP, MAX_TURN
from bristlenose.llm.base import ImplausibleAnswer
from bristlenose.models import Role, Segment, Transcript

FEW_MOVES = 4
"""Moves that are always plausible, however short the transcript shown."""


class NamedRole(BaseModel):
    """A speaker's role, and their name when the transcript says it."""

    model_config = ConfigDict(extra="ignore")

    speaker: str
    role: Role
    name: str = Field(default="", description="The person's name exactly as the transcript writes it, only "
                      "when the transcript says it (they introduce themselves or are addressed by name); "
                      "else empty. Never guess.")


class NamesResponse(BaseModel):
    """A provider's answer for a recording whose voices were told apart surely."""

    speakers: list[NamedRole]


class TurnMove(BaseModel):
    """A turn the provider gives to another speaker."""

    model_config = ConfigDict(extra="ignore")

    turn: int = Field(description="The turn's number in square brackets.")
    speaker: str = Field(description="The key of the speaker who said it.")
    from_words: str = Field(default="", description="Only when the turn holds two speakers: the first words "
                            "(exactly as written) of its part the other speaker said, to its end; empty when "
                            "the whole turn is theirs.")


class VoicesResponse(NamesResponse):
    """A provider's answer for a recording whose voices were told apart unsurely."""

    turns: list[TurnMove] = Field(default=[], description="Only turns spoken by another speaker than the one "
                                  "shown; empty when every turn is right.")


def check_names(speakers: Iterable[NamedRole], shown: list[Segment]) -> None:
    """Every name is written in the shown transcript, and no two speakers share one."""
    text = "\n".join(segment.text for segment in shown)
    named = [p.name.strip() for p in speakers if p.name.strip()]
    invented = [name for name in named if not said(name, text)]
    if invented:
        raise ImplausibleAnswer(f"{len(invented)} name(s) not in the transcript ({', '.join(invented[:3])})")
    if len({name.casefold() for name in named}) < len(named):
        raise ImplausibleAnswer("the same name for two speakers")


def check_moves(moves: list[TurnMove], keys: set[str], shown: list[Segment], key_of: dict[str, str]) -> None:
    """Moves of shown turns (or of their ends, from words they hold) to listed speakers, each
    turn once, and not most of them."""
    require_known("turns", [m.turn for m in moves], {segment.index for segment in shown})
    require_known("speakers", [m.speaker.strip() for m in moves], keys)
    if len({m.turn for m in moves}) < len(moves):
        raise ImplausibleAnswer("a turn moved twice")
    text = {segment.index: segment.text for segment in shown}
    misplaced = [m.turn for m in moves if m.from_words.strip() and split_at(text[m.turn], m.from_words) is None]
    if misplaced:
        raise ImplausibleAnswer(f"words to move not in turn {misplaced[0]}")
    current = {segment.index: key_of[segment.speaker] for segment in shown}
    real = [m for m in moves if current[m.turn] != m.speaker.strip()]
    if len(real) > max(FEW_MOVES, len(shown) // 2):
        raise ImplausibleAnswer(f"{len(real)} of the {len(shown)} turns shown moved to another speaker")


def said(name: str, text: str) -> bool:
    """Whether ``name`` is written in ``text`` as whole words (any case)."""
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE) is not None


def split_at(text: str, words: str) -> int | None:
    """Where in ``text`` the moved part starting with ``words`` begins (None: not there);
    0 is the whole turn."""
    found = re.search(rf"(?<!\w){re.escape(words.strip())}", text, re.IGNORECASE)
    return None if found is None else found.start()


def moved(transcript: Transcript, moves: dict[int, tuple[str, str]]) -> tuple[Transcript, int]:
    """The transcript with each turn in ``moves`` (index → speaker code and the words its
    moved part starts with, empty for the whole turn) given to that speaker, a speaker's
    consecutive turns joined as the transcript stage joins cues, turns numbered again, and
    speakers left without a turn dropped; and how many turns moved."""
    pieces: list[Segment] = []
    count = 0
    for seg in transcript.segments:
        code, words = moves.get(seg.index, (seg.speaker, ""))
        at = split_at(seg.text, words) if words.strip() else 0
        if code == seg.speaker or at is None:
            pieces.append(seg)
            continue
        count += 1
        pieces.extend(_split(seg, at, code) if at else [seg.model_copy(update={"speaker": code})])
    if not count:
        return transcript, 0
    segments: list[Segment] = []
    for seg in pieces:
        speaker = seg.speaker
        previous = segments[-1] if segments else None
        if previous is not None and previous.speaker == speaker and _joins(previous, seg):
            segments[-1] = previous.model_copy(update={"text": f"{previous.text} {seg.text}", "end": seg.end,
                                                       "words": [*previous.words, *seg.words]})
        else:
            segments.append(seg.model_copy(update={"index": len(segments), "speaker": speaker}))
    speaking = {seg.speaker for seg in segments}
    return transcript.model_copy(update={"segments": segments,
                                         "speakers": [s for s in transcript.speakers if s.code in speaking]}), count


def _split(seg: Segment, at: int, code: str) -> list[Segment]:
    """``seg`` cut where character ``at`` of its text falls: the head stays its speaker's, the
    tail is ``code``'s, cut at a word's start where there are word timings."""
    head, tail = seg.text[:at].rstrip(), seg.text[at:].lstrip()
    spoken = [len("".join(word.text for word in seg.words[:n]).strip()) for n in range(len(seg.words))]
    first = next((n for n, before in enumerate(spoken) if n and before >= at - 1), None)
    if first is not None:
        cut = seg.words[first].start
        head_words, tail_words = seg.words[:first], seg.words[first:]
    else:
        end = seg.end if seg.end is not None else seg.start
        cut = seg.start + (end - seg.start) * at / max(len(seg.text), 1)
        head_words, tail_words = [], []
    return [seg.model_copy(update={"text": head, "end": cut, "words": head_words}),
            seg.model_copy(update={"text": tail, "start": cut, "speaker": code, "words": tail_words})]


def _joins(turn: Segment, seg: Segment) -> bool:
    """Whether ``seg`` continues ``turn`` of the same speaker: a short pause, a quotable length."""
    if turn.end is None or seg.end is None:
        return False
    return seg.start - turn.end < MAX_GAP and seg.end - turn.start < MAX_TURN
