"""Who is who in a session: one moderator, participants and observers, from what they say.

Exports label speakers by name (``Jane Doe``), rarely by role, so roles are inferred:

* Labels that are all session codes (``m1``, ``p2``, ``o1``) are trusted as they are.
* Otherwise each speaker gets a moderator score from the share of the session's questions
  they ask (sentences ending in ``?`` or opening like ``what``, ``how``, ``could you``), how
  question-heavy their own talk is, the share of researcher phrases they use ("think aloud",
  "no right or wrong", "what would you expect", "let's move on", …), and a small bonus for
  speaking first. Role words in a label (``Interviewer``, ``Jane (Researcher)``,
  ``Observer``, ``Participant 2``) or a code-like label (``m1``) outweigh all of that.
* With two or more speakers exactly one is the moderator: the highest score.
* In sessions of three or more, a non-moderator with under 5 % of the words and under
  10 % of the turns is an observer (an observer-labelled speaker always is); at least one
  participant always remains.
* Everyone else is a participant, numbered ``p1, p2, …`` by first appearance; a lone
  speaker, labelled or not, is ``p1``.

Limits: a participant who asks most of the questions (a "reverse" interview, or a
participant quizzing the researcher about the product) can outscore the moderator; two
researchers co-moderating give one moderator and one participant or observer; a quiet
participant in a group session can fall under the observer threshold; ASR transcripts
without punctuation lose the ``?`` signal and lean on the question openers and phrases.
Per-session codes are only provisional names: the ``participants`` merge maps them to
study-wide codes, and a user can correct a role there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bristlenose.analysis.text import normalise, word_count
from bristlenose.models import Role
from bristlenose.parsers.base import RawSegment

OBSERVER_MAX_WORD_SHARE = 0.05
OBSERVER_MAX_TURN_SHARE = 0.10

_CODE = re.compile(r"([mpo])([1-9]\d*)", re.IGNORECASE)
_ROLE_WORDS = {
    Role.MODERATOR: re.compile(r"\b(?:interviewer|moderator|researcher|facilitator)\b", re.IGNORECASE),
    Role.OBSERVER: re.compile(r"\b(?:observer|note[\s-]?taker|notetaker)\b", re.IGNORECASE),
    Role.PARTICIPANT: re.compile(r"\b(?:participant|interviewee|respondent)\b", re.IGNORECASE),
}
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
_QUESTION_OPENER = re.compile(
    r"(?:what|how|why|when|where|which|who|whose|tell me|walk me|show me"
    r"|(?:could|can|would|will|do|did|does|have|are|were|is) (?:you|there|it|that|this))\b",
    re.IGNORECASE,
)
_RESEARCHER_PHRASES = (
    "think aloud", "think out loud", "no right or wrong", "what would you expect", "what did you expect",
    "could you show me", "can you show me", "let's move on", "thanks for joining", "thank you for joining",
    "thanks for taking the time", "thank you for taking the time", "walk me through", "tell me more",
    "in your own words", "take your time", "not testing you", "share your screen", "what do you think",
    "what would you do", "how would you", "where would you", "before we start", "any questions for me",
)
_HINT_WEIGHT = 10.0


@dataclass
class _Talk:
    """What one speaker said, summed over the session."""

    first_seen: int
    words: int = 0
    turns: int = 0
    sentences: int = 0
    questions: int = 0
    phrases: int = 0


def assign_roles(segments: Sequence[RawSegment]) -> dict[str, tuple[Role, str]]:
    """Each speaker label's role and session-local code (``m1``, ``p1``, ``o1``)."""
    talk = _talk(segments)
    labels = sorted(talk, key=lambda label: talk[label].first_seen)
    if labels and all(is_code(label) for label in labels):
        return {label: (_role_of_code(label), label.casefold()) for label in labels}
    roles = dict.fromkeys(labels, Role.PARTICIPANT)
    if len(labels) >= 2:
        moderator = max(labels, key=lambda label: _moderator_score(label, talk))
        roles[moderator] = Role.MODERATOR
        for label in _observers(labels, moderator, talk):
            roles[label] = Role.OBSERVER
    return numbered(labels, roles)


