"""Session-wide fixtures: the datasets of ``support.builds``, built once per run and shared by
every test module (and every xdist worker) that asks for them by fixture name."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import tiers
from support.builds import shared_build


@pytest.fixture(scope="session")
def criminal_small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_build("criminal_small", tmp_path_factory)


@pytest.fixture(scope="session")
def criminal_hive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_build("criminal_hive", tmp_path_factory)


@pytest.fixture(scope="session")
def enforcement_casefiles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_build("enforcement_casefiles", tmp_path_factory)


@pytest.fixture(scope="session")
def enforcement_zj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_build("enforcement_zj", tmp_path_factory)


@pytest.fixture(scope="session")
def enforcement_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_build("enforcement_extract", tmp_path_factory)


@pytest.fixture(scope="session")
def enforcement_4p(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_build("enforcement_4p", tmp_path_factory)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The two tiers of `make test` (support.tiers)."""
    tiers.assign(items)
