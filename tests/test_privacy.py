"""PII redaction as pure functions: every kind becomes its placeholder, product names, places
and brands stay, names from speaker labels go everywhere, word timings follow the text, and
the speakers stage only ever sees redacted text."""

from __future__ import annotations

import numpy as np
import pytest

from bristlenose.models import Role, Segment, SourceFile, Speaker, Transcript, Word
from bristlenose.privacy.detect import find_personal_data
from bristlenose.privacy.redact import attribute_without_personal_data, known_names, redact_transcript


def transcript(*turns: tuple[str, str], labels: dict[str, str] | None = None, name: str = "session") -> Transcript:
    labels = labels or {"m1": "Interviewer", "p1": "Participant"}
    return Transcript(
        session_id="s1", name=name, sources=[],
        speakers=[Speaker(code=code, label=label, role=Role.MODERATOR if code.startswith("m") else Role.PARTICIPANT)
                  for code, label in labels.items()],
        segments=[Segment(index=n, start=n * 10.0, speaker=code, text=text) for n, (code, text) in enumerate(turns)])


def redacted_text(text: str) -> str:
    return redact_transcript(transcript(("p1", text)))[0].segments[0].text


@pytest.mark.parametrize(("text", "value", "placeholder"), [
    ("You can email me on alex.morgan@example.net any time.", "alex.morgan@example.net", "[EMAIL]"),
    ("It's a dot morgan at example dot com, all lower case.", "morgan at example dot com", "[EMAIL]"),
    ("Write to dee . lowe @ example . org if it breaks.", "lowe @ example", "[EMAIL]"),
    ("the postcode's m14 5tq I think.", "m14 5tq", "[ADDRESS]"),
    ("Springfield, and my zip is 62704.", "62704", "[ADDRESS]"),
    ("We're at 5 Rue de Rivoli, near the river.", "5 Rue de Rivoli", "[ADDRESS]"),
    ("My mobile is 07700 900982 if you need it.", "07700 900982", "[PHONE]"),
    ("Call the office on +44 161 496 0733 please.", "+44 161 496 0733", "[PHONE]"),
    ("It's oh seven seven double oh, nine double oh, five five five.", "seven seven double oh", "[PHONE]"),
    ("You can call me on 077-0-0-9-0-0-4-6-1 after six.", "077-0-0-9", "[PHONE]"),
    ("We moved to 8 Willow Crescent last spring.", "8 Willow Crescent", "[ADDRESS]"),
    ("The postcode is LS6 2QT I think.", "LS6 2QT", "[ADDRESS]"),
    ("The number on the card is 4111 1111 1111 1111.", "4111 1111 1111 1111", "[CARD]"),
    ("I typed 1234 5678 9012 3456 but it said invalid.", "1234 5678 9012 3456", "[CARD]"),
    ("Paid with the card ending in 9921 as usual.", "9921", "[CARD]"),
    ("Our IBAN is GB82 WEST 1234 5698 7654 32 for the joint account.", "GB82 WEST 1234 5698 7654 32", "[IBAN]"),
    ("Sort code 60-16-13 and the account number is 31926819.", "31926819", "[BANK ACCOUNT]"),
    ("I was born on the 3rd of March 1985, so not young.", "3rd of March 1985", "[DATE OF BIRTH]"),
    ("My date of birth is 17/08/1990, it asked twice.", "17/08/1990", "[DATE OF BIRTH]"),
    ("My National Insurance number is JG 10 37 52 B apparently.", "JG 10 37 52 B", "[ID NUMBER]"),
    ("My name is Eleanor Whitcombe and I run a bakery.", "Eleanor Whitcombe", "[NAME]"),
    ("My husband, Declan, does the online shop.", "Declan", "[NAME]"),
    ("Our landlord Mr Varga never answers emails.", "Varga", "[NAME]"),
    ("Yeah Marcus from the bank said it was fine.", "Marcus", "[NAME]"),
    ("my name is tamsin and I work nights.", "tamsin", "[NAME]"),
    ("My kids are Jack and Ella, they're seven and nine.", "Ella", "[NAME]"),
    ("i live at 12 high street near the park.", "12 high street", "[ADDRESS]"),
    ("I was born in Leeds in 1990 and moved away.", "1990", "[DATE OF BIRTH]"),
])
def test_each_kind_of_personal_data_becomes_its_placeholder(text: str, value: str, placeholder: str) -> None:
    redacted = redacted_text(text)
    assert value not in redacted
    assert placeholder in redacted


def test_a_given_name_after_a_word_that_introduces_places_stays_a_place() -> None:
    redacted = redacted_text("Chelsea came round, then we drove to Florence for the weekend.")
    assert redacted == "[NAME] came round, then we drove to Florence for the weekend."


def test_counts_years_and_prices_are_not_phone_numbers() -> None:
    text = "We moved in 2019, 2020 and 2021. I'd say 3, 4, 5 times a week. Prices were 12.99, 14.50, 3.20 and 1.10."
    assert redacted_text(text) == text


def test_product_names_places_and_brands_survive() -> None:
    text = ("I use Brimble on my iPhone for the Tesco shop in Manchester, then Spotify and Netflix at home. "
            "We flew from Heathrow to Sydney with Qantas, and I paid with Apple Pay through Monzo.")
    redacted = redacted_text(text)
    for word in ("Brimble", "iPhone", "Tesco", "Manchester", "Spotify", "Netflix", "Heathrow", "Sydney", "Qantas",
                 "Apple Pay", "Monzo"):
        assert word in redacted, word


