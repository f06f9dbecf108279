from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_LAB = FIXTURES / "labs" / "lab00-fixture"


@pytest.fixture
def fixture_lab(tmp_path: Path) -> Path:
    """A writable copy of the tiny dataset-free lab, for tests that mutate it."""
    dest = tmp_path / "labs" / FIXTURE_LAB.name
    shutil.copytree(FIXTURE_LAB, dest)
    return dest
