"""Session-wide fixtures: the datasets of ``support.builds``, built once per run and shared by
every test module (and every xdist worker) that asks for them by fixture name."""

from __future__ import annotations

from pathlib import Path

import pytest

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


# Modules whose tests build datasets, grade notebooks or start kernels in the test body. They run
# in the second tier of `make test`, after the unit tests (which need no build) have passed.
INTEGRATION_MODULES = {
    "test_review_criminal",
    "test_casefiles_engines",
    "test_desensitize_gold_eval",
    "test_report",
    "test_scenario",
    "test_labs_check",
    "test_student_copy",
    "test_teaching_dataset",
    "test_calibration",
    "test_course_build",
    "test_verify",
    "test_grade_feedback",
    "test_determinism",
    "test_identity",
    "test_codebook",
    "test_grade_autograde",
    "test_planted_truth",
    "test_desensitize_enforcement",
    "test_casefiles_codebook",
    "test_enforcement_build",
    "test_casefiles",
}
SHARED_BUILDS = {
    "criminal_small", "criminal_hive", "enforcement_casefiles", "enforcement_zj", "enforcement_4p",
    "enforcement_extract",
}  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark integration tests: listed modules, and any test that asks for a shared build."""
    for item in items:
        module = item.path.stem
        uses_build = SHARED_BUILDS.intersection(getattr(item, "fixturenames", ()))
        if module in INTEGRATION_MODULES or uses_build:
            item.add_marker(pytest.mark.integration)
