"""Which tier of `make test` a test runs in (docs/performance.md, "测试套件的耗时").

`make test` runs the unit tier first (no dataset build, no kernel: it must answer within a minute),
then the integration tier; both on two xdist workers. A test belongs to the integration tier when
its module is listed below, when it asks for a shared dataset build, or when it carries
`@pytest.mark.integration` itself (single tests that build a dataset or start a kernel in their
body, in otherwise quick modules).
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

# Modules whose tests build datasets, grade notebooks or start kernels in the test body. They run
# in the second tier of `make test`, after the unit tests (which need no build) have passed.
# Single tests of other modules that do the same carry `@pytest.mark.integration` themselves.
INTEGRATION_MODULES = frozenset(
    {
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
        # a class of hostile submissions graded in real kernels (module-scoped fixtures)
        "test_trusted_verdicts",
        "test_grading_sandbox",
    }
)
# The session fixtures of tests/conftest.py (datasets of support.builds).
SHARED_BUILDS = frozenset(
    {
        "criminal_small",
        "criminal_hive",
        "enforcement_casefiles",
        "enforcement_zj",
        "enforcement_4p",
        "enforcement_extract",
    }
)


def is_integration(item: pytest.Item) -> bool:
    """Listed module, or a test that asks for a shared build."""
    uses_build = SHARED_BUILDS.intersection(getattr(item, "fixturenames", ()))
    return item.path.stem in INTEGRATION_MODULES or bool(uses_build)


def assign(items: Iterable[pytest.Item]) -> None:
    """Mark the integration tier (the unit tier is what `-m "not integration"` leaves)."""
    for item in items:
        if is_integration(item):
            item.add_marker(pytest.mark.integration)
