"""The offline analyser quotes participants verbatim, codes clear feelings plausibly, and never
quotes the moderator or an observer."""

from __future__ import annotations

from bristlenose.analysis.quotes import MAX_WORDS, MIN_WORDS, QuoteResponse, QuotesInput, extract_quotes
from bristlenose.analysis.text import find_verbatim, word_count
from bristlenose.analysis.topics import segment_topics
from bristlenose.llm import AnalysisRequest
from bristlenose.llm.offline import OfflineAnalyser
from bristlenose.models import QuoteType, Role, Sentiment, SessionQuotes, TopicMap, Transcript
from tests.test_offline_topics import SHOP, transcript_of


def quotes_of(transcript: Transcript) -> SessionQuotes:
    analyser = OfflineAnalyser()
    return extract_quotes(transcript, segment_topics(transcript, analyser), analyser)


def only(quotes: SessionQuotes, words: str) -> list:
    return [q for q in quotes.quotes if words in q.text]


def test_quotes_are_verbatim_participant_words_of_quotable_length() -> None:
    found = quotes_of(SHOP)
    assert found.quotes and found.dropped_unverified == 0
    for quote in found.quotes:
        segment = SHOP.segments[quote.segment_index]
        assert quote.text in segment.text
        assert find_verbatim(quote.text, segment.text) == quote.text
        assert MIN_WORDS <= word_count(quote.text) <= MAX_WORDS
        assert SHOP.role_of(quote.speaker) is Role.PARTICIPANT


def test_clear_frustration_is_coded_with_intensity() -> None:
    [quote] = only(quotes_of(SHOP), "really annoying")
    assert quote.sentiment is Sentiment.FRUSTRATION
    assert quote.intensity >= 2
    assert quote.topic == "Checkout" and quote.quote_type is QuoteType.SCREEN_SPECIFIC


def test_negated_praise_is_not_satisfaction() -> None:
    session = transcript_of([
        ("m1", "Could you go to the product page?"),
        ("p1", "It's not easy to find the ingredients on this product page at all."),
        ("m1", "Now let's look at the home screen."),
        ("p1", "The photos are lovely and big, I really like them."),
    ])
    found = quotes_of(session)
    [negated] = only(found, "not easy")
    assert negated.sentiment is not Sentiment.SATISFACTION
    assert negated.sentiment.is_friction
    [praise] = only(found, "photos are lovely")
    assert praise.sentiment in (Sentiment.DELIGHT, Sentiment.SATISFACTION)


def test_moderator_and_observer_are_never_quoted() -> None:
    session = transcript_of([
        ("m1", "I love this screen, I think it's brilliant and really easy, don't you?"),
        ("p1", "Honestly, the checkout is confusing, I'm not sure what the fee is for."),
        ("o1", "I find that really annoying too, it's so frustrating for everyone!"),
    ])
    found = quotes_of(session)
    assert [q.speaker for q in found.quotes] == ["p1"]


def test_leading_fillers_are_trimmed_but_the_quote_stays_verbatim() -> None:
    session = transcript_of([
        ("m1", "What do you make of the basket?"),
        ("p1", "Um, so, I think the substitutions toggle is really confusing, to be honest."),
    ])
    [quote] = quotes_of(session).quotes
    assert quote.text.startswith("I think the substitutions toggle")
    assert quote.text in session.segments[1].text
    assert quote.sentiment is Sentiment.CONFUSION


def test_a_dangling_quote_gets_the_moderators_subject_as_context() -> None:
    session = transcript_of([
        ("m1", "Let's go on to the checkout. What do you think about the delivery fee?"),
        ("p1", "That's far too much, I wasn't expecting to pay four pounds for delivery."),
        ("p1", "I would love to see the fee on the basket page before I start checking out."),
    ])
    found = quotes_of(session)
    [dangling] = only(found, "far too much")
    assert dangling.context == "the delivery fee"
    assert all(q.context == "" for q in found.quotes if q is not dangling)


def test_a_quote_that_refers_back_keeps_its_subject_as_context() -> None:
    session = transcript_of([
        ("m1", "You have a railcard. Could you add it?"),
        ("p1", "Hmm, passengers, no. Discounts, at the bottom. Where do I add it? That's really buried, so annoying."),
        ("p1", "The railcard should sit next to the passengers, honestly I'd expect it there."),
    ])
    found = quotes_of(session)
    assert {q.topic for q in found.quotes} == {"Railcard"}
    [referring] = only(found, "really buried")
    assert referring.context == "the railcard"
    assert all(q.context == "" for q in found.quotes if "railcard" in q.text.lower())


def test_screen_and_general_quotes() -> None:
    found = quotes_of(SHOP)
    by_topic = {q.topic: q.quote_type for q in found.quotes}
    assert by_topic["Home"] is QuoteType.SCREEN_SPECIFIC
    assert by_topic["Wrap-up"] is QuoteType.GENERAL


def test_quotes_of_one_segment_never_overlap() -> None:
    found = quotes_of(SHOP)
    spans = [(q.segment_index, SHOP.segments[q.segment_index].text.find(q.text), len(q.text)) for q in found.quotes]
    for index, (segment, start, length) in enumerate(spans):
        for other, other_start, other_length in spans[index + 1:]:
            assert segment != other or start + length <= other_start or other_start + other_length <= start


def test_no_participant_speech_means_no_quotes() -> None:
    session = transcript_of([("m1", "This is really annoying, I love it, it's brilliant!"), ("o1", "So confusing!")])
    assert quotes_of(session).quotes == []
    request = AnalysisRequest(task="quotes", system="", user="", response_model=QuoteResponse,
                              context=QuotesInput(transcript=session, topics=TopicMap(session_id="s1")))
    assert OfflineAnalyser().analyze(request).quotes == []


def test_same_transcript_gives_byte_identical_quotes() -> None:
    assert quotes_of(SHOP).model_dump_json() == quotes_of(SHOP.model_copy(deep=True)).model_dump_json()
