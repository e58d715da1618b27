"""Screen clustering: the report's sections, one per product screen, in product-flow order."""

from __future__ import annotations

from statistics import fmean

from pydantic import BaseModel, ConfigDict, Field

from bristlenose.analysis.answers import ask, require_known, require_labels
from bristlenose.llm.base import AnalysisRequest, ImplausibleAnswer, Provider
from bristlenose.models import ExtractedQuotes, Quote, QuoteType, ScreenCluster, ScreenClusters, TopicBoundaries
from bristlenose.prompts import load_prompt

PROMPT_ID = "clusters"
LOGIC_VERSION = 1


class ClustersInput(BaseModel):
    """What the provider is asked about: screen-specific quotes and where they fell."""

    quotes: list[Quote]
    topics: TopicBoundaries


class ClusterProposal(BaseModel):
    """A section as a provider proposes it."""

    model_config = ConfigDict(extra="ignore")

    label: str = Field(min_length=1)
    description: str = ""
    quote_ids: list[str]


class ClusterResponse(BaseModel):
    """A provider's answer."""

    clusters: list[ClusterProposal]


def cluster_screens(quotes: ExtractedQuotes, topics: TopicBoundaries, provider: Provider) -> ScreenClusters:
    """Screen-specific quotes grouped by screen; each quote in at most one section."""
    screen_quotes = [q for q in quotes.quotes if q.quote_type is QuoteType.SCREEN_SPECIFIC]
    if not screen_quotes:
        why = "no quotes to group" if not quotes.quotes else f"none of the {len(quotes.quotes)} quotes is about a screen"
        return ScreenClusters(note=f"{why}; no call made")
    prompt = load_prompt(PROMPT_ID)
    request = AnalysisRequest(
        task=PROMPT_ID,
        system=prompt.system,
        user=prompt.render_user(quotes=screen_quotes),
        response_model=ClusterResponse,
        context=ClustersInput(quotes=screen_quotes, topics=topics),
        check=lambda answer: check_clusters(answer, [q.id for q in screen_quotes]),
    )
    response = ask(provider, request)
    by_id = {q.id: q for q in screen_quotes}
    positions = _flow_positions(screen_quotes, topics)
    claimed: set[str] = set()
    drafts: list[tuple[float, ClusterProposal, list[str]]] = []
    for proposal in response.clusters:
        ids = [i for i in dict.fromkeys(proposal.quote_ids) if i in by_id and i not in claimed]
        if not ids:
            continue
        claimed.update(ids)
        ids.sort(key=lambda i: (by_id[i].session_id, by_id[i].start))
        drafts.append((fmean(positions[i] for i in ids), proposal, ids))
    drafts.sort(key=lambda d: d[0])
    note = "" if drafts else f"the provider put none of the {len(screen_quotes)} screen-specific quotes in a section"
    return ScreenClusters(note=note, clusters=[
        ScreenCluster(id=f"c{n}", label=p.label.strip(), description=p.description.strip(), order=n - 1, quote_ids=ids)
        for n, (_, p, ids) in enumerate(drafts, start=1)
    ])


def check_clusters(answer: ClusterResponse, quote_ids: list[str]) -> None:
    """Sections with labels, holding quotes the prompt listed; none at all for quotes is no answer."""
    if not answer.clusters:
        raise ImplausibleAnswer(f"no section for {len(quote_ids)} screen-specific quotes")
    require_labels("section", [c.label for c in answer.clusters])
    require_known("quote ids", [i for c in answer.clusters for i in c.quote_ids], quote_ids)


def _flow_positions(quotes: list[Quote], topics: TopicBoundaries) -> dict[str, float]:
    """Where each quote falls in its session, 0 (start) to 1 (end), by topic order.

    Sessions walk through the product in order, so the mean position of a section's quotes
    puts sections in product-flow order.
    """
    maps = {m.session_id: m for m in topics.sessions}
    positions = {}
    for quote in quotes:
        topic_map = maps.get(quote.session_id)
        starts = [b.segment_index for b in topic_map.boundaries] if topic_map else []
        rank = sum(1 for s in starts if s <= quote.segment_index) - 1
        positions[quote.id] = rank / len(starts) if starts else 0.0
    return positions
