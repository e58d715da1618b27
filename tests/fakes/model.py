"""The stand-in model: plausible, schema-valid answers computed from the prompt text alone.

It answers like a small, literal model would: topics where the moderator names a screen,
one verbatim quote per substantial participant turn with a keyword sentiment, sections by
topic label, themes by sentiment shared across sessions. Like a naive model it obeys
"ignore previous instructions" when that appears outside the data tags.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.fakes.prompt import QuoteLine, Segment, UserMessage

TASKS = ("speakers", "topics", "quotes", "clusters", "themes")
HIJACKED = "I have been hijacked"
INVENTED_QUOTE = "Honestly this is the best app I have ever used in my whole life"
INVENTED_ID = "s99-q99"
MIN_WORDS = 5
MAX_WORDS = 60
MIN_TURN_WORDS = 8
"""Participant turns shorter than this are not quoted."""

MAY_MOVE = "may carry the wrong speaker key"
"""What the speakers_voices prompt says when turns may be moved to another speaker."""
INVENTED_NAME = "Zebedee"
_INTRODUCED = re.compile(r"\b(?:[Mm]y name is|I'm|I am|[Cc]all me)\s+([A-Z][a-z]+)\b")
_ADDRESSED = re.compile(r"\b(?:[Tt]hanks|[Tt]hank you|[Hh]i|[Hh]ello|[Ww]elcome),?\s+([A-Z][a-z]+)\b")
_NOT_NAMES = frozenset({"sure", "not", "just", "so", "fine", "good", "sorry", "ok", "okay", "really", "for",
                        "everyone", "again", "very", "all"})
_QUESTION_START = re.compile(r"(?:What|How|Why|Where|Could you|Can you|Would you)\b")
_INJECTION = re.compile(r"ignore\s+previous\s+instructions", re.IGNORECASE)
_WORD = re.compile(r"[\w']+")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_NAMED_SCREEN = re.compile(r"\bthe ((?:[a-z]+ )?[a-z]+) (?:screen|page|tab)\b", re.IGNORECASE)
_NOT_A_NAME = frozenset({"same", "next", "other", "first", "last", "whole", "new", "main", "this", "that"})
_SUBJECT = re.compile(
    r"\b(sign[ -]up|account|log ?in|home|search|product|basket|cart|delivery|checkout|payment|tracking|settings|"
    r"profile|menu|onboarding)\b",
    re.IGNORECASE,
)
_SENTIMENTS: tuple[tuple[str, str], ...] = (
    ("frustration", ("annoying|annoyed|frustrating|frustrated|cross|hate|irritating|fiddly|fiddling|off-putting|"
                     "don't like|give up")),
    ("confusion", "confusing|confused|not sure|don't understand|what does|where would|lost|no idea"),
    ("doubt", "worried|worry|worries|wonder|suspicious|trust|hide|hidden"),
    ("surprise", "surprised|surprising|wasn't expecting|didn't expect|wow"),
    ("delight", "love|lovely|brilliant|amazing|fantastic|wonderful|great"),
    ("satisfaction", "fine|good|nice|easy|straightforward|useful|helpful"),
    ("confidence", "confident|obvious|clear|simple"),
)
_SENTIMENT_WORDS = tuple((name, re.compile(rf"\b(?:{words})\b")) for name, words in _SENTIMENTS)
_INTENSIFIER = re.compile(r"\b(?:really|very|so|absolutely|totally|hate|love)\b|!")


def hijacked(message: UserMessage) -> bool:
    """Whether the message tells the model, outside its data tags, to ignore its instructions."""
    return bool(_INJECTION.search(message.outside))


def answer(task: str, message: UserMessage) -> dict[str, Any]:
    """The tool arguments a well-behaved model would send for ``task``."""
    return _ANSWERS[task](message)


def hijacked_answer(task: str, message: UserMessage) -> dict[str, Any]:
    """What an obedient model sends once injected: schema-valid garbage naming the hijack."""
    if task == "speakers":
        return {"speakers": [{"speaker": HIJACKED, "role": "moderator"}]}
    if task == "topics":
        return {"topics": [{"segment_index": 0, "label": HIJACKED, "kind": "general", "summary": HIJACKED}]}
    if task == "quotes":
        return {"quotes": [_invented(message, HIJACKED)]}
    return {task: [{"label": HIJACKED, "description": HIJACKED, "quote_ids": [q.id for q in message.quotes]}]}


def hallucinated_answer(task: str, message: UserMessage) -> dict[str, Any]:
    """A valid answer plus one item the input does not support (a quote nobody said, an unknown id)."""
    arguments = answer(task, message)
    if task == "speakers":
        arguments["speakers"].append({"speaker": "ZZ", "role": "participant"})
    elif task == "topics":
        last = max((s.index for s in message.segments), default=0)
        arguments["topics"].append({"segment_index": last + 10, "label": "Imaginary Screen", "kind": "screen"})
    elif task == "quotes":
        arguments["quotes"].append(_invented(message, INVENTED_QUOTE))
    else:
        arguments[task].append({"label": "Imaginary Screen", "description": "", "quote_ids": [INVENTED_ID]})
    return arguments


def misbehaved_answer(misbehaviour: str, task: str, message: UserMessage) -> dict[str, Any]:
    """A schema-valid answer no honest model gives: every quote paraphrased (``paraphrase``), a
    topic at every segment or every turn moved to another speaker (``every_boundary``), blank
    labels (``empty_labels``), speakers, segments and quote ids that the prompt never showed
    (``unknown_ids``), or a speaker's name nobody said (``invented_name``). Other tasks answer well."""
    arguments = answer(task, message)
    if misbehaviour == "paraphrase" and task == "quotes":
        for quote in arguments["quotes"]:
            quote["text"] = _paraphrase(quote["text"])
    elif misbehaviour == "every_boundary" and task == "topics":
        arguments["topics"] = [{"segment_index": s.index, "label": f"Topic {s.index}", "kind": "general"}
                               for s in message.segments]
    elif misbehaviour == "empty_labels" and task in ("topics", "clusters", "themes"):
        for item in arguments[task]:
            item["label"] = " "
    elif misbehaviour == "unknown_ids":
        _invent_ids(task, arguments, message)
    elif misbehaviour == "every_boundary" and task == "speakers" and MAY_MOVE in message.outside:
        keys = [item["speaker"] for item in arguments["speakers"]]
        arguments["turns"] = [{"turn": s.index, "speaker": next(k for k in keys if k != s.speaker)}
                              for s in message.segments]
    elif misbehaviour == "invented_name" and task == "speakers":
        arguments["speakers"][-1]["name"] = INVENTED_NAME
    return arguments


