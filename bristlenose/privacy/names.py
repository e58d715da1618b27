"""Finding people's names in interview speech.

spaCy's small English model tags PERSON spans, but on conversational text it also tags
made-up product names and brands as people ("Zentrofy", "Netflix") and misses first names
it takes for places. So a NER person is only taken as a name when a word of it is a known
given name or surname, and a capitalised proper noun that is a known given name is a name
whatever NER says, unless NER calls it a place or organisation right after a word that
introduces places ("in Florence"). Cues that only people take ("my wife X", "Mrs X", "my
name is X", "X told me") make any capitalised word a name. The names lists come from
Faker's person providers (MIT); the rules lean towards redacting, as a name that reaches a
provider costs more than a brand shown as [NAME].
"""

from __future__ import annotations

import importlib
from functools import lru_cache

import regex as re
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.tokens import Doc, Token

from bristlenose.privacy.kinds import Kind

# Latin-script locales: given names and surnames from many naming traditions.
NAME_LOCALES = ("en_GB", "en_US", "en_IE", "en_NZ", "en_IN", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR",
                "pl_PL", "tr_TR", "yo_NG", "zu_ZA", "sw", "sv_SE", "da_DK", "no_NO", "fi_FI", "cs_CZ", "ro_RO",
                "hu_HU", "id_ID", "fil_PH", "ga_IE", "et_EE", "lv_LV", "lt_LT", "sk_SK", "sl_SI", "hr_HR")
PLACE_LIKE = {"GPE", "LOC", "FAC", "ORG"}
PLACE_WORDS = {"in", "at", "to", "from", "near", "into", "visit", "visiting", "around", "via", "outside", "live", "of"}
NOT_PEOPLE = {"GPE", "LOC", "FAC", "ORG", "PRODUCT", "NORP", "WORK_OF_ART", "EVENT", "LANGUAGE", "LAW"}
FUNCTION_WORDS = r"(?:the|a|an|on|in|at|not|just|also|there|here|still|down|up|spelled|spelt|and|but|so|like|really)"
NAME = r"(?!I['’])[A-Z][\w'’-]+"
RELATIONS = ("wife|husband|partner|son|daughter|kids?|child|children|mum|mom|mother|dad|father|brother|sister|"
             "friend|boss|manager|colleague|neighbour|neighbor|grandson|granddaughter|grandma|grandad|grandpa|"
             "grandmother|grandfather|uncle|aunt|auntie|cousin|niece|nephew|fianc[eé]e?|girlfriend|boyfriend|"
             "flatmate|roommate|housemate|carer|nanny|childminder|landlord|landlady|ex|stepson|stepdaughter|baby|"
             "teacher|doctor|gp|coworker|co-worker|mate|best friend|other half")
TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Uncle|Aunt|Auntie|Nana|Granny|Grandma|Grandpa|Grandad)"
CUES = [
    rf"(?<=\b(?i:my\s+name\s+is|my\s+name's|call\s+me)\s+)(?!{FUNCTION_WORDS}\b)[A-Za-z][\w'’-]+",
    rf"(?<=\b(?i:my\s+name\s+is|my\s+name's|i'm\s+called|i\s+am\s+called|call\s+me|name's)\s+){NAME}"
    rf"(?:\s+{NAME})?",
    rf"(?<=\b(?i:my|our|his|her|their)\s+(?:(?i:little|older|younger|eldest|youngest|new|old)\s+)?(?i:{RELATIONS})"
    rf"(?:(?:,|\s+(?i:is|was|who's|called|named))?\s+)){NAME}(?:\s+{NAME})?",
    rf"(?<=\b{TITLES}\.?\s+){NAME}(?:\s+{NAME})?",
    rf"(?<=\b(?i:hi|hello|hey|thanks|thank\s+you|cheers|bye),?\s+){NAME}",
]
SELF_INTRO = rf"(?<=\b(?i:i'm|i\s+am|this\s+is|it's)\s+){NAME}(?:\s+{NAME})?"
SAYS = r"\s+(?:said|says|told|tells|asked|asks|texted|texts|emailed|messaged|rang|phoned|called|calls|reckons)\b"


