"""The speaker-role pass: who moderates, who participates, who only observes.

The transcript stage already assigns roles by heuristics (``roles.py``); this stage lets the
provider decide instead, so an LLM can correct them, and the offline analyser confirms the
heuristic. Speakers are shown to the provider under neutral keys (A, B, …), not their
provisional codes, so the heuristic's guess does not lead the answer.

A recording whose voices were told apart unsurely, or with a speaker known only by voice
(``Speaker B``), is asked with a second prompt (``speakers_voices``): it also asks for names
the transcript says and, where the diarisation was unsure, for turns spoken by another
speaker than the one shown (``voices.py``). Every other session's request is the same as
before that prompt existed, so their finished targets stay current.
"""

from __future__ import annotations

from string import ascii_uppercase

from pydantic import BaseModel, ConfigDict

from bristlenose.analysis.answers import ask, require_known
from bristlenose.analysis.roles import is_code, numbered
from bristlenose.analysis.turns import UNSURE, VOICE_LABELS
from bristlenose.analysis.voices import NamesResponse, TurnMove, VoicesResponse, check_moves, check_names, moved
from bristlenose.llm.base import AnalysisRequest, ImplausibleAnswer, Provider
from bristlenose.models import Role, Segment, Speaker, Transcript
from bristlenose.prompts import load_prompt

PROMPT_ID = "speakers"
VOICES_PROMPT_ID = "speakers_voices"
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
    if not _asked(transcript):
        return transcript
    order = _first_appearance(transcript)
    keys = {speaker.code: ascii_uppercase[n % 26] * (1 + n // 26) for n, speaker in enumerate(order)}
    if prompt_id(transcript) == VOICES_PROMPT_ID and transcript.diarisation is not None:
        return _with_voices(transcript, provider, order, keys, transcript.diarisation.confidence)
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
    return _recode(transcript, order, _sane(roles, order), {})


def prompt_id(transcript: Transcript) -> str:
    """The prompt a session is asked with: ``speakers_voices`` for a recording whose voices
    were told apart unsurely or that has a speaker known only by voice, else ``speakers``."""
    diarisation = transcript.diarisation
    if not _asked(transcript) or diarisation is None:
        return PROMPT_ID
    unnamed = any(s.label in VOICE_LABELS for s in transcript.speakers)
    return VOICES_PROMPT_ID if unnamed or diarisation.confidence < UNSURE else PROMPT_ID


def _asked(transcript: Transcript) -> bool:
    """Whether there is anything to decide: two speakers or more, not all labelled by code."""
    return len(transcript.speakers) >= 2 and not all(is_code(s.label) for s in transcript.speakers)


def _with_voices(transcript: Transcript, provider: Provider, order: list[Speaker], keys: dict[str, str],
                 confidence: float) -> Transcript:
    """Roles, names said in the transcript and, where the voices were unsure, moved turns."""
    movable = confidence < UNSURE
    shown = transcript.segments[:SAMPLE_SEGMENTS]
    prompt = load_prompt(VOICES_PROMPT_ID)
    response_model: type[NamesResponse] = VoicesResponse if movable else NamesResponse
    request = AnalysisRequest(
        task=PROMPT_ID,
        system=prompt.system,
        user=prompt.render_user(session_id=transcript.session_id, keys=[(keys[s.code], s.label) for s in order],
                                key_of=keys, segments=shown, movable=movable, confidence=f"{confidence:.0%}"),
        response_model=response_model,
        context=SpeakersInput(transcript=transcript, keys=keys),
        session_id=transcript.session_id,
        check=lambda answer: _check_voices(answer, keys, shown),
    )
    answer = ask(provider, request)
    code_of = {key: code for code, key in keys.items()}
    moves = {m.turn: (code_of[m.speaker.strip()], m.from_words) for m in _moves(answer)}
    fixed, count = moved(transcript, moves)
    label_of = {s.code: s.label for s in transcript.speakers}
    by_key = {p.speaker.strip(): p for p in answer.speakers}
    taken = {label.casefold() for label in label_of.values()}
    names = {label_of[code]: by_key[key].name.strip() for code, key in keys.items()
             if key in by_key and label_of[code] in VOICE_LABELS and by_key[key].name.strip()
             and by_key[key].name.strip().casefold() not in taken}
    kept = _first_appearance(fixed)
    roles = {s.label: by_key[keys[s.code]].role if keys[s.code] in by_key else s.role for s in kept}
    result = _recode(fixed, kept, _sane(roles, kept), names)
    if count:
        note = f"the speaker-role pass gave {count} turn{'s' if count != 1 else ''} to another speaker"
        result = result.model_copy(update={"note": "; ".join(filter(None, (transcript.note, note)))})
    return result


def _check_voices(answer: NamesResponse, keys: dict[str, str], shown: list[Segment]) -> None:
    """Known speakers, names from the transcript, plausible moves of shown turns."""
    check_speakers(answer, set(keys.values()))
    check_names(answer.speakers, shown)
    check_moves(_moves(answer), set(keys.values()), shown, keys)


def _moves(answer: NamesResponse) -> list[TurnMove]:
    return answer.turns if isinstance(answer, VoicesResponse) else []


def check_speakers(answer: SpeakersResponse | NamesResponse, keys: set[str]) -> None:
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


def _recode(transcript: Transcript, order: list[Speaker], roles: dict[str, Role], names: dict[str, str]) -> Transcript:
    """Apply ``roles`` and ``names`` (by label) and renumber codes per role, rewriting every segment."""
    assigned = numbered([s.label for s in order], roles)
    new_code = {s.code: assigned[s.label][1] for s in order}
    return transcript.model_copy(update={
        "speakers": [Speaker(code=assigned[s.label][1], label=s.label, role=assigned[s.label][0],
                             name=names.get(s.label, s.name)) for s in order],
        "segments": [seg.model_copy(update={"speaker": new_code.get(seg.speaker, seg.speaker)})
                     for seg in transcript.segments],
    })