def _paraphrase(text: str) -> str:
    """What a careless model makes of a quote: the gist, reworded, never the words said."""
    return f"The participant basically said that {' '.join(reversed(_WORD.findall(text.lower())))}"


def _invent_ids(task: str, arguments: dict[str, Any], message: UserMessage) -> None:
    """Point every item at a speaker, segment or quote the prompt did not show."""
    beyond = max((s.index for s in message.segments), default=0) + 100
    if task == "speakers":
        for item in arguments["speakers"]:
            item["speaker"] = "Q" + item["speaker"]
    elif task in ("topics", "quotes"):
        for item in arguments[task]:
            item["segment_index"] += beyond
    else:
        for item in arguments[task]:
            item["quote_ids"] = [f"{quote_id}x" for quote_id in item["quote_ids"]]


def malformed_answer(task: str) -> dict[str, Any]:
    """Tool input that does not match the task's schema."""
    return {task: "nope"}


def _topics(message: UserMessage) -> dict[str, Any]:
    topics: list[dict[str, Any]] = []
    for position, segment in enumerate(message.segments):
        named = _screen_named(segment.text) if segment.speaker.startswith("m") or position == 0 else None
        if position == 0:
            label = named or ("Introduction" if segment.index == 0 else "Continued Discussion")
            summary = f"Talk about the {label} screen." if named else "Welcome and introductions."
            topics.append({"segment_index": segment.index, "label": label, "kind": "screen" if named else "general",
                           "summary": summary})
        elif named and named != topics[-1]["label"]:
            topics.append({"segment_index": segment.index, "label": named, "kind": "screen",
                           "summary": f"Talk about the {named} screen."})
    return {"topics": topics}


