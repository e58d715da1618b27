"""The offline analyser segments sessions into topics at moderator transitions and vocabulary
shifts, names product screens readably, and answers the same way every time."""

from __future__ import annotations

import pytest

from bristlenose.analysis.topics import TopicResponse, TopicsInput, segment_topics
from bristlenose.llm import AnalysisRequest, Provider, ProviderError
from bristlenose.llm.offline import MODEL, OfflineAnalyser
from bristlenose.models import Role, Segment, SourceFile, Speaker, TopicKind, Transcript

ROLES = {"m": Role.MODERATOR, "p": Role.PARTICIPANT, "o": Role.OBSERVER}


def transcript_of(lines: list[tuple[str, str]], session_id: str = "s1") -> Transcript:
    """A transcript from ``(speaker code, text)`` pairs, ten seconds apart; roles from the code's letter."""
    codes = list(dict.fromkeys(code for code, _ in lines))
    return Transcript(
        session_id=session_id,
        name=f"interview {session_id}",
        sources=[SourceFile(path=f"{session_id}.txt", kind="transcript")],
        speakers=[Speaker(code=code, label=code.upper(), role=ROLES[code[0]]) for code in codes],
        segments=[Segment(index=i, start=10.0 * i, end=10.0 * i + 9, speaker=code, text=text)
                  for i, (code, text) in enumerate(lines)],
    )


SHOP = transcript_of([
    ("m1", "Hi, thanks for joining today. There are no right or wrong answers, just think aloud."),
    ("p1", "Sure, happy to help."),
    ("m1", "Do you shop for groceries online at the moment?"),
    ("p1", "Now and then, mostly when I'm too busy to get to the supermarket."),
    ("m1", "Great. Let's move on to the home screen. What do you think of it?"),
    ("p1", "It's clean. I like the big photos of the food."),
    ("m1", "Anything you'd change on this screen?"),
    ("p1", "Maybe fewer banners, there are a lot of offers at the top."),
    ("m1", "Now let's look at the basket."),
    ("p1", "Okay, three items and a total. That's clear enough."),
    ("p1", "I'm not sure what the substitutions toggle does though."),
    ("m1", "What would you expect it to do?"),
    ("p1", "Swap things that are out of stock, I suppose."),
    ("m1", "Could you go to the checkout screen?"),
    ("p1", "Card details, fine. Oh, there's a delivery fee now. That's really annoying!"),
    ("m1", "How do you feel about the fee?"),
    ("p1", "I'd have expected to see it on the basket page, before I got this far."),
    ("m1", "Before we finish, any final thoughts?"),
    ("p1", "The basket toggle confused me, and the fee. Otherwise it was easy."),
    ("m1", "Thank you so much."),
])


def test_boundaries_fall_on_moderator_transitions_with_screen_labels() -> None:
    topics = segment_topics(SHOP, OfflineAnalyser())
    assert [(b.segment_index, b.label, b.kind) for b in topics.boundaries] == [
        (0, "Introduction", TopicKind.GENERAL),
        (4, "Home", TopicKind.SCREEN),
        (8, "Basket", TopicKind.SCREEN),
        (13, "Checkout", TopicKind.SCREEN),
        (17, "Wrap-up", TopicKind.GENERAL),
    ]
    assert all(b.start == SHOP.segments[b.segment_index].start for b in topics.boundaries)
    assert "participant turn" in topics.boundaries[1].summary


def test_screen_names_are_read_from_how_the_moderator_puts_it() -> None:
    session = transcript_of([
        ("m1", "Next I'd like you to search for some pasta."),
        ("p1", "Okay, typing pasta. Here are the search results."),
        ("p1", "Lots of options, I'd filter by price."),
        ("m1", "Now could you go to the order tracking screen?"),
        ("p1", "A little map with the van moving, I love that."),
        ("p1", "It says the driver is four stops away."),
        ("m1", "Let's go to the wardrobe page."),
        ("p1", "Hmm, my saved outfits are here, that's handy."),
        ("p1", "I'd want to sort them by season."),
    ])
    labels = [(b.label, b.kind) for b in segment_topics(session, OfflineAnalyser()).boundaries]
    assert labels == [("Search", TopicKind.SCREEN), ("Order Tracking", TopicKind.SCREEN),
                      ("Wardrobe", TopicKind.SCREEN)]


