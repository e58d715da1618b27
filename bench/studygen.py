"""Generate a study of realistic interview transcripts for the scale benchmarks.

Each session is a moderated interview of 100–140 turns (a real 30–45 minute session), about
one of several products, walking through its screens with thinking aloud, in a mix of
formats (bristlenose ``.txt``, Zoom ``.vtt``, ``.srt`` and Teams ``.docx``). Deterministic
for a seed, so two benchmark runs read the same study.
"""

from __future__ import annotations

import random
from pathlib import Path

DOMAINS = {
    "banking": (["login", "dashboard", "transfers", "statements", "savings goals", "card settings"],
                ["the balance", "a standing order", "the overdraft limit", "my payee list", "the PIN reset"]),
    "travel": (["search", "results", "seat map", "baggage", "payment", "itinerary"],
               ["the return flight", "a window seat", "the hold luggage", "the fare rules", "my booking code"]),
    "health": (["sign in", "appointments", "prescriptions", "test results", "messages", "profile"],
               ["my repeat prescription", "the blood test", "a video consultation", "the GP surgery", "my allergies"]),
    "learning": (["course catalogue", "lesson player", "quiz", "progress", "certificates", "settings"],
                 ["the next module", "the transcript download", "my streak", "the practice quiz", "subtitles"]),
}
MODERATOR = [
    "Could you show me how you would find {item} from the {screen} page?",
    "What did you expect to happen when you tapped that?",
    "How are you feeling about the {screen} page so far?",
    "Let's move on to the {screen} page now. Just think aloud as you go.",
    "You paused there for a moment. What were you looking for?",
    "If you were doing this at home, what would you do next?",
    "Is there anything on this page you would change?",
    "Tell me a bit about the last time you dealt with {item}.",
]
PARTICIPANT = [
    "I think the {screen} page is quite straightforward, I found {item} almost straight away.",
    "Honestly this is a bit frustrating, I can't work out where {item} has gone after I pressed it.",
    "Oh, I didn't expect {item} to change like that, that surprised me.",
    "I really like how clear the {screen} page is, I'd happily use it again.",
    "I'm not sure I'd trust this page with {item}, to be honest, it feels a bit flimsy.",
    "Um, okay, let me scroll down a little and have a look for {item}.",
    "So normally I'd ask my partner about {item}, they handle most of that.",
    "That label is confusing, I thought it meant something completely different.",
    "Right, yes, that makes sense now, it just took me a second to see it.",
    "I'd expect a search box up here, I always look for one first.",
    "It's a lot of text, I'd probably skim it and hope for the best.",
    "The button is tiny on my phone, I keep missing it with my thumb.",
]


def _turns(rng: random.Random) -> list[tuple[str, str, int]]:
    """(speaker code, text, start second) of one interview."""
    screens, items = DOMAINS[rng.choice(sorted(DOMAINS))]
    turns, seconds, count = [], 0, rng.randint(100, 140)
    for turn in range(count):
        screen = screens[min(turn * len(screens) // count, len(screens) - 1)]
        moderator = turn % 2 == 0
        pool = MODERATOR if moderator else PARTICIPANT
        sentences = 1 if moderator else rng.randint(1, 3)
        text = " ".join(rng.choice(pool).format(screen=screen, item=rng.choice(items)) for _ in range(sentences))
        turns.append(("m1" if moderator else "p1", text, seconds))
        seconds += rng.randint(5, 25)
    return turns


def _stamp(seconds: int, sep: str) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}{sep}000"


def _write_txt(path: Path, turns: list[tuple[str, str, int]], names: dict[str, str]) -> None:
    lines = [f"[{s // 60:02d}:{s % 60:02d}] [{who}] {text}" for who, text, s in turns]
    path.with_suffix(".txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_cues(path: Path, turns: list[tuple[str, str, int]], names: dict[str, str], vtt: bool) -> None:
    sep = "." if vtt else ","
    blocks = ["WEBVTT\n"] if vtt else []
    for number, (who, text, start) in enumerate(turns, 1):
        end = turns[number][2] - 1 if number < len(turns) else start + 5
        blocks.append(f"{number}\n{_stamp(start, sep)} --> {_stamp(max(end, start + 1), sep)}\n{names[who]}: {text}\n")
    path.with_suffix(".vtt" if vtt else ".srt").write_text("\n".join(blocks), encoding="utf-8")


def _write_docx(path: Path, turns: list[tuple[str, str, int]], names: dict[str, str]) -> None:
    from docx import Document

    document = Document()
    for who, text, start in turns:
        document.add_paragraph(f"{names[who]}  {start // 60}:{start % 60:02d}")
        document.add_paragraph(text)
    document.save(str(path.parent / f"{path.name} - Transcript.docx"))


FIRST = ["Dana", "Marcus", "Priya", "Tom", "Aisha", "Lukas", "Mei", "Jorge", "Fatima", "Owen", "Sara", "Kenji"]
LAST = ["Whitfield", "Okafor", "Shah", "Berg", "Novak", "Silva", "Reyes", "Tanaka", "Byrne", "Larsen"]


def write_study(folder: Path, sessions: int, seed: int = 7, docx_share: float = 0.05) -> None:
    """``sessions`` interviews in ``folder``: mostly .txt, .vtt and .srt, a few .docx."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, sessions + 1):
        turns = _turns(rng)
        names = {"m1": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "p1": f"{rng.choice(FIRST)} {rng.choice(LAST)}"}
        if names["m1"] == names["p1"]:
            names["p1"] += " Jr"
        path = folder / f"interview-{number:05d}"
        pick = rng.random()
        if pick < docx_share:
            _write_docx(path, turns, names)
        elif pick < 0.4:
            _write_txt(path, turns, names)
        elif pick < 0.7:
            _write_cues(path, turns, names, vtt=True)
        else:
            _write_cues(path, turns, names, vtt=False)
