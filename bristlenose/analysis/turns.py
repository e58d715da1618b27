"""Who is speaking in a recording: Whisper's one undivided stream split into speaker turns.

The heuristic, offline and instant, uses three cues:

* **Pauses.** A silence of at least the turn pause (``whisper_turn_pause``, 1 s by default;
  measured by the voice-activity detector, not by Whisper's looser word timings) ends a
  turn. Words are placed by their midpoint, so a Whisper segment that runs across such a
  silence is cut there.
* **Turn-taking.** An interview is a conversation between two voices, so the speaker
  alternates at every turn: the cues become ``Speaker A`` and ``Speaker B``.
* **Question form.** Which of the two moderates is decided afterwards by the roles
  heuristic (``roles.py``): the one who asks the questions and uses researcher phrases. With
  an LLM configured, the ``speakers`` stage decides roles instead (the labels are not codes).

How well it works: on the generated sample sessions (two synthetic voices, 1.6 s between
turns, up to ~0.7 s inside a turn) every turn is found and attributed right. Real interviews
are harder: people answer within a fraction of a second, talk over each other, pause mid-
thought, and three-person sessions break the alternation. One missed or extra boundary swaps
the speakers of everything after it until the next error swaps them back. Treat speaker
labels of transcribed recordings as a draft; a transcript file, when there is one, is used
instead. The function below is the seam where a voice-based or LLM speaker-splitting pass
(any ``TurnSplitter``) replaces the heuristic.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

from bristlenose.analysis.transcript import build_transcript
from bristlenose.models import (
    RecognisedSegment,
    Recognition,
    SessionSource,
    SpeechSpan,
    Transcript,
    Word,
)
from bristlenose.parsers.base import RawSegment

SPEAKER_LABELS = ("Speaker A", "Speaker B")

TurnSplitter = Callable[[Recognition], list[RawSegment]]
"""Anything that turns a recognition into labelled cues."""


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
                            splitter: TurnSplitter = split_turns) -> Transcript:
    """The session's transcript from what its recording says; no speech is a note, not an error."""
    transcript = build_transcript(source, splitter(recognition))
    notes = [recognition.warning] if recognition.warning else []
    if not transcript.segments:
        notes.append(f"no speech found in {recognition.recording}")
    return transcript.model_copy(update={"note": "; ".join(notes) or None})


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
