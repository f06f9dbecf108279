"""Fixtures of the rule-engine tests: a fresh hand-made world (``support.review_world``) and a
writer that turns it into a dataset folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from support.review_world import World


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def write_world(tmp_path: Path) -> Callable[[World], Path]:
    counter = iter(range(1000))
    return lambda w: w.write(tmp_path / f"ds{next(counter)}")
