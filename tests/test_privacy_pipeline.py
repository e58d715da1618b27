"""PII redaction in the build: the real anthropic SDK in a doit subprocess against the fake
server, on a study with personal data planted in every transcript format (.vtt, .srt,
.docx, .txt). What the server received and what the report holds are searched for every
planted value, whatever its case or spacing."""

from __future__ import annotations

import html
import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bristlenose.pipeline.targets import read_payload
from bristlenose.models import Redactions, SessionQuotes, Transcript
from scripts.make_sample_docx import write_docx
from tests.fakes.server import FakeLLMServer
from tests.support.study import Study
from tests.test_llm_pipeline import provider_env

FIXTURE = Path(__file__).parent / "fixtures" / "pii"
SPEC = json.loads((FIXTURE / "planted.json").read_text(encoding="utf-8"))
PLANTED = [item["value"] for item in SPEC["planted"]]
ON = {"BRISTLENOSE_REDACT_PII": "true"}
OFF = {"BRISTLENOSE_REDACT_PII": "false"}


def norm(text: str) -> str:
    """Lower-cased with all spacing removed: finds a value however it was cased or spaced."""
    return re.sub(r"\s+", "", text.lower())


def strings(value: Any) -> Iterator[str]:
    """Every string inside a decoded JSON body (escapes undone)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def sent(server: FakeLLMServer) -> str:
    """Everything the provider was sent, normalised."""
    return norm(" ".join(text for body in server.bodies for text in strings(json.loads(body))))


def report_text(study: Study) -> str:
    """The report, report.md, quotes.csv and every transcript page, unescaped and normalised."""
    files = [*study.output.glob("*.html"), study.output / "report.md", study.output / "quotes.csv",
             *(study.output / "sessions").glob("*.html")]
    assert len(files) >= 8
    return norm(" ".join(html.unescape(path.read_text(encoding="utf-8")) for path in files))


def session_of(study: Study, filename: str) -> str:
    """The session id the study gave ``filename``."""
    for path in (study.state / "sessions").glob("*/transcript.json"):
        if read_payload(path, Transcript).sources[0].path == filename:
            return path.parent.name
    raise AssertionError(f"no session for {filename}")


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as fake:
        yield fake


@pytest.fixture
def study(tmp_path: Path, server: FakeLLMServer) -> Study:
    study = Study.copy_of(tmp_path, FIXTURE / "study")
    for source in (FIXTURE / "sources").glob("*.teams.txt"):
        write_docx(source, study.input / source.name.replace(".teams.txt", ".docx"))
    study.env = provider_env(server, "anthropic")
    return study


def test_with_redaction_on_no_planted_value_reaches_the_provider_or_the_report(study: Study,
                                                                                server: FakeLLMServer) -> None:
    run = study.doit(env=ON)
    assert run.returncode == 0, run.stdout + run.stderr
    assert {"speakers:s1", "speakers:s2", "speakers:s3", "topics:s1", "quotes:s4", "themes"} <= set(server.counts())
    provider, report = sent(server), report_text(study)
    for value in PLANTED:
        assert norm(value) not in provider, value
        assert norm(value) not in report, value
    for word in SPEC["keep"]:
        assert norm(word) in provider, word
    pages = norm(" ".join(html.unescape(p.read_text()) for p in (study.output / "sessions").glob("*.html")))
    for word in SPEC["keep"]:
        assert norm(word) in pages, word
    for placeholder in ("[NAME]", "[EMAIL]", "[PHONE]", "[ADDRESS]", "[CARD]", "[IBAN]", "[DATE OF BIRTH]"):
        assert norm(placeholder) in pages, placeholder


def test_the_audit_record_holds_every_original_value_readable_only_by_its_owner(study: Study) -> None:
    run = study.progress(env=ON)
    assert run.returncode == 0, run.stdout + run.stderr
    records = [study.state / "sessions" / f"s{n}" / "redactions.json" for n in range(1, 6)]
    originals, count = "", 0
    for path in records:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        record = Redactions.model_validate_json(path.read_text(encoding="utf-8"))
        assert record.enabled
        originals += norm(" ".join(item.original for item in record.items))
        count += len(record.items)
    for value in PLANTED:
        assert norm(value) in originals, value
        assert norm(value) not in norm(run.stdout + run.stderr), value
    assert f"Redacted {count} personal-data items" in run.stdout


def test_quotes_are_verbatim_in_the_redacted_transcript(study: Study) -> None:
    assert study.doit(env=ON).returncode == 0
    with_placeholder = 0
    for n in range(1, 6):
        redacted = read_payload(study.target("redact", f"s{n}"), Transcript)
        texts = {segment.index: segment.text for segment in redacted.segments}
        for quote in read_payload(study.target("quotes", f"s{n}"), SessionQuotes).quotes:
            assert quote.text in texts[quote.segment_index]
            with_placeholder += "[" in quote.text
    assert with_placeholder > 0


def test_turning_redaction_off_and_on_reruns_only_redaction_and_the_sessions_it_changes(
        study: Study, server: FakeLLMServer) -> None:
    assert study.doit(env=ON).returncode == 0
    clean = session_of(study, "pii-05.txt")
    changed = {f"s{n}" for n in range(1, 6)} - {clean}
    server.reset_counts()

    off = study.doit(env=OFF)
    assert off.returncode == 0, off.stdout + off.stderr
    assert {f"redact:s{n}" for n in range(1, 6)} <= off.executed
    assert not any(name.startswith(("transcript:", "speakers:")) for name in off.executed)
    assert {f"{stage}:{sid}" for stage in ("topics", "quotes") for sid in changed} <= off.executed
    assert not {f"topics:{clean}", f"quotes:{clean}"} & off.executed
    assert norm("priya.raman@examplemail.com") in sent(server)  # off really sends the text as it is
    assert Redactions.model_validate_json((study.state / "sessions" / clean / "redactions.json").read_text()).items == []

    assert study.doit(env=OFF).executed == set()
    again = study.doit(env=ON)
    assert again.returncode == 0
    assert not any(name.startswith(("transcript:", "speakers:")) for name in again.executed)
    assert not {f"topics:{clean}", f"quotes:{clean}"} & again.executed


RECORDED_VTT = """WEBVTT

