"""The sentiment lexicon: words and phrases by which researchers code what participants feel.

Each marker is a phrase of lower-case words; a word ending in ``*`` matches any word that
starts with it (``annoy*`` matches "annoying", "annoyed"). ``negated`` is what the marker
means after "not", "don't", "never"… ("not easy" is friction, not satisfaction); None means a
negated marker says nothing. Opinion markers (sentiment None) carry no emotion of their own
but show that a participant is giving a view, which makes a sentence worth quoting.
"""

from __future__ import annotations

from dataclasses import dataclass

from bristlenose.models import Sentiment

F, C, D = Sentiment.FRUSTRATION, Sentiment.CONFUSION, Sentiment.DOUBT
SU, SA, DE, CO = Sentiment.SURPRISE, Sentiment.SATISFACTION, Sentiment.DELIGHT, Sentiment.CONFIDENCE


@dataclass(frozen=True)
class Marker:
    """One phrase of the lexicon and what it signals."""

    words: tuple[str, ...]
    sentiment: Sentiment | None
    weight: float
    negated: Sentiment | None = None
    interjection: bool = False

    def matches(self, position: int, word: str) -> bool:
        """Whether ``word`` fits the marker's ``position``-th word."""
        wanted = self.words[position]
        return word.startswith(wanted[:-1]) if wanted.endswith("*") else word == wanted


def _markers(sentiment: Sentiment | None, weight: float, phrases: str, negated: Sentiment | None = None,
             interjection: bool = False) -> list[Marker]:
    return [Marker(tuple(p.split()), sentiment, weight, negated, interjection)
            for p in phrases.split(",") if p.strip()]


MARKERS: tuple[Marker, ...] = tuple(
    # Frustration.
    _markers(F, 2, "annoy*, frustrat*, irritat*, infuriat*, disappoint*, overwhelm*, faff*, fiddl*, hate, ridiculous, "
                   "rubbish, terrible, awful, horrible, useless, waste of time, tedious, clunky, cluttered, nightmare, "
                   "takes ages, took ages, a pain, pain in the, put me off, puts me off, off putting, rip off, sneaky, "
                   "stupid, fed up, sick of, gave up, give up, drives me, bugs me, bothers me, too many, too much, "
                   "too long, a bit much, don't like, didn't like, do not like, not a fan, feel silly, feel stupid, "
                   "my fault, cross, hide it, hides it, hidden, why does it, why does this, why do i have to, "
                   "why can't, why can i not, buried, tucked away, hidden away, not bother, wouldn't bother, "
                   "won't bother, cheeky, pointless, can't use, couldn't use, can't rely, wouldn't rely, "
                   "defeats the point, drives me mad, mad, took me ages, takes me ages, forever, a real gap, "
                   "a problem, tricked, spoils, fussy, backwards, given up, shut out, left out, come on", negated=SA)
    + _markers(F, 1, "slow, wrong, bad, shame, ugh, hassle, long winded, why is it, why is there, why would, silly, "
                     "odd, gap, missing, not great, had to, have to, that's a lot, i wish",
               negated=SA)
    # Confusion.
    + _markers(C, 2, "confus*, puzzl*, baffl*, unclear, ambiguous, misleading, no idea, no clue, don't understand, "
                     "didn't understand, i don't get it, don't know what, don't know where, don't know how, "
                     "didn't know, wasn't sure, what does this, what is this, what's this, what's that, "
                     "what does that mean, what do they mean, what am i supposed, where do i, can't find, "
                     "couldn't find, cannot find, hard to find, i'm lost, got lost, bit lost, did that work, "
                     "did it work, more obvious, much clearer, be clearer, needs to be clearer, can't see, cannot see, "
                     "couldn't see, can't tell, couldn't tell, what's the difference, which one do i, doesn't say, "
                     "didn't say, doesn't tell, didn't tell, no explanation, doesn't explain, mean nothing, "
                     "means nothing, good or bad", negated=SA)
    + _markers(C, 1, "not sure, unsure, vague, weird, strange, hmm, where is, where's, how do i, what does that, "
                     "which one, what happens, what happened, i assumed, i thought it would, what's a, what is a, "
                     "what does the, what do the", negated=None)
    # Doubt.
    + _markers(D, 2, "don't trust, wouldn't trust, not convinced, suspicious, sceptic*, skeptic*, worried, worries, "
                     "worry, worrying, hesitant, risky, dodgy, dubious, nervous, wary, reluctant, i doubt, "
                     "what's the catch, not sure i'd, not sure i would, don't know if, didn't know if, is it worth, "
                     "not worth, would i really, alarming, scam*, to be safe, be nervous, i'd be worried, "
                     "stop trusting, "
                     "trust it less, trust it a lot less, scary, scare*, frighten*, panic*, anxious", negated=CO)
    + _markers(D, 1, "would i, doubt, i wouldn't, i'd never, gamble, catch", negated=None)
    # Surprise.
    + _markers(SU, 2, "didn't expect, wasn't expecting, did not expect, surpris*, unexpected*, out of nowhere, "
                      "whoa, wow, i had no idea", negated=None)
    + _markers(SU, 1, "suddenly", negated=None)
    + _markers(SU, 0.5, "oh, wait, hang on, huh", negated=None, interjection=True)
    # Satisfaction.
    + _markers(SA, 2, "easy, easier, easily, that works, works well, i like, we like, helpful, useful, handy, "
                      "smooth*, convenient, does the job, pleased, happy with", negated=F)
    + _markers(SA, 2, "makes sense, made sense, intuitive", negated=C)
    + _markers(SA, 1, "fine, good, nice, quick, quickly, fast, sensible, neat, tidy, clean, happy, okay with, "
                      "works, workable, don't mind, do not mind, saves time, saves a lot of time, better, simple enough, "
                      "easy enough, much better, a lot better, works for",
               negated=F)
    + _markers(SA, 1, "clear, clearly, simple", negated=C)
    # Delight.
    + _markers(DE, 3, "love*, brilliant, amazing, fantastic, awesome, excellent, fab, fabulous, delight*, gorgeous",
               negated=F)
    + _markers(DE, 2, "great, perfect, cool, clever, impress*, beautiful, favourite, fun, magic", negated=F)
    # Confidence.
    + _markers(CO, 2, "obvious, obviously, straightforward, self explanatory", negated=C)
    + _markers(CO, 2, "definitely, confident, reassur*, no problem, no problems, i'd know, i would know, "
                      "i know exactly, exactly what i, i'd trust, i trust, i'd feel safe, feel safe, feels safe",
               negated=D)
    + _markers(CO, 1, "of course, certainly, safe, sure enough, trust", negated=D)
    # Opinion: no emotion, but a view worth quoting.
    + _markers(None, 1.5, "i think, i feel, i reckon, i'd say, i'd expect, i would expect, i expected, "
                          "i was expecting, i'd rather, i would rather, i'd prefer, i prefer, i'd want, "
                          "i would want, i'd like, i would like, i'd hope, i'd assume, i'd probably, i'd just, "
                          "i'd normally, i'd have, i always, i never, i usually, i tend to, to be honest, honestly, "
                          "for me, personally, the thing is", negated=None)
)