def test_names_from_speaker_labels_are_redacted_in_any_case_and_labels_stay_distinct() -> None:
    session = transcript(("m1", "Thanks OWEN, and thanks to ada too."), ("p1", "No worries, Ada here."),
                         labels={"m1": "Owen Pryce (Moderator)", "p1": "Ada Lindgren"},
                         name="Call with Ada Lindgren")
    assert known_names(session) == {"Owen", "Pryce", "Ada", "Lindgren"}
    redacted, record = redact_transcript(session)
    assert [s.text for s in redacted.segments] == ["Thanks [NAME], and thanks to [NAME] too.", "No worries, [NAME] here."]
    assert [s.label for s in redacted.speakers] == ["[NAME] (Moderator)", "[NAME]"]
    assert redacted.name == "Call with [NAME]"
    assert {(r.where, r.original) for r in record.items} >= {("speaker", "Ada Lindgren"), ("session", "Ada Lindgren"),
                                                           ("segment", "OWEN"), ("segment", "ada")}


def test_file_names_holding_a_name_are_redacted() -> None:
    session = transcript(("p1", "Hello."), labels={"m1": "Interviewer", "p1": "Ada Lindgren"})
    session = session.model_copy(update={"sources": [SourceFile(path="Ada Lindgren call.vtt", kind="transcript")]})
    redacted, record = redact_transcript(session)
    assert redacted.sources == [SourceFile(path="[NAME] call.vtt", kind="transcript")]
    assert ("source", "Ada Lindgren") in {(r.where, r.original) for r in record.items}


def test_labels_that_become_the_same_placeholder_are_numbered() -> None:
    redacted, _ = redact_transcript(transcript(("m1", "Hello."), ("p1", "Hi."), labels={"m1": "Ann Lee", "p1": "Bo Chen"}))
    assert [s.label for s in redacted.speakers] == ["[NAME] 1", "[NAME] 2"]


def test_a_redacted_value_keeps_its_word_timings_in_the_audit_and_the_words_are_replaced() -> None:
    words = ["My", "email", "is", "jo.kim@example.org", "thanks."]
    segment = Segment(index=0, start=1.0, end=3.5, speaker="p1", text=" ".join(words),
                      words=[Word(start=1.0 + n * 0.5, end=1.4 + n * 0.5, text=f" {w}", probability=0.9)
                             for n, w in enumerate(words)])
    session = transcript().model_copy(update={"segments": [segment]})
    redacted, record = redact_transcript(session)
    [item] = record.items
    assert (item.kind, item.original, item.segment, item.time_start, item.time_end) == \
        ("EMAIL", "jo.kim@example.org", 0, 2.5, 2.9)
    assert segment.text[item.start:item.end] == "jo.kim@example.org"
    assert [w.text for w in redacted.segments[0].words] == [" My", " email", " is", " [EMAIL]", " thanks."]
    assert redacted.segments[0].text == "My email is [EMAIL] thanks."


def test_text_without_personal_data_is_left_as_it_is() -> None:
    session = transcript(("m1", "What do you think of the basket screen?"),
                         ("p1", "It's clear, but the total at the bottom is confusing."))
    redacted, record = redact_transcript(session)
    assert redacted == session and record.items == []


def test_speaker_roles_are_decided_on_redacted_text_and_applied_to_the_original() -> None:
    session = transcript(("m1", "Hi Freya, tell me about your week."), ("p1", "Sure, my number is 07700 900111."),
                         labels={"m1": "Kit Moreau", "p1": "Freya Solberg"})
    seen: list[Transcript] = []

    def assign(t: Transcript) -> Transcript:
        seen.append(t)
        swapped = {"m1": "p1", "p1": "m1"}
        return t.model_copy(update={
            "speakers": [Speaker(code=swapped[s.code], label=s.label, role=Role.PARTICIPANT if s.code == "m1"
                                 else Role.MODERATOR) for s in t.speakers],
            "segments": [seg.model_copy(update={"speaker": swapped[seg.speaker]}) for seg in t.segments]})

    attributed = attribute_without_personal_data(session, assign)
    sent = seen[0].model_dump_json()
    for value in ("Freya", "Kit", "Moreau", "Solberg", "07700 900111"):
        assert value not in sent
    assert [(s.code, s.label, s.role) for s in attributed.speakers] == [
        ("p1", "Kit Moreau", Role.PARTICIPANT), ("m1", "Freya Solberg", Role.MODERATOR)]
    assert [(s.speaker, s.text) for s in attributed.segments] == [
        ("p1", "Hi Freya, tell me about your week."), ("m1", "Sure, my number is 07700 900111.")]


def test_empty_texts_have_no_findings() -> None:
    assert find_personal_data(["", "   "]) == [[], []]


def test_recording_spans_are_word_exact_with_timings_and_whole_cues_without() -> None:
    from bristlenose.privacy.recording import PAD_SECONDS, silence, silenced_spans

    timed = Segment(index=0, start=0.0, end=3.0, speaker="p1", text="Call 07700 900444 please",
                    words=[Word(start=s, end=s + 0.4, text=f" {w}", probability=0.9)
                           for s, w in ((0.0, "Call"), (0.5, "07700"), (1.0, "900444"), (1.5, "please"))])
    cue = Segment(index=1, start=4.0, end=7.0, speaker="p1", text="Email me at ian.ross@example.com then.")
    session = transcript().model_copy(update={"segments": [timed, cue]})
    _, record = redact_transcript(session)
    spans = silenced_spans(session, record)
    assert spans == [(0.5 - PAD_SECONDS, 1.4 + PAD_SECONDS), (4.0, 7.0)]
    samples = silence(np.ones(80, dtype=np.float32), 10, spans)
    assert samples[:3].all() and not samples[4:15].any() and samples[16:40].all() and not samples[40:70].any()
