"""The screens and places of a study, in the study's own words ("go to the bill-pay screen" → Bill-pay).

There is no catalogue: a place is only ever named with words someone said.

- Anyone can name a place outright: "the X screen" (page, tab, view, menu, section, form,
  panel), X being one to three words, or point at a part of one: "the X bar" (button, box,
  field, toggle, link, icon, banner, list, map), which is weaker evidence.
- A researcher's turn names one more ways: a navigation ("go to the payments", "let's look at
  spending insights", "this is the accounts overview") or a task ("could you add your railcard",
  "claim delay repay", "could you sign in"). An object that is a pronoun ("could you add it?")
  is the last thing the turn named ("You have a railcard").

Labels keep the words as said, title-cased, without the screen word; keys are the stems of
their content words, so "Payments" and "the payment screen" land in one section.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bristlenose.llm.offline.keywords import is_bland
from bristlenose.llm.offline.text import STOP_WORDS, is_content, stem, title_case, tokens

EXPLICIT, NAVIGATION, TASK, PART = 3, 2, 1, 0
"""How surely a naming picks out a place, strongest first."""

_SCREEN_WORDS = frozenset("screen screens page pages tab tabs view menu section form panel".split())
_PART_WORDS = frozenset("bar box button field toggle switch link icon banner list map".split())
_GENERIC = _SCREEN_WORDS | _PART_WORDS | frozenset("area bit part option options thing stuff".split())
_NOT_A_NAME = STOP_WORDS | frozenset(
    """
