"""Input folder → sessions: grouping by name, what is skipped and why, and stable ids."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from bristlenose.ingest import (IngestError, RegistryError, assign_session_ids, discover, find_sessions,
                               session_key)
from bristlenose.models import SkippedFile


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")


@pytest.mark.parametrize(("name", "key", "readable"), [
    ("p1.mp4", "p1", "p1"),
    ("interview-01_Recording.transcript.vtt", "interview-01", "interview-01"),
    ("interview-01_Recording.mp4", "interview-01", "interview-01"),
    ("interview-01_Recording_1920x1080.mp4", "interview-01", "interview-01"),
    ("interview-01_Recording_avo_640x360.mp4", "interview-01", "interview-01"),
    ("Interview 03 - Transcript.docx", "interview-03", "Interview 03"),
    ("Interview 03-20261014_140512-Meeting Recording.mp4", "interview-03", "Interview 03"),
    ("Interview 05 (2026-10-14 at 14 05 GMT-7) - Recording.mp4",
     "interview-05-(2026-10-14-at-14-05-gmt-7)", "Interview 05 (2026-10-14 at 14 05 GMT-7)"),
    ("GMT20261014-140512_Recording_1920x1080.mp4", "gmt20261014-140512", "GMT20261014-140512"),
    ("GMT20261014-140512_Usability-Sam_Recording.transcript.vtt", "usability-sam", "Usability-Sam"),
    ("talk_captions.srt", "talk", "talk"),
    ("talk.en.vtt", "talk", "talk"),
    ("talk-subtitles.srt", "talk", "talk"),
    ("2026-10-14 14.05.12 Sam Lee/zoom_0.mp4", "2026-10-14-14.05.12-sam-lee", "2026-10-14 14.05.12 Sam Lee"),
    ("2026-10-14 14.05.12 Sam Lee/audio_only.m4a", "2026-10-14-14.05.12-sam-lee", "2026-10-14 14.05.12 Sam Lee"),
    ("P7/transcript.vtt", "p7", "P7"),
    ("Entrevista Zoë 5.vtt", "entrevista-zoë-5", "Entrevista Zoë 5"),
])
def test_download_suffixes_are_stripped_from_session_names(name: str, key: str, readable: str) -> None:
    assert session_key(Path(name)) == (key, readable)


def test_keys_ignore_case_unicode_form_and_separators() -> None:
    decomposed = unicodedata.normalize("NFD", "Entrevista Zoë 5.m4a")

    assert session_key(Path(decomposed))[0] == session_key(Path("ENTREVISTA__zoë - 5.vtt"))[0]


def test_recording_and_transcript_of_a_session_are_grouped(tmp_path: Path) -> None:
    touch(tmp_path, "p1.mp4", "p1.vtt", "interview-01_Recording.transcript.vtt", "interview-01_Recording.mp4",
          "Interview 03 - Transcript.docx", "interview-03.m4a", "Entrevista Zoë 5.vtt", "only audio.wav")
    found = discover(tmp_path, tmp_path / "bristlenose-output")

    assert [(g.key, g.name, g.transcript, g.media) for g in found.groups] == [
        ("entrevista-zoë-5", "Entrevista Zoë 5", "Entrevista Zoë 5.vtt", []),
        ("interview-01", "interview-01", "interview-01_Recording.transcript.vtt", ["interview-01_Recording.mp4"]),
        ("interview-03", "Interview 03", "Interview 03 - Transcript.docx", ["interview-03.m4a"]),
        ("only-audio", "only audio", None, ["only audio.wav"]),
        ("p1", "p1", "p1.vtt", ["p1.mp4"]),
    ]
    assert found.skipped == []


def test_nested_folders_are_searched_and_paths_are_relative_posix(tmp_path: Path) -> None:
    touch(tmp_path, "round 1/P2/recording.mp4", "round 1/P2/transcript.vtt")
    [group] = discover(tmp_path, tmp_path / "out").groups

    assert (group.key, group.transcript, group.media) == (
        "p2", "round 1/P2/transcript.vtt", ["round 1/P2/recording.mp4"])


def test_output_folder_hidden_folders_and_os_junk_are_never_ingested(tmp_path: Path) -> None:
    touch(tmp_path, "p1.vtt", "results/p9.vtt", "bristlenose-output/sessions/p8.vtt", ".git/p7.vtt",
          "__MACOSX/._p1.vtt", ".DS_Store", "._p1.vtt", "Thumbs.db", "desktop.ini", ".hidden.vtt",
          "~$terview 03.docx")
    found = discover(tmp_path, tmp_path / "results")

    assert [group.key for group in found.groups] == ["p1"]
    assert found.skipped == []


def test_unsupported_files_are_skipped_with_the_reason(tmp_path: Path) -> None:
    touch(tmp_path, "p1.vtt", "p2.doc", "archive.zip", "notes")
    found = discover(tmp_path, tmp_path / "out")

    assert found.skipped == [
        SkippedFile(path="archive.zip", reason="unsupported file type .zip"),
        SkippedFile(path="notes", reason="unsupported file type (no extension)"),
        SkippedFile(path="p2.doc", reason="unsupported file type .doc"),
    ]


def test_the_tools_own_files_are_never_inputs_and_researcher_notes_are_marked(tmp_path: Path) -> None:
    touch(tmp_path, "p1.vtt", "dodo.py", "doit.cfg", ".env", "README.md", "README", "brief/consent form.pdf",
          "brief/screens.png", "brief/dodo.py")
    found = discover(tmp_path, tmp_path / "out")

    assert [group.key for group in found.groups] == ["p1"]
    assert [(s.path, s.note) for s in found.skipped] == [
        ("README", True), ("README.md", True), ("brief/consent form.pdf", True), ("brief/dodo.py", False),
        ("brief/screens.png", True)]


def test_second_transcript_of_a_session_is_skipped_in_favour_of_captions(tmp_path: Path) -> None:
    touch(tmp_path, "p1.txt", "p1.docx", "p1.VTT", "p2.txt", "p2 - Transcript.docx")
    found = discover(tmp_path, tmp_path / "out")

    assert [(g.key, g.transcript) for g in found.groups] == [("p1", "p1.VTT"), ("p2", "p2 - Transcript.docx")]
    assert found.skipped == [
        SkippedFile(path="p1.docx", reason="another transcript of the same session is used: p1.VTT"),
        SkippedFile(path="p1.txt", reason="another transcript of the same session is used: p1.VTT"),
        SkippedFile(path="p2.txt", reason="another transcript of the same session is used: p2 - Transcript.docx"),
    ]


def test_missing_input_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="input folder not found"):
        find_sessions(tmp_path / "nope", tmp_path / "out", tmp_path / "registry.json")


def test_new_keys_are_numbered_in_sorted_order(tmp_path: Path) -> None:
    registry = tmp_path / "state" / "sessions.json"

    assert assign_session_ids(["p3", "p1", "p2"], registry) == {"p3": "s3", "p1": "s1", "p2": "s2"}
    assert json.loads(registry.read_text())["sessions"] == {"p1": "s1", "p2": "s2", "p3": "s3"}


def test_adding_a_session_never_renumbers_the_others(tmp_path: Path) -> None:
    registry = tmp_path / "sessions.json"
    assign_session_ids(["b", "c"], registry)

    assert assign_session_ids(["a", "b", "c"], registry) == {"a": "s3", "b": "s1", "c": "s2"}


def test_removed_session_keeps_its_id_reserved(tmp_path: Path) -> None:
    registry = tmp_path / "sessions.json"
    assign_session_ids(["a", "b", "c"], registry)

    assert assign_session_ids(["a", "c", "d"], registry) == {"a": "s1", "c": "s3", "d": "s4"}
    assert assign_session_ids(["a", "b", "c", "d"], registry)["b"] == "s2"


def test_registry_is_only_rewritten_when_something_changed(tmp_path: Path) -> None:
    registry = tmp_path / "sessions.json"
    assign_session_ids(["a"], registry)
    before = registry.stat().st_ino

    assert assign_session_ids(["a"], registry) == {"a": "s1"}
    assert registry.stat().st_ino == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["sessions.json"]


@pytest.mark.parametrize("content", [
    "{not json", "[]", '{"sessions": ["a"]}', '{"sessions": {"a": "x1"}}', '{"sessions": {"a": "s1", "b": "s1"}}',
])
def test_corrupt_registry_is_refused_rather_than_renumbered(tmp_path: Path, content: str) -> None:
    registry = tmp_path / "sessions.json"
    registry.write_text(content)

    with pytest.raises(RegistryError, match="damaged") as raised:
        assign_session_ids(["a"], registry)
    assert isinstance(raised.value, IngestError)
    assert registry.read_text() == content


def test_find_sessions_gives_stable_ids_as_files_come_and_go(tmp_path: Path) -> None:
    study, registry = tmp_path / "study", tmp_path / "study" / "bristlenose-output" / ".bristlenose" / "sessions.json"
    touch(study, "b.vtt", "c.srt", "c.mp4", "notes.zip")
    sessions, skipped = find_sessions(study, study / "bristlenose-output", registry)

    assert [(s.session_id, s.key, s.transcript, s.media) for s in sessions] == [
        ("s1", "b", "b.vtt", []), ("s2", "c", "c.srt", ["c.mp4"])]
    assert skipped == [SkippedFile(path="notes.zip", reason="unsupported file type .zip")]

    touch(study, "a.vtt")
    (study / "b.vtt").unlink()
    sessions, _ = find_sessions(study, study / "bristlenose-output", registry)

    assert [(s.session_id, s.key) for s in sessions] == [("s2", "c"), ("s3", "a")]