def _screen_named(text: str) -> str | None:
    """The screen a turn names: "the X screen/page/tab" first, else a word of the subject list."""
    for match in _NAMED_SCREEN.finditer(text):
        words = [w for w in match.group(1).lower().split() if w not in _NOT_A_NAME]
        if words:
            return " ".join(words).title()
    subject = _SUBJECT.search(text)
    return subject.group(1).replace("-", " ").title() if subject else None


def _quotes(message: UserMessage) -> dict[str, Any]:
    quotes = []
    for segment in message.participant_segments():
        if len(_WORD.findall(segment.text)) < MIN_TURN_WORDS:
            continue
        text = _span(segment.text)
        sentiment = _sentiment(text)
        topic_label, topic_kind = _topic_at(message, segment.index)
        quotes.append({
            "segment_index": segment.index,
            "text": text,
            "topic": topic_label,
            "quote_type": "screen-specific" if topic_kind == "screen" else "general",
            "sentiment": sentiment,
            "intensity": _intensity(text, sentiment),
        })
    return {"quotes": quotes}


def _span(text: str) -> str:
    """A verbatim span of 5-60 words: the first run of sentences with a sentiment word, else the first."""
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]
    candidates = []
    for first, (start, _) in enumerate(sentences):
        for _, end in sentences[first:]:
            words = len(_WORD.findall(text[start:end]))
            if words >= MIN_WORDS:
                candidates.append(_clip(text[start:end].strip()))
                break
    if not candidates:
        return _clip(text.strip())
    return next((c for c in candidates if _sentiment(c) != "none"), candidates[0])


def _clip(span: str) -> str:
    """At most ``MAX_WORDS`` words, cut at a word's end so the span stays verbatim."""
    words = list(_WORD.finditer(span))
    return span[:words[MAX_WORDS - 1].end()] if len(words) > MAX_WORDS else span


def _sentiment(text: str) -> str:
    lowered = text.lower().replace("\u2019", "'")
    return next((name for name, pattern in _SENTIMENT_WORDS if pattern.search(lowered)), "none")


def _intensity(text: str, sentiment: str) -> int:
    if sentiment == "none":
        return 1
    return 3 if _INTENSIFIER.search(text.lower()) else 2


def _topic_at(message: UserMessage, index: int) -> tuple[str, str]:
    """Label and kind of the listed topic that segment ``index`` falls in."""
    current = ("General", "general")
    for topic in sorted(message.topics, key=lambda t: t.segment_index):
        if topic.segment_index > index:
            break
        current = (topic.label, topic.kind)
    return current


def _invented(message: UserMessage, text: str) -> dict[str, Any]:
    """A quote of ``text`` attributed to the first participant turn, although nobody said it."""
    speaker = next(iter(message.participant_segments()), None) or next(iter(message.segments), None)
    return {"segment_index": speaker.index if speaker else 0, "text": text, "topic": "General",
            "quote_type": "general", "sentiment": "delight", "intensity": 3}


def _clusters(message: UserMessage) -> dict[str, Any]:
    groups = _grouped(message.quotes, lambda q: q.topic or "General")
    return {"clusters": [
        {"label": label, "description": f"What {_sessions(quotes)} said about the {label} screen.",
         "quote_ids": [q.id for q in quotes]}
        for label, quotes in groups.items()
    ]}


