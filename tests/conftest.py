"""Session-wide fixtures: small criminal datasets built once and shared by the test modules.

Building is the expensive part of most synthgen tests (a few seconds each), so every module
reads the same builds; tests that need to modify a dataset copy it first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from synthgen.build import BuildOptions, build_criminal


@pytest.fixture(scope="session")
def criminal_small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All years, all provinces, scale 0.005 (about 10k suspects a year): single-file layout."""
    out = tmp_path_factory.mktemp("crim") / "small"
    return build_criminal(BuildOptions(seed=7, scale=0.005, out=out))


@pytest.fixture(scope="session")
def criminal_hive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two years in the hive-partitioned layout, built with two worker processes."""
    out = tmp_path_factory.mktemp("crim") / "hive"
    opts = BuildOptions(seed=7, scale=0.002, years=[2021, 2022], workers=2, layout="hive", out=out)
    return build_criminal(opts)
