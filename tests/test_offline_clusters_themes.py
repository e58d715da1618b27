"""The offline analyser groups quotes by place across sessions and finds themes that recur in at
least two sessions, named and described in the study's own words, asserting nothing the quotes
do not show."""

from __future__ import annotations

from pathlib import Path

from bristlenose.analysis.clusters import ClusterResponse, ClustersInput, cluster_screens
from bristlenose.analysis.merge import assign_participants, merge_quotes, merge_topics
from bristlenose.analysis.quotes import extract_quotes
from bristlenose.analysis.themes import ThemeResponse, ThemesInput, group_themes
from bristlenose.analysis.topics import segment_topics
from bristlenose.llm import AnalysisRequest
from bristlenose.llm import offline
from bristlenose.llm.offline import OfflineAnalyser
from bristlenose.models import (
    ExtractedQuotes,
    Quote,
    QuoteType,
    ScreenClusters,
    Sentiment,
    TopicBoundaries,
    TopicBoundary,
    TopicKind,
    TopicMap,
    Transcript,
)
from tests.test_offline_topics import transcript_of

ANALYSER = OfflineAnalyser()


def study(*sessions: Transcript) -> tuple[ExtractedQuotes, TopicBoundaries]:
    """Topics and merged quotes of ``sessions``, as the build would make them."""
    maps = [segment_topics(t, ANALYSER) for t in sessions]
    found = [extract_quotes(t, m, ANALYSER) for t, m in zip(sessions, maps, strict=True)]
    return merge_quotes(found, assign_participants(list(sessions))), merge_topics(maps)


S1 = transcript_of([
    ("m1", "Let's move on to the basket page."),
    ("p1", "I'm not sure what the substitutions toggle does, it's really confusing."),
    ("m1", "Now let's look at the checkout screen."),
    ("p1", "Oh, a delivery fee of four pounds just appeared. That's really annoying!"),
    ("m1", "What would you expect?"),
    ("p1", "I'd expect to see the fee and the total price before I pick a slot."),
], session_id="s1")
S2 = transcript_of([
    ("m1", "Could you go to the checkout?"),
    ("p1", "Wait, the total price went up. Why does it charge me more now? I don't trust that."),
    ("m1", "Let's go to the order tracking screen."),
    ("p1", "I love the little map with the driver on it, that's brilliant."),
], session_id="s2")
S3 = transcript_of([
    ("m1", "This is the checkout screen."),
    ("p1", "The extra service charge is frustrating, I feel like the price keeps changing."),
    ("m1", "And the order tracking screen?"),
    ("p1", "I really like that I can see the driver on a map, it's so reassuring."),
], session_id="s3")


def test_clusters_group_one_screen_across_sessions() -> None:
    quotes, topics = study(S1, S2, S3)
    clusters = cluster_screens(quotes, topics, ANALYSER)
    by_label = {c.label: c for c in clusters.clusters}
    assert {"Basket", "Checkout", "Order Tracking"} <= set(by_label)
    checkout = by_label["Checkout"]
    assert {i.split("-")[0] for i in checkout.quote_ids} == {"s1", "s2", "s3"}
    assert checkout.description.startswith(f"{len(checkout.quote_ids)} quotes from 3 participants in 3 sessions")
    assert "frustration" in checkout.description
    ids = [i for c in clusters.clusters for i in c.quote_ids]
    assert len(ids) == len(set(ids))


def quote(number: int, session: str, topic: str, text: str, sentiment: Sentiment = Sentiment.NONE) -> Quote:
    return Quote(id=f"{session}-q{number}", session_id=session, speaker=f"p{session[1:]}", segment_index=number,
                 start=float(number), text=text, topic=topic, quote_type=QuoteType.SCREEN_SPECIFIC,
                 sentiment=sentiment)


def test_labels_naming_one_place_join_and_no_label_is_made_up() -> None:
    quotes = [
        quote(1, "s1", "Checkout", "The delivery fee at the end really annoyed me.", Sentiment.FRUSTRATION),
        quote(1, "s2", "Checkout Screen", "Why does the total go up at the last step?", Sentiment.FRUSTRATION),
        quote(1, "s3", "Payment Page", "I'd want the price fixed before I pay.", Sentiment.DOUBT),
        quote(2, "s1", "Recipe Ideas", "The recipe ideas with ingredients are lovely.", Sentiment.DELIGHT),
        quote(2, "s2", "Recipes", "Recipe ideas with all the ingredients, brilliant.", Sentiment.DELIGHT),
    ]
    topics = TopicBoundaries(sessions=[
        TopicMap(session_id=s, boundaries=[TopicBoundary(segment_index=0, start=0, label="x", kind=TopicKind.SCREEN)])
        for s in ("s1", "s2", "s3")
    ])
    clusters = cluster_screens(ExtractedQuotes(quotes=quotes), topics, ANALYSER)
    assert [(c.label, sorted(c.quote_ids)) for c in clusters.clusters] == [
        ("Checkout", ["s1-q1", "s2-q1"]),
        ("Payment", ["s3-q1"]),
        ("Recipes", ["s1-q2", "s2-q2"]),
    ]


