"""Who is speaking in a recording: Whisper's one undivided stream split into speaker turns.

Two splitters sit behind one seam (``TurnSplitter``):

* **By voice** (``by_voice``, what the build uses): offline diarisation
  (``bristlenose.diarise``) embeds short pieces of speech with a voice encoder, finds one to
  four voices and gives each of Whisper's words the voice it was spoken in. Labels follow
  voices, not turn order, so a backchannel or a missed pause cannot swap the speakers of
  what follows, a long pause inside a turn does not change the speaker, and a third person
  gets a third label. Its confidence is kept on the transcript (``Transcript.diarisation``).
* **Alternating** (``split_turns``, for a recognition without its audio): a silence of at
  least the turn pause (``whisper_turn_pause``, 1 s by default, measured by the voice-
  activity detector) ends a turn, and two speakers alternate at every turn. One missed or
  extra boundary swaps everyone after it; a third person is impossible.

A speaker who introduces themself ("I'm Priya, …") early on is labelled by that name
(``names.py``). Which speaker moderates is decided afterwards by the roles heuristic (``roles.py``): the one
who asks the questions and uses researcher phrases. With an LLM configured, the ``speakers``
stage decides roles instead (the labels are not codes). A transcript file, when there is
one, is used instead of either splitter.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from bristlenose.analysis.names import named
from bristlenose.analysis.transcript import build_transcript
from bristlenose.models import (
    Diarisation,
    RecognisedSegment,
    Recognition,
    SessionSource,
    SpeechSpan,
    Transcript,
    Word,
)
from bristlenose.models.transcript import VOICE_LABELS
from bristlenose.parsers.base import RawSegment

if TYPE_CHECKING:
    import numpy as np

SPEAKER_LABELS = VOICE_LABELS[:2]
"""The alternating splitter's two labels."""
UNSURE = 0.7
"""A diarisation confidence under this is worth a note on the session."""


class Turns(NamedTuple):
    """Labelled cues of a recording, and how its speakers were told apart (if by voice)."""

    cues: list[RawSegment]
    diarisation: Diarisation | None = None


TurnSplitter = Callable[[Recognition], Turns]
"""Anything that turns a recognition into labelled cues."""


def by_voice(audio: np.ndarray) -> TurnSplitter:
    """A splitter that tells speakers apart by their voices in ``audio`` (16 kHz mono, the
    samples the recognition was made from). The diariser (numpy) is imported only here."""
    from bristlenose.diarise import diarise

    return lambda recognition: Turns(*diarise(audio, recognition))


def alternating(recognition: Recognition) -> Turns:
    """The alternating split, as a splitter."""
    return Turns(split_turns(recognition))


def split_turns(recognition: Recognition) -> list[RawSegment]:
    """Whisper's segments as cues labelled ``Speaker A``/``Speaker B``, cut and alternated at
    every silence of at least the turn pause."""
    cues: list[RawSegment] = []
    speaker = 0
    previous_span: int | None = None
    starts = [span.start for span in recognition.speech]
    for segment in recognition.segments:
        for span, words in _by_span(segment, recognition.speech, starts):
            if previous_span is not None and span != previous_span:
                speaker = 1 - speaker
            previous_span = span
            cues.append(_cue(segment, words, SPEAKER_LABELS[speaker]))
    return cues


def transcript_of_recording(source: SessionSource, recognition: Recognition,
                            splitter: TurnSplitter = alternating) -> Transcript:
    """The session's transcript from what its recording says; no speech is a note, not an error."""
    turns = splitter(recognition)
    transcript = build_transcript(source, named(turns.cues, _is_voice_label))
    notes = [recognition.warning] if recognition.warning else []
    if not transcript.segments:
        notes.append(f"no speech found in {recognition.recording}")
    elif turns.diarisation is not None and turns.diarisation.confidence < UNSURE:
        notes.append(f"who is speaking is unsure in {recognition.recording} (only "
                     f"{turns.diarisation.confidence:.0%} of speech clearly attributed): check people.yaml")
    return transcript.model_copy(update={"note": "; ".join(notes) or None, "diarisation": turns.diarisation})


def _is_voice_label(label: str) -> bool:
    """Whether a label is one of ours (``Speaker A``), not a name."""
    return label in VOICE_LABELS


def _by_span(segment: RecognisedSegment, speech: list[SpeechSpan],
             starts: list[float]) -> list[tuple[int, list[Word]]]:
    """The segment's words in runs that fall in the same speech span."""
    if not segment.words:
        return [(_span_at((segment.start + segment.end) / 2, speech, starts), [])]
    runs: list[tuple[int, list[Word]]] = []
    for word in segment.words:
        span = _span_at((word.start + word.end) / 2, speech, starts)
        if runs and runs[-1][0] == span:
            runs[-1][1].append(word)
        else:
            runs.append((span, [word]))
    return runs


def _span_at(moment: float, speech: list[SpeechSpan], starts: list[float]) -> int:
    """Index of the speech span holding ``moment``; between spans, the nearer one."""
    index = bisect_right(starts, moment) - 1
    if index < 0:
        return 0
    if index + 1 < len(speech) and moment > speech[index].end:
        after = speech[index + 1].start - moment
        return index + 1 if after < moment - speech[index].end else index
    return index


def _cue(segment: RecognisedSegment, words: list[Word], label: str) -> RawSegment:
    """A raw cue of ``words`` (the whole segment when Whisper gave no word timings)."""
    if not words:
        return RawSegment(start=segment.start, end=segment.end, speaker=label, text=segment.text)
    text = "".join(word.text for word in words).strip()
    return RawSegment(start=words[0].start, end=words[-1].end, speaker=label, text=text, words=tuple(words))
