"""Big inputs are hashed once per change of size or mtime: a touched recording is read once,
then recognised by its fingerprint; doit's checker sees it unchanged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bristlenose.pipeline import fingerprint
from bristlenose.pipeline.fingerprint import CACHE_MIN_BYTES, FingerprintCache, MD5Checker


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every time a file's content is read for hashing."""
    seen: list[Path] = []
    real = fingerprint._hash

    def counting(path: Path) -> fingerprint.Digests:
        seen.append(path)
        return real(path)

    monkeypatch.setattr(fingerprint, "_hash", counting)
    return seen


def test_a_touched_big_file_is_read_once_then_known_by_its_fingerprint(tmp_path: Path, reads: list[Path]) -> None:
    big = tmp_path / "recording.mp4"
    big.write_bytes(os.urandom(CACHE_MIN_BYTES + 10))
    cache = FingerprintCache(tmp_path / "fingerprints.sqlite")
    first = cache.digests(big)
    assert cache.digests(big) == first and len(reads) == 1
    os.utime(big, (1_900_000_000, 1_900_000_000))
    assert cache.digests(big) == first and len(reads) == 2
    reopened = FingerprintCache(tmp_path / "fingerprints.sqlite")
    assert reopened.digests(big) == first and len(reads) == 2


def test_changed_content_of_the_same_size_gets_new_digests(tmp_path: Path) -> None:
    big = tmp_path / "recording.mp4"
    big.write_bytes(b"a" * (CACHE_MIN_BYTES + 10))
    cache = FingerprintCache(tmp_path / "fingerprints.sqlite")
    before = cache.digests(big)
    big.write_bytes(b"b" * (CACHE_MIN_BYTES + 10))
    os.utime(big, ns=(1, os.stat(big).st_mtime_ns + 1_000_000_000))
    assert cache.digests(big) != before


def test_small_files_are_hashed_without_the_cache(tmp_path: Path, reads: list[Path]) -> None:
    small = tmp_path / "notes.txt"
    small.write_text("hello")
    cache = FingerprintCache(tmp_path / "fingerprints.sqlite")
    cache.digests(small)
    cache.digests(small)
    assert len(reads) == 2 and not (tmp_path / "fingerprints.sqlite").exists()


def test_doit_checker_finds_a_touched_file_unchanged_reading_it_once(tmp_path: Path, reads: list[Path],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fingerprint, "_cache", FingerprintCache(tmp_path / "fingerprints.sqlite"))
    big = tmp_path / "recording.mp4"
    big.write_bytes(os.urandom(CACHE_MIN_BYTES + 10))
    checker = MD5Checker()
    state = checker.get_state(str(big), None)
    os.utime(big, (1_900_000_000, 1_900_000_000))
    for _ in range(3):
        assert checker.check_modified(str(big), os.stat(big), state) is False
    assert len(reads) == 2
    with big.open("r+b") as handle:
        handle.write(b"changed")
    os.utime(big, (1_900_000_100, 1_900_000_100))
    assert checker.check_modified(str(big), os.stat(big), state) is True