def test_a_sharp_shift_in_participant_vocabulary_starts_a_topic() -> None:
    cooking = [
        "I cook dinner most evenings, usually pasta or a curry with rice and vegetables.",
        "Recipes come from cookbooks, and I plan meals around the vegetables in the fridge.",
        "Cooking relaxes me, chopping onions, stirring sauces, tasting the curry as it simmers.",
    ]
    commuting = [
        "My commute is a train then a bus, about forty minutes each way to the office.",
        "Trains are often delayed, so I check the timetable app before leaving the station.",
        "On the bus I read or listen to podcasts until my stop near the office.",
    ]
    lines: list[tuple[str, str]] = []
    for said in cooking + commuting:
        lines += [("m1", "Mm-hm. And?"), ("p1", said)]
    topics = segment_topics(transcript_of(lines), OfflineAnalyser())
    assert [b.segment_index for b in topics.boundaries] == [0, 6]
    assert all(b.kind is TopicKind.GENERAL for b in topics.boundaries)
    assert topics.boundaries[0].label != topics.boundaries[1].label


def test_tiny_topics_merge_into_a_neighbour() -> None:
    session = transcript_of([
        ("m1", "Let's move on to the home screen."),
        ("p1", "It's tidy, I like the photos."),
        ("p1", "The recipes at the top are a nice idea."),
        ("m1", "Next task."),
        ("p1", "Okay."),
        ("m1", "Let's go to the basket page."),
        ("m1", "Actually, first, let's look at the checkout screen."),
        ("p1", "Card details and the total, that's fine."),
        ("p1", "I'd like to see the delivery fee earlier."),
    ])
    topics = segment_topics(session, OfflineAnalyser())
    assert [(b.segment_index, b.label) for b in topics.boundaries] == [(0, "Home"), (5, "Checkout")]


def test_same_transcript_gives_byte_identical_topics() -> None:
    first = segment_topics(SHOP, OfflineAnalyser()).model_dump_json()
    second = segment_topics(SHOP.model_copy(deep=True), OfflineAnalyser()).model_dump_json()
    assert first == second


def test_empty_and_moderator_only_transcripts() -> None:
    assert segment_topics(transcript_of([]), OfflineAnalyser()).boundaries == []
    alone = transcript_of([("m1", "Hello? Can you hear me?"), ("m1", "Let's move on to the home screen.")])
    topics = segment_topics(alone, OfflineAnalyser())
    assert len(topics.boundaries) == 1 and topics.boundaries[0].segment_index == 0


def test_is_a_provider_and_refuses_unknown_tasks() -> None:
    analyser = OfflineAnalyser()
    assert isinstance(analyser, Provider)
    assert (analyser.name, analyser.model) == ("offline", MODEL)
    request = AnalysisRequest(task="poetry", system="", user="", response_model=TopicResponse,
                              context=TopicsInput(transcript=SHOP))
    with pytest.raises(ProviderError, match="poetry"):
        analyser.analyze(request)


@pytest.mark.parametrize(("said", "label"), [
    ("Could you go to the payments screen?", "Payments"),
    ("So this is the accounts overview. What do you make of it?", "Accounts Overview"),
    ("Lastly, let's look at spending insights.", "Spending Insights"),
    ("First, could you sign in for me?", "Sign in"),
    ("You have a railcard. Could you add it?", "Railcard"),
    ("Your train was delayed. Could you claim delay repay?", "Delay Repay"),
    ("Where would you go to find your statements?", "Statements"),
    ("Let's move on to payments. Could you pay your landlord the rent?", "Payments"),
    ("Now, could you have a look at the roles and permissions page?", "Roles and Permissions"),
])
def test_a_place_is_named_in_the_moderators_own_words(said: str, label: str) -> None:
    session = transcript_of([("m1", said), ("p1", "Okay, let me have a look at that."), ("p1", "Right, I see it.")])
    [topic] = segment_topics(session, OfflineAnalyser()).boundaries
    assert (topic.label, topic.kind) == (label, TopicKind.SCREEN)


def test_an_item_to_look_for_is_not_a_place_and_the_stretch_is_named_by_what_it_talks_about() -> None:
    session = transcript_of([
        ("m1", "Next, could you find some broccoli for me?"),
        ("p1", "Search bar at the top. Typing broccoli. Nothing found, oh."),
        ("m1", "How do you feel about the search overall?"),
        ("p1", "It should have guessed what I meant, honestly that's annoying."),
    ])
    [topic] = segment_topics(session, OfflineAnalyser()).boundaries
    assert (topic.label, topic.kind) == ("Search", TopicKind.SCREEN)


def test_a_place_within_the_current_one_does_not_start_a_topic() -> None:
    session = transcript_of([
        ("m1", "Now, could you have a look at the roles and permissions page?"),
        ("p1", "Roles. Admin, manager, viewer. The permission names are vague."),
        ("p1", "I'd want a table of what each role can do."),
        ("m1", "Could you create a custom role for the duty managers?"),
        ("p1", "Copy from manager, untick payroll. That's neat."),
    ])
    assert [b.label for b in segment_topics(session, OfflineAnalyser()).boundaries] == ["Roles and Permissions"]