HEDGES: frozenset[str] = frozenset("suppose guess maybe probably perhaps slightly fairly somewhat bit little".split())
"""Words that soften a feeling in their clause ("a bit slow", "fine, I suppose"): it counts less."""

INTENSIFIERS: frozenset[str] = frozenset(
    """
really so very absolutely totally completely super incredibly extremely properly genuinely seriously massively
utterly ridiculously insanely such way far bloody
""".split()
)

NEGATORS: frozenset[str] = frozenset(
    """
not no never hardly barely nothing nobody neither nor don't doesn't didn't isn't wasn't aren't weren't can't
cannot couldn't won't wouldn't shouldn't haven't hasn't hadn't ain't dont doesnt didnt isnt wasnt cant couldnt
wont wouldnt
""".split()
)

GAP_WORDS: frozenset[str] = INTENSIFIERS | frozenset("do did actually just quite also still kind of pretty".split())

HARD_FILLERS: frozenset[str] = frozenset("um umm uh uhh er erm ah mm mmm hmm".split())
"""Fillers trimmed from the start of a quote wherever they stand."""

SOFT_FILLERS: tuple[tuple[str, ...], ...] = tuple(
    tuple(f.split()) for f in (
        "like", "so", "well", "yeah", "yes", "yep", "no", "okay", "ok", "right", "and", "but", "i mean", "you know",
        "i guess", "kind of", "sort of", "to be fair", "anyway",
    )
)
"""Words trimmed from the start of a quote only before a pronoun or a capital ("So, I'd…", "Yeah. The…")."""

PRONOUNS: frozenset[str] = frozenset(
    """
i i'd i'm i've i'll it it's that that's this the there there's they they're you you'd we we'd my if when what
why how
""".split()
)
