"""A whole run of sample_data/ with the real doit: targets, no-op reruns, list/info/forget."""

from __future__ import annotations

import csv
import json

from bristlenose.analysis.text import find_verbatim
from bristlenose.models import ExtractedQuotes, Participants, Role, Transcript
from tests.support.study import Study

SESSIONS = ["s1", "s2", "s3", "s4"]
PER_SESSION = [f"{stage}:{s}" for stage in ("transcript", "speakers", "redact", "topics", "quotes") for s in SESSIONS]
CROSS_SESSION = ["participants", "topic_boundaries", "extracted_quotes", "clusters", "themes", "render"]


def payload(path):
    body = json.loads(path.read_text())
    body.pop("_meta")
    return body


def test_first_run_writes_every_target_and_second_run_executes_nothing(study: Study) -> None:
    first = study.doit()
    assert first.returncode == 0, first.stderr
    assert first.executed == set(PER_SESSION + CROSS_SESSION)
    for stage in ("transcript", "speakers", "redact", "topics", "quotes"):
        for session in SESSIONS:
            assert json.loads(study.target(stage, session).read_text())["_meta"]["stage"] == stage
    for name in ("participants", "topic_boundaries", "extracted_quotes", "screen_clusters", "theme_groups"):
        assert study.intermediate(name).exists()
    assert (study.output / "bristlenose-study-report.html").exists()
    assert (study.output / "report.md").exists()
    assert (study.output / "quotes.csv").exists()
    assert sorted(p.name for p in (study.output / "sessions").iterdir()) == [f"transcript_{s}.html" for s in SESSIONS]

    second = study.doit()
    assert second.returncode == 0, second.stderr
    assert second.executed == set()
    assert set(second.results.values()) == {"up-to-date"}


def test_list_shows_stage_session_task_names(study: Study) -> None:
    listed = study.doit("list")
    names = {line.split()[0] for line in listed.stdout.splitlines() if line.strip()}
    assert set(PER_SESSION + CROSS_SESSION) <= names


def test_info_shows_provider_and_model_of_a_finished_session(study: Study) -> None:
    assert study.doit().returncode == 0
    info = study.doit("info", "quotes:s2")
    assert "'provider': 'counting'" in info.stdout
    assert "'model': 'counting-1'" in info.stdout
    assert "up-to-date" in info.stdout


def test_forget_one_session_reruns_exactly_it_and_downstream(study: Study) -> None:
    assert study.doit().returncode == 0
    study.reset_calls()
    forget = study.doit("forget", "quotes:s2")
    assert forget.returncode == 0, forget.stderr
    again = study.doit()
    assert again.returncode == 0, again.stderr
    assert again.executed == {"quotes:s2", "extracted_quotes", "clusters", "themes", "render"}
    assert study.calls() == {"quotes:s2": 1, "clusters": 1, "themes": 1}


def test_every_quote_is_verbatim_and_attributed_to_its_participant(study: Study) -> None:
    assert study.doit().returncode == 0
    merged = ExtractedQuotes.model_validate(payload(study.intermediate("extracted_quotes")))
    participants = Participants.model_validate(payload(study.intermediate("participants")))
    assert len(merged.quotes) >= 20
    speakers_per_session: dict[str, set[str]] = {}
    for quote in merged.quotes:
        transcript = Transcript.model_validate(payload(study.target("speakers", quote.session_id)))
        segment = transcript.segments[quote.segment_index]
        assert quote.text in segment.text
        assert find_verbatim(quote.text, segment.text) == quote.text
        assert transcript.role_of(segment.speaker) is Role.PARTICIPANT
        assert quote.speaker == participants.code_for(quote.session_id, segment.speaker)
        speakers_per_session.setdefault(quote.session_id, set()).add(quote.speaker)
    # the two-participant sessions quote both people, under different study-wide codes
    assert len(speakers_per_session["s2"]) == 2
    assert len(speakers_per_session["s3"]) == 2
    all_codes = [e.code for e in participants.entries if e.role == "participant"]
    assert sorted(all_codes) == [f"p{n}" for n in range(1, 7)]


def test_quotes_csv_has_one_row_per_quote(study: Study) -> None:
    assert study.doit().returncode == 0
    merged = ExtractedQuotes.model_validate(payload(study.intermediate("extracted_quotes")))
    with (study.output / "quotes.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["quote"] for row in rows] == [q.text for q in merged.quotes]


def test_clean_dry_run_lists_targets_and_clean_removes_them(study: Study) -> None:
    assert study.doit().returncode == 0
    dry = study.doit("clean", "-n")
    assert dry.returncode == 0 and "quotes:s2 - would remove" in dry.stdout and "nothing was removed" in dry.stdout
    assert study.target("quotes", "s2").exists()
    assert study.doit("clean").returncode == 0
    assert not study.target("quotes", "s2").exists()
    assert not (study.output / "bristlenose-study-report.html").exists()


def test_verbose_writes_one_log_per_task_without_transcript_text(study: Study) -> None:
    assert study.doit(env={"BRISTLENOSE_VERBOSE": "true"}).returncode == 0
    logs = study.state / "logs"
    log = (logs / "quotes_s2.log").read_text()
    assert "start quotes:s2" in log and "outcome done" in log and "end quotes:s2" in log
    assert (logs / "transcript_s1.log").exists() and (logs / "clusters.log").exists()
    transcript = json.loads(study.target("transcript", "s2").read_text())
    assert all(segment["text"] not in log for segment in transcript["segments"] if len(segment["text"]) > 20)
