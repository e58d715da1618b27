"""Write the gold studies' transcript files from their scripts, in the format each file name asks for.

Usage (from the repository root): ``python tests/studies/make_study_files.py``.

Each ``tests/studies/sources/<study>/<file>.script`` holds one turn a line, ``Speaker|text``
(lines starting with ``#`` are comments). It becomes ``tests/studies/<study>/<file>`` as a
Zoom-style ``.vtt``, an ``.srt``, bristlenose's ``.txt`` (speakers are codes there) or a
Teams-style ``.docx``, with timestamps paced at speaking speed, so the same script always gives
the same bytes.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from scripts.make_sample_docx import write_docx  # noqa: E402

_WORDS_PER_SECOND = 2.6
_GAP = 0.8


def _turns(script: Path) -> list[tuple[str, str]]:
    found = []
    for line in script.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            speaker, text = line.split("|", 1)
            found.append((speaker.strip(), text.strip()))
    return found


def _timed(turns: list[tuple[str, str]]) -> list[tuple[float, float, str, str]]:
    at, timed = 1.5, []
    for speaker, text in turns:
        length = max(1.2, len(text.split()) / _WORDS_PER_SECOND)
        timed.append((at, at + length, speaker, text))
        at += length + _GAP
    return timed


def _stamp(seconds: float, comma: bool) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{',' if comma else '.'}{ms:03d}"


def write(script: Path, output: Path) -> None:
    """``output`` from ``script`` in the format of ``output``'s suffix."""
    timed = _timed(_turns(script))
    suffix = output.suffix.lower()
    if suffix == ".vtt":
        cues = [f"{n}\n{_stamp(a, False)} --> {_stamp(b, False)}\n{who}: {text}\n"
                for n, (a, b, who, text) in enumerate(timed, start=1)]
        output.write_text("WEBVTT\n\n" + "\n".join(cues), encoding="utf-8")
    elif suffix == ".srt":
        cues = [f"{n}\n{_stamp(a, True)} --> {_stamp(b, True)}\n{who}: {text}\n"
                for n, (a, b, who, text) in enumerate(timed, start=1)]
        output.write_text("\n".join(cues), encoding="utf-8")
    elif suffix == ".txt":
        lines = [f"[{int(a) // 60:02d}:{int(a) % 60:02d}] [{who}] {text}" for a, _, who, text in timed]
        output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif suffix == ".docx":
        lines = [f"# title: {output.stem}", "# date: 2 November 2026, 10:00"]
        lines += [f"{who}|{int(a) // 60}:{int(a) % 60:02d}|{text}" for a, _, who, text in timed]
        with tempfile.TemporaryDirectory() as scratch:
            source = Path(scratch) / "source.txt"
            source.write_text("\n".join(lines) + "\n", encoding="utf-8")
            write_docx(source, output)
    else:
        raise SystemExit(f"{script}: no writer for {suffix!r}")


def main() -> int:
    for script in sorted((HERE / "sources").glob("*/*.script")):
        output = HERE / script.parent.name / script.name.removesuffix(".script")
        output.parent.mkdir(parents=True, exist_ok=True)
        write(script, output)
        print(output.relative_to(HERE.parents[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