def test_themes_are_named_from_what_the_quotes_say_and_need_two_sessions() -> None:
    quotes, topics = study(S1, S2, S3)
    themes = group_themes(quotes, cluster_screens(quotes, topics, ANALYSER), ANALYSER)
    by_id = {q.id: q for q in quotes.quotes}
    assert themes.themes
    for theme in themes.themes:
        members = [by_id[i] for i in theme.quote_ids]
        sessions = len({q.session_id for q in members})
        assert sessions >= 2 and theme.label.endswith(f", {sessions} sessions")
        subject = theme.label.split(" — ")[0].lower()
        said = " ".join(f"{q.text} {q.context} {q.topic}".lower() for q in members)
        assert all(word in said for word in subject.split() if word != "and")
        assert theme.description.endswith(".") and " talk about " in theme.description
    tracking = next(t for t in themes.themes if any(by_id[i].topic == "Order Tracking" for i in t.quote_ids))
    assert "delight" in tracking.label and "“brilliant”" in tracking.description


def test_a_theme_says_what_its_quotes_share_how_they_feel_and_how_widely() -> None:
    quotes = ExtractedQuotes(quotes=[
        quote(1, "s1", "Wardrobe", "The outfit planner keeps forgetting my saved outfits, so frustrating.",
              Sentiment.FRUSTRATION),
        quote(1, "s2", "Wardrobe", "My saved outfits vanished from the outfit planner again, annoying.",
              Sentiment.FRUSTRATION),
        quote(1, "s3", "Wardrobe", "Why does the outfit planner lose saved outfits overnight?", Sentiment.FRUSTRATION),
    ])
    [theme] = group_themes(quotes, ScreenClusters(), ANALYSER).themes
    assert theme.label == "Outfit planner — frustration, 3 sessions"
    assert theme.description.startswith("3 quotes from 3 participants in 3 sessions talk about ")
    assert "with frustration, in words such as “so frustrating”" in theme.description


def test_the_package_holds_no_canned_findings() -> None:
    package = Path(offline.__file__).parent
    assert not (package / "findings.py").exists()
    text = "\n".join(path.read_text(encoding="utf-8") for path in package.glob("*.py")).lower()
    for canned in ("erode trust", "forgives too little", "checkout", "basket", "grocer", "delivery slot"):
        assert canned not in text


def test_empty_inputs_give_empty_outputs() -> None:
    empty = ExtractedQuotes()
    assert cluster_screens(empty, TopicBoundaries(), ANALYSER).clusters == []
    assert group_themes(empty, ScreenClusters(), ANALYSER).themes == []
    clusters = AnalysisRequest(task="clusters", system="", user="", response_model=ClusterResponse,
                               context=ClustersInput(quotes=[], topics=TopicBoundaries()))
    themes = AnalysisRequest(task="themes", system="", user="", response_model=ThemeResponse,
                             context=ThemesInput(quotes=[], clusters=ScreenClusters()))
    assert ANALYSER.analyze(clusters).clusters == [] and ANALYSER.analyze(themes).themes == []


def test_single_session_gives_no_themes() -> None:
    quotes, topics = study(S1)
    assert group_themes(quotes, cluster_screens(quotes, topics, ANALYSER), ANALYSER).themes == []


def test_same_quotes_give_byte_identical_clusters_and_themes() -> None:
    def run() -> str:
        quotes, topics = study(S1, S2, S3)
        clusters = cluster_screens(quotes, topics, ANALYSER)
        return clusters.model_dump_json() + group_themes(quotes, clusters, ANALYSER).model_dump_json()

    assert run() == run()


def test_a_description_quotes_whole_words_never_a_cut_off_question() -> None:
    quotes = ExtractedQuotes(quotes=[
        quote(1, "s1", "Insights", "Why does it put my rent under shopping? The categories are wrong.",
              Sentiment.FRUSTRATION),
        quote(1, "s2", "Insights", "Why does it file the gym under entertainment? The categories are useless.",
              Sentiment.FRUSTRATION),
    ])
    [theme] = group_themes(quotes, ScreenClusters(), ANALYSER).themes
    assert "Why does it" not in theme.description
    assert "“useless”" in theme.description