next previous first last same other whole entire new current final second third different little main blank
loading every each another empty white front top bottom web big small red grey green blue long short whole
""".split()
)
_CONNECTORS = frozenset({"and", "of", "&"})
_MAX_NAME_WORDS = 3
_DET = r"(?:(?:the|your|my|our|their|this|that|these|those|a|an|\w+'s)\s+(?:own\s+)?)"
_NAVIGATION = re.compile(
    r"\b(?:(?:go|head|heading|move|moving|carry|jump|skip|switch|come|coming|navigate)\s+(?:back\s+|over\s+|on\s+)?"
    r"(?:in)?to|go\s+for|onto|open(?:\s+up)?|(?:have|take)\s+a\s+(?:quick\s+)?look\s+at|look\s+at|"
    r"(?:start|begin)\s+(?:with|on)|turn\s+to)\s+" + _DET + "?"
)
_POINTING = re.compile(r"\b(?:this is|here's|here is|you're on|you are on|you're now on|you're in|we're on|"
                       r"(?:arrived|landed|ended up) (?:on|at|in))\s+(?:the|your|my|our)\s+")
_TERSE = re.compile(r"(?:^|[.!?]\s+)(?:and\s+)?(?:finally|lastly|next|now|then|first|last)\s*,?\s+"
                    r"(?:the|your|my|our)\s+")
"""A sentence that is only a transition and a place: "Finally, the test results." """
_LABEL_PREFIXES = frozenset("new my your all".split())
_FRAGMENT = re.compile(r"\s*[\"\u201c]?([^.,!?;:\"\u201d]{1,40})[\"\u201d]?\s*[.,!?;:]")
_SENTENCE_END = re.compile(r"\s*(?:[.?!]|,?\s*please\b|$)")
_ASKED = re.compile(r"\b(?:feel|think|thoughts|make|opinion)\s+(?:about|of|on)\s+(?:the|your|this|that)\s+")
_TASK_LEAD = re.compile(
    r"\b(?:could you|can you|would you|will you|could we|can we|i'd like you to|i would like you to|i want you to|"
    r"let's|how you'd|how you would|how would you|where you'd|where would you|you'd|please|go ahead and|"
    r"to)\s+"
    r"(?:please\s+|now\s+|just\s+|first\s+|quickly\s+|go\s+(?:and\s+)?|try\s+(?:to\s+|and\s+)?)?"
)
_PHRASAL = re.compile(r"(sign(?:ing)?[\s-](?:in|up|on)|log(?:ging)?[\s-](?:in|on)|check(?:ing)?[\s-]out|"
                      r"search(?:ing)?)\b")


def _forms(verbs: str) -> frozenset[str]:
    """Each verb as said: "add", "adds", "adding"; "create", "creating" (not nouns: "payments")."""
    found = set()
    for verb in verbs.split():
        found |= {verb, verb + "s", verb + "ing", verb[:-1] + "ing" if verb.endswith("e") else verb + "ing"}
    return frozenset(found)


_TASK_VERBS = _forms("""
add claim create make pick choose book buy import export change edit set freeze block pay cancel delete invite
upload download send transfer share update apply request report renew top order schedule approve assign remove
connect link track manage review compare filter sort save reset configure
""")
_LOOKING_VERBS = _forms("find check view look")
"""Verbs that name a place only with a definite object ("find your statements", not "find some bread")."""
_PRONOUNS = frozenset("it them that this one".split())
_LAST_NAMED = re.compile(r"\b(?:the|your|my|our|a|an)\s+([a-z][\w'\-]*(?:\s+[a-z][\w'\-]*){0,2})")


@dataclass(frozen=True)
class Mention:
    """A place named in a text: its key, label, where, and how surely (:data:`EXPLICIT` … :data:`PART`)."""

    key: str
    label: str
    start: int
    end: int
    strength: int

    @property
    def explicit(self) -> bool:
        """Named outright ("the payments screen"), not just pointed at or worked on."""
        return self.strength == EXPLICIT


def mentions(text: str) -> list[Mention]:
    """Places anyone names outright in ``text`` ("the X screen", "the X button"), in order."""
    low = _plain(text)
    found = tokens(low)
    result: list[Mention] = []
    for position, token in enumerate(found):
        strength = EXPLICIT if token.word in _SCREEN_WORDS else PART if token.word in _PART_WORDS else None
        if strength is None or position == 0:
            continue
        names = _name_before(found, position)
        if names:
            first = found[position - len(names)]
            label = _label(text[first.start:found[position - 1].end])
            result.append(Mention(label_key(label), label, first.start, token.end, strength))
    return result


def places(text: str) -> list[Mention]:
    """Places a researcher's turn names: outright, by navigation or by task, in order."""
    low = _plain(text)
    found = [m for m in mentions(text) if m.explicit]
    for pattern, strength in ((_NAVIGATION, NAVIGATION), (_POINTING, NAVIGATION)):
        for match in pattern.finditer(low):
            found.extend(_object_at(text, low, match.end(), strength))
    for match in _TERSE.finditer(low):
        found.extend(m for m in _object_at(text, low, match.end(), NAVIGATION) if _SENTENCE_END.match(low, m.end))
    for match in _TASK_LEAD.finditer(low):
        found.extend(_task_at(text, low, match.end()))
    return sorted(found, key=lambda m: (m.start, -m.strength))


def read_out(text: str, names: frozenset[str] = frozenset()) -> Mention | None:
    """The label a participant reads out as they start a task ("Approvals. Four waiting.",
    "Add expense, camera." → Expense): an opening fragment of one to three content words, less a
    leading verb or "new"/"my", none of them a feeling, a bland word or one of ``names`` (stems of words the
    stretch capitalises inside sentences: people and places such as "Bristol")."""
    fragment = _FRAGMENT.match(text)
    if fragment is None:
        return None
    said = tokens(fragment.group(1))
    while len(said) > 1 and (said[0].word in _TASK_VERBS | _LOOKING_VERBS or said[0].word in _LABEL_PREFIXES):
        said = said[1:]
    if not 1 <= len(said) <= _MAX_NAME_WORDS or not all(_is_name(t.word) and not is_bland(t.word) for t in said):
        return None
    if any(stem(t.word) in names for t in said):
        return None
    start, end = fragment.start(1) + said[0].start, fragment.start(1) + said[-1].end
    label = _label(text[start:end])
    return Mention(label_key(label), label, start, end, PART)


def asked_about(text: str) -> list[Mention]:
    """What a researcher asks someone's view of ("how do you feel about the search?"): a hint of
    the place a stretch is about, too weak to start one."""
    low = _plain(text)
    return [m for match in _ASKED.finditer(low) for m in _object_at(text, low, match.end(), PART)]


