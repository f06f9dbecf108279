"""A small enforcement dataset with case files, built once for the desensitize tests that need
real documents and gold spans (the same build as tests/synthgen/test_casefiles.py: Zhejiang,
2021, scale 0.002, case files for half the 终本 cases; about 1,900 documents, 6 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from synthgen.build import BuildOptions
from synthgen.enforcement_build import build_enforcement


@pytest.fixture(scope="session")
def enforcement_casefiles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("enf_cf") / "zj"
    opts = BuildOptions(seed=5, scale=0.002, years=[2021], provinces=["33"], out=out, casefiles=0.5)
    return build_enforcement(opts)