@lru_cache(maxsize=1)
def name_lists() -> tuple[frozenset[str], frozenset[str]]:
    """(given names, surnames), lower-cased, from Faker's person providers."""
    given: set[str] = set()
    family: set[str] = set()
    for locale in NAME_LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:
            continue
        for attr, into in (("first_names", given), ("first_names_male", given), ("first_names_female", given),
                           ("last_names", family)):
            into.update(n.lower() for n in getattr(provider, attr, ()) if n.isalpha() and len(n) > 1)
    return frozenset(given), frozenset(family)


class NameRecognizer(EntityRecognizer):
    """People's names from NER, names lists and cues (see the module's docstring)."""

    def __init__(self, english_words: frozenset[str] = frozenset()) -> None:
        super().__init__(supported_entities=[Kind.NAME.value], name="bristlenose-names", supported_language="en")
        self.english_words = english_words

    def load(self) -> None:
        name_lists()

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        spans: list[tuple[int, int]] = [*_cued(text)]
        doc = nlp_artifacts.tokens if nlp_artifacts is not None else None
        if isinstance(doc, Doc):
            spans += [*_ner_people(doc, self.english_words), *_listed_given_names(doc), *_self_introduced(text, doc)]
        return [RecognizerResult(Kind.NAME.value, start, end, 0.85) for start, end in spans]


def _cued(text: str) -> list[tuple[int, int]]:
    found = [(m.start(), m.end()) for cue in CUES for m in re.finditer(cue, text)]
    given = name_lists()[0]
    for m in re.finditer(rf"\b({NAME}){SAYS}", text):
        if m.group(1).lower() in given:
            found.append(m.span(1))
    return found


def _ner_people(doc: Doc, english_words: frozenset[str]) -> list[tuple[int, int]]:
    """NER persons with a given name in them, or a surname; a lone surname that is also an
    English word ("Cook", "Baker", "Hall") is too often a screen, shop or thing to count."""
    given, family = name_lists()
    spans = []
    for ent in doc.ents:
        words = [token.text.lower() for token in ent if token.text[:1].isupper()]
        if ent.label_ != "PERSON" or not words:
            continue
        lone_common_word = len(words) == 1 and words[0] in english_words
        if any(w in given for w in words) or (any(w in family for w in words) and not lone_common_word):
            spans.append((ent.start_char, ent.end_char))
    return spans


def _listed_given_names(doc: Doc) -> list[tuple[int, int]]:
    """Capitalised proper nouns that are given names, with a following surname. A given name
    NER calls a place or organisation is still a name unless it follows a word that
    introduces places ("in Florence", "to Sydney and Jordan"): the small model's labels
    other than PERSON are unreliable on names ("Jack and Ella" come out as a work of art),
    and a missed name costs more than a brand such as "Nando's" taken for one."""
    given, family = name_lists()
    spans = []
    for token in doc:
        if not (token.pos_ == "PROPN" and token.text[:1].isupper() and token.text.lower() in given):
            continue
        if token.ent_type_ in PLACE_LIKE and _after_place_word(token):
            continue
        end = token
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if following is not None and following.text[:1].isupper() and following.text.lower() in family:
            end = following
        spans.append((token.idx, end.idx + len(end.text)))
    return spans


def _after_place_word(token: Token) -> bool:
    """True when a word such as "in" or "to" comes before ``token`` or before the list it is in."""
    for previous in reversed(token.doc[max(0, token.i - 8):token.i]):
        if previous.lower_ in PLACE_WORDS:
            return True
        if not (previous.ent_type_ in PLACE_LIKE or previous.text in {",", "and", "or", "&"}):
            return False
    return False


def _self_introduced(text: str, doc: Doc) -> list[tuple[int, int]]:
    """"I'm Dana": a proper noun after a self-introduction, not a nationality or place."""
    spans = []
    for m in re.finditer(SELF_INTRO, text):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is not None and span[0].pos_ == "PROPN" and span[0].ent_type_ not in NOT_PEOPLE:
            spans.append((m.start(), m.end()))
    return spans
