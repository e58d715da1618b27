"""A transcript with its personal data replaced by typed placeholders, and the audit record.

Segment texts, word timings, speaker labels, the session's name and its file names (shown
in the report) are all redacted, so no field of the redacted transcript holds a detected
value. Names known from speaker labels
(and any passed in) are always redacted, wherever they appear.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import regex as re
from presidio_analyzer import RecognizerResult
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig

from bristlenose.analysis.roles import is_code
from bristlenose.models import Redaction, Redactions, Segment, Speaker, Transcript, Word
from bristlenose.privacy.detect import Finding, find_personal_data
from bristlenose.privacy.kinds import Kind

ROLE_WORDS = {"interviewer", "interviewee", "moderator", "participant", "speaker", "researcher", "observer",
              "facilitator", "host", "guest", "note", "notes", "taker", "notetaker", "unknown", "respondent", "user",
              "customer", "client", "team", "ux", "ui", "research", "lead", "designer", "product", "manager", "mod",
              "the", "and", "of", "from", "with", "for", "co", "dr", "mr", "mrs", "ms", "miss", "prof"}
WORD = re.compile(r"[^\W\d_][\w'’-]*")
_ANONYMIZER = AnonymizerEngine()
_REPLACE = {kind.value: OperatorConfig("replace", {"new_value": kind.placeholder}) for kind in Kind}


def known_names(transcript: Transcript, extra: frozenset[str] = frozenset()) -> frozenset[str]:
    """Words of speaker labels that are not roles or codes ("Sarah", "Okafor"), plus ``extra``."""
    names = set(extra)
    for speaker in transcript.speakers:
        names.update(word for word in WORD.findall(speaker.label)
                     if len(word) > 1 and word.lower() not in ROLE_WORDS and not is_code(word))
    return frozenset(names)


def redact_transcript(transcript: Transcript, extra_names: frozenset[str] = frozenset()) -> tuple[Transcript, Redactions]:
    """The transcript with placeholders, and every replaced value with where it was."""
    names = known_names(transcript, extra_names)
    texts = [s.text for s in transcript.segments] + [s.label for s in transcript.speakers] + [transcript.name] + \
        [s.path for s in transcript.sources]
    found = iter(_findings(tuple(texts), names))
    items: list[Redaction] = []
    segments = [_redacted_segment(segment, next(found), items) for segment in transcript.segments]
    speakers = []
    for speaker in transcript.speakers:
        findings = next(found)
        items += [_record(speaker.label, f, "speaker", speaker=speaker.code) for f in findings]
        speakers.append(speaker.model_copy(update={"label": replace(speaker.label, findings)}))
    name_findings = next(found)
    items += [_record(transcript.name, f, "session") for f in name_findings]
    sources = []
    for source in transcript.sources:
        findings = next(found)
        items += [_record(source.path, f, "source") for f in findings]
        sources.append(source.model_copy(update={"path": replace(source.path, findings)}))
    redacted = transcript.model_copy(update={"segments": segments, "speakers": _distinct(speakers), "sources": sources,
                                             "name": replace(transcript.name, name_findings)})
    return redacted, Redactions(session_id=transcript.session_id, enabled=True, items=items)


def attribute_without_personal_data(transcript: Transcript, assign: Callable[[Transcript], Transcript]) -> Transcript:
    """Speaker roles decided by ``assign`` (which may ask a provider) on the redacted transcript,
    applied to the original one: the speakers stage never sends personal data either."""
    redacted, _ = redact_transcript(transcript)
    attributed = assign(redacted)
    label_of = {r.label: o.label for r, o in zip(redacted.speakers, transcript.speakers)}
    return transcript.model_copy(update={
        "speakers": [s.model_copy(update={"label": label_of.get(s.label, s.label)}) for s in attributed.speakers],
        "segments": [seg.model_copy(update={"speaker": new.speaker})
                     for seg, new in zip(transcript.segments, attributed.segments)],
    })


@lru_cache(maxsize=4)
def _findings(texts: tuple[str, ...], names: frozenset[str]) -> list[list[Finding]]:
    """Findings per text, remembered: the speakers stage and ``redact:sN`` of a session look
    at the same texts in the same run."""
    return find_personal_data(list(texts), names)


def replace(text: str, findings: list[Finding]) -> str:
    """``text`` with each finding replaced by its kind's placeholder (Presidio's anonymizer)."""
    if not findings:
        return text
    results = [RecognizerResult(f.kind.value, f.start, f.end, 1.0) for f in findings]
    return _ANONYMIZER.anonymize(text=text, analyzer_results=results, operators=_REPLACE).text


def _record(text: str, finding: Finding, where: str, segment: int | None = None, speaker: str | None = None,
            times: tuple[float, float] | None = None) -> Redaction:
    return Redaction(kind=finding.kind.value, original=text[finding.start:finding.end], placeholder=finding.kind.placeholder,
                     where=where, segment=segment, speaker=speaker, start=finding.start, end=finding.end,
                     time_start=times[0] if times else None, time_end=times[1] if times else None)


def _redacted_segment(segment: Segment, findings: list[Finding], items: list[Redaction]) -> Segment:
    if not findings:
        return segment
    spans = _word_spans(segment)
    words = list(segment.words)
    records = []
    for finding in reversed(findings):
        hit = [n for n, (start, end) in enumerate(spans) if start < finding.end and end > finding.start]
        times = (words[hit[0]].start, words[hit[-1]].end) if hit else None
        records.append(_record(segment.text, finding, "segment", segment=segment.index, times=times))
        if hit:
            first, last = words[hit[0]], words[hit[-1]]
            words[hit[0]:hit[-1] + 1] = [Word(start=first.start, end=last.end, text=f" {finding.kind.placeholder}",
                                              probability=min(w.probability for w in words[hit[0]:hit[-1] + 1]))]
            spans[hit[0]:hit[-1] + 1] = [(spans[hit[0]][0], spans[hit[-1]][1])]
    items.extend(reversed(records))
    return segment.model_copy(update={"text": replace(segment.text, findings), "words": words})


def _word_spans(segment: Segment) -> list[tuple[int, int]]:
    """Character span of each timed word in the segment's text (found in order)."""
    spans = []
    cursor = 0
    for word in segment.words:
        token = word.text.strip()
        at = segment.text.find(token, cursor) if token else -1
        if at < 0:
            spans.append((cursor, cursor))
            continue
        spans.append((at, at + len(token)))
        cursor = at + len(token)
    return spans


def _distinct(speakers: list[Speaker]) -> list[Speaker]:
    """Speakers whose labels became the same placeholder get numbers ("[NAME] 1", "[NAME] 2"):
    the speakers stage and the report tell speakers apart by label."""
    counts: dict[str, int] = {}
    for speaker in speakers:
        counts[speaker.label] = counts.get(speaker.label, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for speaker in speakers:
        if counts[speaker.label] > 1:
            seen[speaker.label] = seen.get(speaker.label, 0) + 1
            speaker = speaker.model_copy(update={"label": f"{speaker.label} {seen[speaker.label]}"})
        out.append(speaker)
    return out
