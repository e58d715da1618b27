"""Shared fixtures: a copy of the sample study analysed by the real doit in a subprocess."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support.study import Study

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture
def study(tmp_path: Path) -> Study:
    """A fresh copy of sample_data/ using the counting test provider."""
    return Study.copy_of(tmp_path)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, launched once per test module that opens the report."""
    from tests.support.browser import chromium

    with chromium() as launched:
        yield launched