def is_code(label: str) -> bool:
    """Whether a label is already a session code (``m1``, ``p2``, ``o1``): its role is given."""
    return _CODE.fullmatch(label) is not None


def _talk(segments: Sequence[RawSegment]) -> dict[str, _Talk]:
    """Per-speaker counts of words, turns, sentences, questions and researcher phrases."""
    talk: dict[str, _Talk] = {}
    previous: str | None = None
    for segment in segments:
        stats = talk.setdefault(segment.speaker, _Talk(first_seen=len(talk)))
        text = normalise(segment.text)
        sentences = [sentence for sentence in _SENTENCE_END.split(text) if sentence]
        stats.words += word_count(text)
        stats.turns += segment.speaker != previous
        stats.sentences += len(sentences)
        stats.questions += sum(1 for sentence in sentences if _is_question(sentence))
        stats.phrases += sum(text.casefold().count(phrase) for phrase in _RESEARCHER_PHRASES)
        previous = segment.speaker
    return talk


def _is_question(sentence: str) -> bool:
    """A sentence that asks: a question mark, or a question opener when ASR dropped it."""
    return sentence.rstrip().endswith("?") or _QUESTION_OPENER.match(sentence) is not None


def _moderator_score(label: str, talk: dict[str, _Talk]) -> float:
    """How much a speaker sounds like the one running the session."""
    stats = talk[label]
    all_questions = sum(other.questions for other in talk.values())
    all_phrases = sum(other.phrases for other in talk.values())
    score = (
        2.0 * (stats.questions / all_questions if all_questions else 0.0)
        + 1.0 * (stats.questions / stats.sentences if stats.sentences else 0.0)
        + 2.0 * (stats.phrases / all_phrases if all_phrases else 0.0)
        + 0.5 * (stats.first_seen == 0)
    )
    hinted = _hinted_role(label)
    if hinted is Role.MODERATOR:
        score += _HINT_WEIGHT
    elif hinted is not None:
        score -= _HINT_WEIGHT
    return score


def _observers(labels: list[str], moderator: str, talk: dict[str, _Talk]) -> list[str]:
    """Non-moderators who barely speak (or are labelled observers), leaving a participant."""
    if len(labels) < 3:
        return []
    all_words = sum(stats.words for stats in talk.values()) or 1
    all_turns = sum(stats.turns for stats in talk.values()) or 1
    others = [label for label in labels if label != moderator]
    found = [
        label for label in others
        if _hinted_role(label) is Role.OBSERVER
        or (_hinted_role(label) is None
            and talk[label].words / all_words < OBSERVER_MAX_WORD_SHARE
            and talk[label].turns / all_turns < OBSERVER_MAX_TURN_SHARE)
    ]
    if len(found) == len(others):
        found.remove(max(others, key=lambda label: talk[label].words))
    return found


def _hinted_role(label: str) -> Role | None:
    """The role a label names outright (``Interviewer``, ``Observer 1``, ``p2``), if any."""
    if is_code(label):
        return _role_of_code(label)
    return next((role for role, words in _ROLE_WORDS.items() if words.search(label)), None)


def _role_of_code(code: str) -> Role:
    """Role of a session code by its letter."""
    return {role.prefix: role for role in Role}[code[0].casefold()]


def numbered(labels: list[str], roles: dict[str, Role]) -> dict[str, tuple[Role, str]]:
    """Codes per role, numbered by first appearance."""
    counts = dict.fromkeys(Role, 0)
    assigned: dict[str, tuple[Role, str]] = {}
    for label in labels:
        role = roles[label]
        counts[role] += 1
        assigned[label] = (role, f"{role.prefix}{counts[role]}")
    return assigned
