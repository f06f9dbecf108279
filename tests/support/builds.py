"""Datasets the tests share: one build per configuration per test run, also across pytest-xdist
workers (the first worker to ask builds under a file lock; the others wait and reuse it).

Building is the expensive part of most generator tests, so each configuration below is named once
and every module that needs it asks for it by name; tests that modify a dataset copy it first.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from synthgen import BuildOptions, build_criminal, build_enforcement

Builder = Callable[[Path], Path]


def _criminal(**options: object) -> Builder:
    return lambda out: build_criminal(BuildOptions(out=out, **options))  # type: ignore[arg-type]


def _enforcement(**options: object) -> Builder:
    return lambda out: build_enforcement(BuildOptions(out=out, **options))  # type: ignore[arg-type]


BUILDS: dict[str, Builder] = {
    # all years, all provinces, scale 0.005 (about 10k suspects a year): single-file layout
    "criminal_small": _criminal(seed=7, scale=0.005),
    # two years in the hive-partitioned layout, built with two worker processes
    "criminal_hive": _criminal(seed=7, scale=0.002, years=[2021, 2022], workers=2, layout="hive"),
    # Zhejiang 2021, case files for half the 终本 cases (about 1,900 documents)
    "enforcement_casefiles": _enforcement(
        seed=5, scale=0.002, years=[2021], provinces=["33"], casefiles=0.5
    ),
    # Zhejiang 2021–2024, scale 0.01: about 27k first-enforcement cases
    "enforcement_zj": _enforcement(
        seed=11, scale=0.01, years=[2021, 2022, 2023, 2024], provinces=["33"]
    ),
    # the manifest's enforcement-extract (lab06's raw extract): Zhejiang 2023, 83 case files
    "enforcement_extract": _enforcement(
        seed=20261207, scale=0.0005, years=[2023], provinces=["33"]
    ),
    # Zhejiang, Guangdong, Henan, Sichuan 2022–2023 at scale 0.002: the answer key across provinces
    "enforcement_4p": _enforcement(
        seed=13, scale=0.002, years=[2022, 2023], provinces=["33", "44", "41", "51"]
    ),
}


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shared_root(factory: pytest.TempPathFactory) -> Path:
    """A folder all xdist workers of this run share (the parent of each worker's base temp)."""
    base = factory.getbasetemp()
    root = base.parent if base.name.startswith("popen-gw") else base
    folder = root / "shared-builds"
    folder.mkdir(exist_ok=True)
    return folder


def shared_build(name: str, factory: pytest.TempPathFactory) -> Path:
    """The dataset ``name`` of ``BUILDS``, built on first use in this run."""
    root = shared_root(factory)
    out = root / name
    with _locked(root / f"{name}.lock"):
        if not (out / "manifest.json").is_file():
            BUILDS[name](out)
    return out
