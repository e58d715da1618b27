"""Shared fixtures: a copy of the sample study analysed by the real doit in a subprocess."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.study import Study


@pytest.fixture
def study(tmp_path: Path) -> Study:
    """A fresh copy of sample_data/ using the counting test provider."""
    return Study.copy_of(tmp_path)
