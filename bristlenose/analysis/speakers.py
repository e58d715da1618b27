"""The speaker-role pass: who moderates, who participates, who only observes.

The transcript stage already assigns roles by heuristics (``roles.py``); this stage lets the
provider decide instead, so an LLM can correct them, and the offline analyser confirms the
heuristic. Speakers are shown to the provider under neutral keys (A, B, …), not their
provisional codes, so the heuristic's guess does not lead the answer.
"""

from __future__ import annotations

from string import ascii_uppercase

from pydantic import BaseModel, ConfigDict

from bristlenose.analysis.answers import ask, require_known
from bristlenose.analysis.roles import is_code, numbered
from bristlenose.llm.base import AnalysisRequest, ImplausibleAnswer, Provider
from bristlenose.models import Role, Speaker, Transcript
from bristlenose.prompts import load_prompt

PROMPT_ID = "speakers"
LOGIC_VERSION = 1
SAMPLE_SEGMENTS = 120


class SpeakersInput(BaseModel):
    """What the provider is asked about."""

    transcript: Transcript
    keys: dict[str, str]


class RoleProposal(BaseModel):
    """A speaker's role as a provider proposes it."""

    model_config = ConfigDict(extra="ignore")

    speaker: str
    role: Role


class SpeakersResponse(BaseModel):
    """A provider's answer."""

    speakers: list[RoleProposal]


def assign_speaker_roles(transcript: Transcript, provider: Provider) -> Transcript:
    """The transcript with roles the provider decided and codes renumbered to match.

    Nothing is asked when there is nothing to decide: a lone speaker, or labels that are
    already codes (``[p1]`` in bristlenose's own format).
    """
    if len(transcript.speakers) < 2 or all(is_code(s.label) for s in transcript.speakers):
        return transcript
    order = _first_appearance(transcript)
    keys = {speaker.code: ascii_uppercase[n % 26] * (1 + n // 26) for n, speaker in enumerate(order)}
    prompt = load_prompt(PROMPT_ID)
    request = AnalysisRequest(
        task=PROMPT_ID,
        system=prompt.system,
        user=prompt.render_user(session_id=transcript.session_id, keys=[(keys[s.code], s.label) for s in order],
                                key_of=keys, segments=transcript.segments[:SAMPLE_SEGMENTS]),
        response_model=SpeakersResponse,
        context=SpeakersInput(transcript=transcript, keys=keys),
        session_id=transcript.session_id,
        check=lambda answer: check_speakers(answer, set(keys.values())),
    )
    by_key = {p.speaker.strip(): p.role for p in ask(provider, request).speakers}
    roles = {s.label: by_key.get(keys[s.code], s.role) for s in order}
    return _recode(transcript, order, _sane(roles, order))


def check_speakers(answer: SpeakersResponse, keys: set[str]) -> None:
    """Roles for speakers the prompt listed, and for at least one of them."""
    if not answer.speakers:
        raise ImplausibleAnswer("no speaker was given a role")
    require_known("speakers", [p.speaker.strip() for p in answer.speakers], keys)


def _first_appearance(transcript: Transcript) -> list[Speaker]:
    """Speakers in the order they first speak (silent ones last)."""
    first: dict[str, int] = {}
    for segment in transcript.segments:
        first.setdefault(segment.speaker, segment.index)
    return sorted(transcript.speakers, key=lambda s: first.get(s.code, len(transcript.segments)))


def _sane(roles: dict[str, Role], order: list[Speaker]) -> dict[str, Role]:
    """At most one moderator and at least one participant, whatever the answer said."""
    moderators = [s.label for s in order if roles[s.label] is Role.MODERATOR]
    for extra in moderators[1:]:
        roles[extra] = Role.PARTICIPANT
    if not any(role is Role.PARTICIPANT for role in roles.values()):
        talker = next((s.label for s in order if roles[s.label] is not Role.MODERATOR), order[-1].label)
        roles[talker] = Role.PARTICIPANT
    return roles


def _recode(transcript: Transcript, order: list[Speaker], roles: dict[str, Role]) -> Transcript:
    """Apply ``roles`` (by label) and renumber codes per role, rewriting every segment."""
    assigned = numbered([s.label for s in order], roles)
    new_code = {s.code: assigned[s.label][1] for s in order}
    return transcript.model_copy(update={
        "speakers": [Speaker(code=assigned[s.label][1], label=s.label, role=assigned[s.label][0]) for s in order],
        "segments": [seg.model_copy(update={"speaker": new_code.get(seg.speaker, seg.speaker)})
                     for seg in transcript.segments],
    })
