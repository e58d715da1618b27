"""Pydantic models of everything that crosses a file boundary.

Stage functions exchange these models; the build layer serialises them as JSON targets,
each carrying an :class:`OutputMeta` record under the ``_meta`` key.
"""

from bristlenose.models.analysis import (
    Quote,
    QuoteType,
    TopicKind,
    ScreenCluster,
    ScreenClusters,
    Sentiment,
    SessionQuotes,
    Theme,
    ThemeGroups,
    TopicBoundary,
    TopicMap,
)
from bristlenose.models.meta import SCHEMA_VERSION, OutputMeta
from bristlenose.models.privacy import Redaction, Redactions
from bristlenose.models.recognition import RecognisedSegment, Recognition, SpeechSpan
from bristlenose.models.study import (
    ExtractedQuotes,
    ParticipantEntry,
    Participants,
    SessionSource,
    SkippedFile,
    TopicBoundaries,
)
from bristlenose.models.transcript import Diarisation, Role, Segment, SourceFile, Speaker, Transcript, Word

__all__ = [
    "Diarisation",
    "Redaction",
    "Redactions",
    "SCHEMA_VERSION",
    "ExtractedQuotes",
    "OutputMeta",
    "ParticipantEntry",
    "Participants",
    "Quote",
    "RecognisedSegment",
    "Recognition",
    "QuoteType",
    "Role",
    "ScreenCluster",
    "ScreenClusters",
    "Segment",
    "Sentiment",
    "SessionQuotes",
    "SessionSource",
    "SkippedFile",
    "SourceFile",
    "Speaker",
    "SpeechSpan",
    "Theme",
    "ThemeGroups",
    "TopicBoundaries",
    "TopicBoundary",
    "TopicKind",
    "TopicMap",
    "Transcript",
    "Word",
]