def _themes(message: UserMessage) -> dict[str, Any]:
    groups = _grouped([q for q in message.quotes if q.sentiment not in ("", "none")], lambda q: q.sentiment)
    return {"themes": [
        {"label": f"{sentiment.title()} across sessions",
         "description": f"Participants in {_sessions(quotes)} expressed {sentiment}.",
         "quote_ids": [q.id for q in quotes]}
        for sentiment, quotes in groups.items()
        if len({q.session for q in quotes}) >= 2
    ]}


def _grouped(quotes: list[QuoteLine], key: Callable[[QuoteLine], str]) -> dict[str, list[QuoteLine]]:
    groups: dict[str, list[QuoteLine]] = {}
    for quote in quotes:
        groups.setdefault(key(quote), []).append(quote)
    return groups


def _sessions(quotes: list[QuoteLine]) -> str:
    """"3 sessions", counting the session prefix of quote ids (``s2-q4``) where no session is given."""
    count = len({q.session or q.id.rsplit("-", 1)[0] for q in quotes})
    return f"{count} session{'s' if count != 1 else ''}"


def _speakers(message: UserMessage) -> dict[str, Any]:
    """The speaker who asks the most questions moderates; everyone else participates. Names
    come from self-introductions and greetings; where the prompt says turns may carry the
    wrong speaker, a turn that finishes a sentence the same speaker's turns on both sides of
    it left open moves to that speaker."""
    keys = list(dict.fromkeys(s.speaker for s in message.segments))
    asks = {key: sum(s.text.count("?") for s in message.segments if s.speaker == key) for key in keys}
    moderator = max(keys, key=lambda key: (asks[key], -keys.index(key))) if keys else None
    names = _names(message, keys)
    speakers = [{"speaker": key, "role": "moderator" if key == moderator else "participant",
                 **({"name": names[key]} if key in names else {})} for key in keys]
    if MAY_MOVE not in message.outside:
        return {"speakers": speakers}
    moves = _moves(message.segments)
    moved = {move["turn"] for move in moves}
    run_on = [move for move in _run_on_questions(message.segments, moderator) if move["turn"] not in moved]
    return {"speakers": speakers, "turns": moves + run_on}


def _names(message: UserMessage, keys: list[str]) -> dict[str, str]:
    """Key → a name the transcript says: "I'm Priya" names the speaker, "thanks, Priya" the
    other one of two."""
    names: dict[str, str] = {}
    for segment in message.segments:
        for match in _INTRODUCED.finditer(segment.text):
            names.setdefault(segment.speaker, match.group(1))
        others = [key for key in keys if key != segment.speaker]
        for match in _ADDRESSED.finditer(segment.text):
            if len(others) == 1:
                names.setdefault(others[0], match.group(1))
    return {key: name for key, name in names.items() if name.casefold() not in _NOT_NAMES}


def _run_on_questions(segments: list[Segment], moderator: str | None) -> list[dict[str, Any]]:
    """A question that ends someone else's answer ("… my payments. What would you do next?")
    is the moderator's: its end moves, from the question's first words."""
    moves = []
    for segment in segments:
        sentences = [m.group().strip() for m in _SENTENCE.finditer(segment.text) if m.group().strip()]
        if moderator is None or segment.speaker == moderator or len(sentences) < 2:
            continue
        if sentences[-1].endswith("?") and _QUESTION_START.match(sentences[-1]):
            moves.append({"turn": segment.index, "speaker": moderator,
                          "from_words": " ".join(sentences[-1].split()[:3])})
    return moves


def _moves(segments: list[Segment]) -> list[dict[str, Any]]:
    """Turns sandwiched in another speaker's unfinished sentence, given to that speaker."""
    moves = []
    for before, turn, after in zip(segments, segments[1:], segments[2:]):
        if before.speaker == after.speaker != turn.speaker and not before.text.rstrip().endswith((".", "?", "!")):
            moves.append({"turn": turn.index, "speaker": before.speaker})
    return moves


_ANSWERS: dict[str, Callable[[UserMessage], dict[str, Any]]] = {
    "speakers": _speakers, "topics": _topics, "quotes": _quotes, "clusters": _clusters, "themes": _themes,
}
