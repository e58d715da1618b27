"""Pattern recognisers for personal data with a recognisable shape.

Presidio's own recognisers check what can be checked (Luhn for cards, the IBAN checksum,
``phonenumbers`` for phone numbers). The shapes below catch what those let through: a
participant reading out a mistyped card number or a number written as words is still
telling us their card or phone number, so redaction errs on the side of removing it.
Only ``regex`` features Presidio itself uses are needed (variable-width lookbehind).
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer

from bristlenose.privacy.kinds import Kind

CASED = re.DOTALL | re.MULTILINE
ANY_CASE = CASED | re.IGNORECASE

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec")
ORDINAL_WORDS = ("first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
                 "fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
                 "twenty[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth|thirty[- ]first")
DAY = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|(?:the\s+)?(?:{ORDINAL_WORDS}))"
YEAR = r"(?:\d{4}|'\d{2}|(?:nineteen|twenty)[- ]\w+(?:[- ]\w+)?)"
DATE = (rf"(?:{DAY}\s+(?:of\s+)?(?:{MONTHS})\.?(?:,?\s+{YEAR})?"
        rf"|(?:{MONTHS})\.?\s+{DAY}(?:,?\s+{YEAR})?"
        r"|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}"
        rf"|(?:{MONTHS})\s+{YEAR}|(?<=\b(?:born|in|of)\s+(?:in\s+)?)(?:19|20)\d{{2}}\b)")
BIRTH_CUE = r"\b(?:born|birthday|date\s+of\s+birth|birth\s*date|d\.?o\.?b\.?)\b[^.?!\n]{0,40}?"

STREET_TYPES = ("Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Way|Court|Ct|Crescent|Cres|Place|Pl|Terrace|"
                "Gardens|Grove|Boulevard|Blvd|Square|Sq|Row|Mews|Rise|Walk|Parade|Highway|Hwy|Parkway|Circle|"
                "Strasse|Straße|Weg|Gasse|Platz")
CAPITALISED = r"[A-Z][\w'’.-]*"
HOUSE = r"(?:(?i:flat|apartment|apt|unit|suite)\s+\w+,?\s+)?\d{1,5}[A-Za-z]?(?:\s*[-/]\s*\d{1,5})?,?"
STREET = rf"{HOUSE}\s+(?:{CAPITALISED}\s+){{1,4}}(?i:{STREET_TYPES})\b\.?"
LIVING_ON = rf"(?<=\b(?i:live|lives|living|lived|moved|move|stay|staying)\s+(?i:at|on|in|to)\s+(?:the\s+)?)" \
            rf"(?:{CAPITALISED}\s+){{1,3}}(?i:{STREET_TYPES})\b"
LIVING_AT = rf"(?<=\b(?i:live|lives|living|lived|moved|address\s+is|address's)\s+(?:(?i:at|on|in|to)\s+)?)" \
            rf"\d{{1,5}}[A-Za-z]?,?\s+(?:[A-Za-z][\w'’.-]*\s+){{1,4}}(?i:{STREET_TYPES})\b"
STREET_FIRST = r"\b\d{1,5},?\s+(?i:rue|calle|via|avenida|chemin|allée|viale|piazza|plaza)\s+" \
               r"(?:(?i:de|du|des|la|le|del|della|di|da|do|dos)\s+)*[A-Z][\w'’-]+"
CODE_CUE = r"(?<=\b(?i:zip|zip\s+code|postcode|post\s+code|postal\s+code)(?:'s|\s+is)?[:\s]+)"
POSTCODE_UK = r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b"
POSTCODE_CA = r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"
ZIP_US = r"(?<=\b[A-Z]{2},?\s)\d{5}(?:-\d{4})?\b"

DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double|triple|\d{1,5})"
SPOKEN_NUMBER = rf"\b{DIGIT_WORD}(?:[\s,.-]+{DIGIT_WORD}){{2,}}\b"
DIGIT_RUN = r"(?<![\w.])(?:\+\s?\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)\s?)?\d{2,6}(?:[\s.-]\d{2,6}){0,5}(?![\w])"
LOCAL_PHONE = r"\b\d{3}[-.]\d{4}\b"

CARD_SHAPE = r"\b\d{4}(?:[\s-]?\d{4}){2,3}(?:[\s-]?\d{1,3})?\b"
CARD_END = r"(?<=\b(?i:ending|ends|end)\s+(?i:in|with)\s+)\d{4}\b"
IBAN_SHAPE = r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b"
SORT_CODE = r"(?<=\b(?i:sort\s*code)(?:\s+(?i:is))?[:\s]+)\d{2}[-\s]?\d{2}[-\s]?\d{2}\b"
ACCOUNT = r"(?<=\b(?i:account)(?:\s+(?i:number|no\.?))?(?:\s+(?i:is))?[:\s]+)\d{6,12}\b"

EMAIL = r"\b[\w+-]+(?:\s?\.\s?[\w+-]+)*\s?@\s?[\w-]+(?:\s?\.\s?[\w-]+)*\s?\.\s?[A-Za-z]{2,}\b"
TLDS = "com|org|net|co|uk|io|edu|gov|ac|de|fr|ie|au|ca|nl|es|it|info|me|us|biz|app|dev"
SPOKEN_EMAIL = (r"\b[a-z0-9]+(?:\s+(?:dot|underscore|dash|hyphen)\s+[a-z0-9]+)*\s+at\s+[a-z0-9-]+"
                rf"(?:\s+dot\s+[a-z0-9-]+)*?(?:\s+dot\s+(?:{TLDS}))+\b")


class SpokenNumberRecognizer(PatternRecognizer):
    """Numbers read out digit by digit, in words or figures ("oh seven seven double oh …",
    "077-0-0-9-0-0" as Whisper writes them): seven digits or more make a phone number, but
    not a list of prices ("12.99, 14.50")."""

    MIN_DIGITS = 7
    COUNTS = {"double": 1, "triple": 2}

    def validate_result(self, pattern_text: str) -> bool | None:
        words = re.findall(r"[a-z]+|\d+", pattern_text.lower())
        digits = sum(len(w) if w.isdigit() else self.COUNTS.get(w, 1) for w in words)
        prices = re.search(r"\d\.\d{2}(?!\d)", pattern_text) is not None
        return digits >= self.MIN_DIGITS and not prices and any(not w.isdigit() or len(w) < 3 for w in words)


class DigitRunRecognizer(PatternRecognizer):
    """Runs of digits long enough to be a phone number that ``phonenumbers`` did not accept."""

    MIN_DIGITS = 9
    MAX_DIGITS = 15

    def validate_result(self, pattern_text: str) -> bool | None:
        count = sum(ch.isdigit() for ch in pattern_text)
        return self.MIN_DIGITS <= count <= self.MAX_DIGITS


def _pattern(kind: Kind, name: str, regexes: list[str], flags: int, score: float = 0.6) -> PatternRecognizer:
    return PatternRecognizer(supported_entity=kind.value, name=name, global_regex_flags=flags,
                             patterns=[Pattern(f"{name}-{n}", regex, score) for n, regex in enumerate(regexes)])


def pattern_recognizers() -> list[PatternRecognizer]:
    """Every shape-based recogniser bristlenose adds to Presidio's."""
    return [
        _pattern(Kind.EMAIL, "email", [EMAIL], ANY_CASE, 0.9),
        _pattern(Kind.EMAIL, "spoken-email", [SPOKEN_EMAIL], ANY_CASE),
        _pattern(Kind.DATE_OF_BIRTH, "date-of-birth", [rf"(?<={BIRTH_CUE}){DATE}"], ANY_CASE, 0.8),
        _pattern(Kind.ADDRESS, "street", [STREET, LIVING_ON, LIVING_AT, STREET_FIRST], CASED),
        _pattern(Kind.ADDRESS, "postcode", [POSTCODE_UK], ANY_CASE),
        _pattern(Kind.ADDRESS, "zip-code", [POSTCODE_CA, ZIP_US, rf"{CODE_CUE}\d{{4,5}}(?:-\d{{4}})?\b"], CASED),
        SpokenNumberRecognizer(supported_entity=Kind.PHONE.value, name="spoken-number", global_regex_flags=ANY_CASE,
                               patterns=[Pattern("spoken-number", SPOKEN_NUMBER, 0.5)]),
        _pattern(Kind.PHONE, "local-phone", [LOCAL_PHONE], CASED, 0.5),
        DigitRunRecognizer(supported_entity=Kind.PHONE.value, name="digit-run", global_regex_flags=CASED,
                           patterns=[Pattern("digit-run", DIGIT_RUN, 0.5)]),
        _pattern(Kind.CARD, "card-shape", [CARD_SHAPE, CARD_END], ANY_CASE, 0.7),
        _pattern(Kind.IBAN, "iban-shape", [IBAN_SHAPE], CASED, 0.7),
        _pattern(Kind.BANK_ACCOUNT, "bank-account", [SORT_CODE, ACCOUNT], CASED, 0.7),
    ]
