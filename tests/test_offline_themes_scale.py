"""Offline theming scales to big studies without changing what small ones get: similarities are
only worked out for quotes that share a word, quotes worded alike start as one cluster, and past a
cap only the most opinionated quotes are clustered pair by pair while the rest join the groups found."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bristlenose.analysis.themes import ThemesInput
from bristlenose.llm.offline import themes
from bristlenose.llm.offline.text import cosine, sparse_cosines
from bristlenose.models import Quote, QuoteType, ScreenClusters, Sentiment

ROOT = Path(__file__).resolve().parents[1]
WORDS = ("outfit planner wardrobe jacket scarf playlist shuffle song album podcast garden seedling compost "
         "trowel kayak paddle river canoe").split()


def quote(number: int, text: str, sentiment: Sentiment = Sentiment.NONE, intensity: int = 1) -> Quote:
    session = f"s{number % 4 + 1}"
    return Quote(id=f"{session}-q{number}", session_id=session, speaker="p1", segment_index=number,
                 start=float(number), text=text, topic="General", quote_type=QuoteType.GENERAL,
                 sentiment=sentiment, intensity=intensity)


def random_texts(count: int, seed: int) -> list[str]:
    """Short texts over a small vocabulary, so that many (not all) pairs share a word."""
    import random

    rng = random.Random(seed)
    return [" ".join(rng.sample(WORDS, rng.randint(2, 5))) for _ in range(count)]


def test_similarity_is_only_worked_out_for_pairs_that_share_a_word() -> None:
    texts = [f"w{2 * i}x w{2 * i + 1}x" for i in range(200)]
    vectors = themes._tfidf(texts)
    near = sparse_cosines(vectors, range(len(vectors)))
    assert sum(len(partners) for partners in near.values()) == 0  # no two texts share a word

    vectors = themes._tfidf(random_texts(60, seed=3))
    near = sparse_cosines(vectors, range(len(vectors)))
    for a, b in itertools.combinations(range(len(vectors)), 2):
        if vectors[a].keys() & vectors[b].keys():
            assert near[a][b] == near[b][a] == cosine(vectors[a], vectors[b])  # bit for bit
        else:
            assert b not in near[a] and a not in near[b]


def _reference_average_link(vectors: list[dict[str, float]]) -> list[list[int]]:
    """Textbook average link: mean cosine over all cross pairs, every pair of clusters, every round."""
    clusters = [[i] for i in range(len(vectors))]
    while len(clusters) > 1:
        scored = [(sum(cosine(vectors[i], vectors[j]) for i in left for j in right) / (len(left) * len(right)),
                   -a, -b) for (a, left), (b, right) in itertools.combinations(enumerate(clusters), 2)]
        score, a, b = max(scored)
        if score < themes._MERGE_SIMILARITY:
            break
        clusters[-a] = sorted(clusters[-a] + clusters.pop(-b))
    return sorted(c for c in clusters if len(c) > 1)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sparse_average_link_matches_the_textbook_one(seed: int) -> None:
    texts = random_texts(40, seed) + random_texts(5, seed)[:2] * 2  # a few quotes worded alike
    pool = [quote(i, text) for i, text in enumerate(texts)]
    expected = _reference_average_link(themes._tfidf(texts))
    found = themes._agglomerate(pool)
    assert [[pool.index(q) for q in group] for group in found] == expected


def _spy_on_average_link(monkeypatch: pytest.MonkeyPatch) -> list[list[list[int]]]:
    """The starting clusters each call of ``_average_link`` gets, as calls happen."""
    seen: list[list[list[int]]] = []
    average_link = themes._average_link

    def spy(vectors: list[dict[str, float]], starts: list[list[int]]) -> list[list[int]]:
        seen.append(starts)
        return average_link(vectors, starts)

    monkeypatch.setattr(themes, "_average_link", spy)
    return seen


def test_quotes_worded_alike_start_as_one_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _spy_on_average_link(monkeypatch)
    pool = [quote(i, "The outfit planner forgets my jacket.") for i in range(500)]
    pool += [quote(500, "Kayak paddle, river."), quote(501, "A lonely compost trowel.")]
    [group] = themes._agglomerate(pool)
    assert group == pool[:500]
    assert seen == [[list(range(500))]]  # one start for 500 alike; the quote sharing no word is left out


def test_past_the_cap_the_most_opinionated_are_clustered_and_the_rest_join(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(themes, "MAX_CLUSTERED", 6)
    seen = _spy_on_average_link(monkeypatch)
    days = "monday tuesday wednesday thursday friday saturday sunday weekend".split()
    planner = [quote(i, f"Outfit planner forgets saved outfits on {day}.",
                     Sentiment.FRUSTRATION if i < 3 else Sentiment.NONE, 2) for i, day in enumerate(days)]
    playlist = [quote(10 + i, f"Playlist shuffle plays {word} song, brilliant.", Sentiment.DELIGHT, 3)
                for i, word in enumerate(["first", "same", "old", "loud"])]
    lonely = [quote(20, "Garden seedling compost."), quote(21, "Compost trowel.")]
    response = themes.answer(ThemesInput(quotes=planner + playlist + lonely, clusters=ScreenClusters()))
    assert [len(starts) for starts in seen] == [6]  # 4 delighted playlist quotes and 2 of the 3 frustrated planner quotes
    by_size = sorted((sorted(t.quote_ids) for t in response.themes), key=len)
    assert by_size == [sorted(q.id for q in playlist), sorted(q.id for q in planner)]  # all 8 joined


def test_capped_themes_are_byte_identical_whatever_the_hash_seed() -> None:
    script = f"""
import random
from bristlenose.analysis.themes import ThemesInput
from bristlenose.llm.offline import themes
from bristlenose.models import Quote, QuoteType, ScreenClusters, Sentiment
themes.MAX_CLUSTERED = 40
rng = random.Random(5)
words = {WORDS!r}
quotes = [Quote(id=f"s{{i % 7}}-q{{i}}", session_id=f"s{{i % 7}}", speaker="p1", segment_index=i, start=float(i),
                text=" ".join(rng.sample(words, rng.randint(2, 4))), topic="General", quote_type=QuoteType.GENERAL,
                sentiment=rng.choice(list(Sentiment)), intensity=rng.randint(1, 3)) for i in range(300)]
print(themes.answer(ThemesInput(quotes=quotes, clusters=ScreenClusters())).model_dump_json())
"""
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        run = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
                             check=True)
        outputs.add(run.stdout)
    [output] = outputs
    assert '"themes":[{' in output