def label_key(label: str) -> str:
    """A key under which labels naming the same place agree: stems of its content words."""
    stems = [stem(t.word) for t in tokens(_plain(label)) if t.word not in STOP_WORDS and t.word not in _GENERIC]
    return " ".join(stems) or label.strip().lower()


@functools.lru_cache(maxsize=4096)
def screen_of_label(label: str) -> Mention | None:
    """The screen a label names outright ("Payments Screen"), if it does. Remembered: every quote asks."""
    named = [m for m in mentions(label) if m.explicit]
    return named[0] if named else None


def _plain(text: str) -> str:
    return text.lower().replace("\u2019", "'")


def _name_before(found: list, position: int) -> list[str]:
    """Up to three name words just before a screen word ("roles and permissions page")."""
    names: list[str] = []
    index = position - 1
    while index >= 0 and len([w for w in names if w not in _CONNECTORS]) < _MAX_NAME_WORDS:
        word = found[index].word
        if word in _CONNECTORS and names and index > 0 and _is_name(found[index - 1].word):
            names.insert(0, word)
        elif _is_name(word):
            names.insert(0, word)
        else:
            break
        index -= 1
    while names and names[0] in _CONNECTORS:
        names.pop(0)
    return names


def _is_name(word: str) -> bool:
    return is_content(word) and word not in _NOT_A_NAME and len(word) > 2 and word not in _GENERIC


def _object_at(text: str, low: str, at: int, strength: int) -> list[Mention]:
    """The noun phrase that starts at ``at`` as a place, if it is one ("signing in" stays whole;
    "go to find your statements" is a task)."""
    phrasal = _PHRASAL.match(low, at)
    if phrasal:
        label = _label(text[phrasal.start():phrasal.end()].replace("-", " "))
        return [Mention(label_key(label), label, phrasal.start(), phrasal.end(), max(strength, NAVIGATION))]
    first = tokens(low[at:at + 40])
    if (strength != TASK and first and not low[at:at + first[0].start].strip()
            and first[0].word in _TASK_VERBS | _LOOKING_VERBS):
        return _task_at(text, low, at)
    if first and first[0].word in _PRONOUNS and not low[at:at + first[0].start].strip():
        return _antecedent(text, low, at, strength)
    names: list = []
    previous = at
    for token in tokens(low[at:]):
        if len(names) == _MAX_NAME_WORDS or not _is_name(token.word) or low[previous:at + token.start].strip():
            break
        names.append(token)
        previous = at + token.end
    while names and names[-1].word in _GENERIC:
        names.pop()
    if not names:
        return []
    start, end = at + names[0].start, at + names[-1].end
    label = _label(text[start:end])
    return [Mention(label_key(label), label, start, end, strength)]


def _task_at(text: str, low: str, at: int) -> list[Mention]:
    """The place a task names: a phrasal task itself ("sign in", "search"), else its verb's object."""
    skip = re.match(_DET, low[at:])
    if _PHRASAL.match(low, at + (skip.end() if skip else 0)):
        return _object_at(text, low, at + (skip.end() if skip else 0), TASK)
    words = tokens(low[at:])
    verb = words[0].word if words else ""
    if verb not in _TASK_VERBS and verb not in _LOOKING_VERBS:
        return []
    after = at + words[0].end
    particle = re.match(r"\s+(?:up|in|out|on|off|back|for)\b", low[after:])
    after += particle.end() if particle else 0
    skip = re.match(r"\s*" + _DET + "?", low[after:])
    if verb in _LOOKING_VERBS and not re.match(r"\s*(?:the|your|my|our|\w+'s|it|them|that)\b", low[after:]):
        return []
    return _object_at(text, low, after + (skip.end() if skip else 0), TASK)


def _antecedent(text: str, low: str, at: int, strength: int) -> list[Mention]:
    """What a pronoun at ``at`` stands for: the last thing named before it ("You have a railcard.
    Could you add it?" → Railcard)."""
    for match in reversed(list(_LAST_NAMED.finditer(low, 0, at))):
        named = _object_at(text, low, match.start(1), strength)
        if named:
            return named
    return []


def _label(said: str) -> str:
    return title_case(" ".join(said.split()))
