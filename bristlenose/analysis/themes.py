"""Theming: patterns that recur across sessions."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bristlenose.analysis.answers import ask, require_known, require_labels
from bristlenose.llm.base import AnalysisRequest, Provider
from bristlenose.models import ExtractedQuotes, Quote, ScreenClusters, Theme, ThemeGroups
from bristlenose.prompts import load_prompt

PROMPT_ID = "themes"
LOGIC_VERSION = 1


class ThemesInput(BaseModel):
    """What the provider is asked about."""

    quotes: list[Quote]
    clusters: ScreenClusters | None = None
    """None when themes are found beside clustering, not after it (the pipeline does so: the
    themes prompt shows quotes only)."""


class ThemeProposal(BaseModel):
    """A theme as a provider proposes it."""

    model_config = ConfigDict(extra="ignore")

    label: str = Field(min_length=1)
    description: str = ""
    quote_ids: list[str]


class ThemeResponse(BaseModel):
    """A provider's answer."""

    themes: list[ThemeProposal]


def group_themes(quotes: ExtractedQuotes, clusters: ScreenClusters | None, provider: Provider) -> ThemeGroups:
    """Themes with the quotes that show them, largest first; ``note`` says why there are none."""
    if not quotes.quotes:
        return ThemeGroups(note="no quotes to find themes in; no call made")
    prompt = load_prompt(PROMPT_ID)
    request = AnalysisRequest(
        task=PROMPT_ID,
        system=prompt.system,
        user=prompt.render_user(quotes=quotes.quotes),
        response_model=ThemeResponse,
        context=ThemesInput(quotes=quotes.quotes, clusters=clusters),
        check=lambda answer: check_themes(answer, [q.id for q in quotes.quotes]),
    )
    known = {q.id for q in quotes.quotes}
    drafts = []
    for proposal in ask(provider, request).themes:
        ids = [i for i in dict.fromkeys(proposal.quote_ids) if i in known]
        if ids:
            drafts.append((proposal, ids))
    drafts.sort(key=lambda d: -len(d[1]))
    note = "" if drafts else f"no theme recurs across the {len(quotes.quotes)} quotes"
    return ThemeGroups(note=note, themes=[
        Theme(id=f"t{n}", label=p.label.strip(), description=p.description.strip(), quote_ids=ids)
        for n, (p, ids) in enumerate(drafts, start=1)
    ])


def check_themes(answer: ThemeResponse, quote_ids: list[str]) -> None:
    """Themes with labels, holding quotes the prompt listed (no theme at all is a possible answer)."""
    require_labels("theme", [t.label for t in answer.themes])
    require_known("quote ids", [i for t in answer.themes for i in t.quote_ids], quote_ids)
