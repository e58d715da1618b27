"""Whisper's words cut into short pieces of speech, each short enough to hold one voice.

A piece ends at a pause between words (people rarely hand over without one), at the end of
a Whisper segment, or once it would pass :data:`MAX_PIECE` seconds, so a change of speaker
without any pause is still confined to one short piece. Each piece is embedded and labelled
as a whole; a segment without word timings is one piece. Pieces cut only for length form a
*stretch* of uninterrupted speech, whose longer sample of a voice is what the clustering
compares.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bristlenose.models import Recognition, Word

BREAK_GAP = 0.25
"""Seconds of silence between two words that end a piece."""
MAX_PIECE = 1.6


@dataclass
class Piece:
    """Consecutive words of one Whisper segment, labelled as one."""

    segment: int
    stretch: int
    start: float
    end: float
    text: str = ""
    words: list[Word] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return max(0.0, self.end - self.start)


def cut_pieces(recognition: Recognition) -> list[Piece]:
    """The recognition's speech as pieces, in order."""
    pieces: list[Piece] = []
    for index, segment in enumerate(recognition.segments):
        if not segment.words:
            pieces.append(Piece(index, _next_stretch(pieces), segment.start, segment.end, text=segment.text))
            continue
        current: Piece | None = None
        for word in segment.words:
            if current is None or word.start - current.end >= BREAK_GAP:
                current = Piece(index, _next_stretch(pieces), word.start, word.end)
                pieces.append(current)
            elif word.end - current.start > MAX_PIECE:
                current = Piece(index, current.stretch, word.start, word.end)
                pieces.append(current)
            current.words.append(word)
            current.end = max(current.end, word.end)
    for piece in pieces:
        if piece.words:
            piece.text = "".join(word.text for word in piece.words).strip()
    return [piece for piece in pieces if piece.text]


def _next_stretch(pieces: list[Piece]) -> int:
    return pieces[-1].stretch + 1 if pieces else 0