1
00:00:01.000 --> 00:00:04.500
Interviewer: Thanks for joining. Could you tell me how you pay for things?

2
00:00:05.000 --> 00:00:09.500
Participant: Sure, text me on 07700 900333 and I'll send the receipts over.

3
00:00:10.000 --> 00:00:14.000
Interviewer: And do you mostly pay with Apple Pay when the checkout in Quillo allows it?
"""


def test_the_report_plays_a_copy_of_the_recording_with_redacted_speech_silenced(tmp_path: Path,
                                                                                 server: FakeLLMServer) -> None:
    from bristlenose.transcribe.media import SAMPLE_RATE, load_audio
    from tests.support.media import pcm_wav

    folder = tmp_path / "recorded"
    folder.mkdir()
    (folder / "call.vtt").write_text(RECORDED_VTT, encoding="utf-8")
    pcm_wav(folder / "call.wav", seconds=15, amplitude=8000)
    study = Study.copy_of(tmp_path, folder, recordings=True)
    study.env = provider_env(server, "anthropic")

    run = study.doit(env=ON)
    assert run.returncode == 0, run.stdout + run.stderr
    copy = study.output / "recordings" / "s1-redacted.m4a"
    audio, _ = load_audio(copy, copy.name)

    def loudness(start: float, end: float) -> float:
        return float(abs(audio[int(start * SAMPLE_RATE):int(end * SAMPLE_RATE)]).mean())

    assert loudness(5.2, 9.3) < 0.001 < loudness(1.0, 4.5)
    assert loudness(10.2, 13.8) > 0.001
    pages = [*study.output.glob("*.html"), *(study.output / "sessions").glob("*.html")]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "call.wav" not in text, page.name
    assert any("recordings/s1-redacted.m4a" in page.read_text(encoding="utf-8") for page in pages)

    off = study.doit(env=OFF)
    assert off.returncode == 0
    assert any("call.wav" in page.read_text(encoding="utf-8") for page in pages)


def test_a_transcribed_recording_has_each_redacted_word_silenced(tmp_path: Path, server: FakeLLMServer) -> None:
    """Real Whisper on a spoken call (tests/fixtures/pii/recorded): what it transcribed as a
    name or a phone number never reaches the provider, and is silent in the copy played."""
    from bristlenose.transcribe.media import SAMPLE_RATE, load_audio

    study = Study.copy_of(tmp_path, FIXTURE / "recorded", recordings=True)
    study.env = provider_env(server, "anthropic")
    run = study.doit(env=ON, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    record = Redactions.model_validate_json((study.state / "sessions" / "s1" / "redactions.json").read_text())
    timed = [item for item in record.items if item.time_start is not None and item.time_end is not None]
    assert {"NAME", "PHONE"} <= {item.kind for item in timed}
    redacted = " ".join(s.text for s in read_payload(study.target("redact", "s1"), Transcript).segments)
    assert "sarah" not in redacted.lower() and not re.search(r"\d", redacted)
    assert "sarah" not in sent(server) and not re.search(r"\d{3}", sent(server).replace("claude-sonnet-4-6", ""))

    audio, _ = load_audio(study.output / "recordings" / "s1-redacted.m4a", "copy")
    original, _ = load_audio(study.input / "pii-call.m4a", "original")

    def loudness(samples: Any, start: float, end: float) -> float:
        return float(abs(samples[int(start * SAMPLE_RATE):int(end * SAMPLE_RATE)]).mean())

    for item in timed:
        assert loudness(original, item.time_start, item.time_end) > 0.001
        assert loudness(audio, item.time_start, item.time_end) < 0.001, item.kind
    first = read_payload(study.target("redact", "s1"), Transcript).segments[0]
    assert loudness(audio, first.start, first.end or first.start + 3) > 0.001


def test_names_from_the_people_file_are_redacted_and_never_shown_in_the_report(study: Study) -> None:
    assert study.doit(env=ON).returncode == 0
    path = study.output / "people.yaml"
    people = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert not any(label.startswith("[NAME]") for speakers in people.values() for label in speakers)
    label = next(iter(people["s1"]))
    people["s1"][label]["name"] = "Wilhelmina Quartermaine"
    path.write_text(yaml.safe_dump(people, sort_keys=False), encoding="utf-8")
    run = study.doit(env=ON)
    assert run.returncode == 0, run.stdout + run.stderr
    assert {"redact:s1", "render"} <= run.executed and "redact:s2" not in run.executed
    assert norm("Wilhelmina Quartermaine") not in report_text(study)
    assert norm("Wilhelmina") not in report_text(study)
