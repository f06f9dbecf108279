"""Same seed, scale and lockfile give identical content whatever --workers or --engine is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from synthgen import BuildOptions, build_criminal, check_manifest


def _hash(path: Path) -> str:
    return str(json.loads((path / "manifest.json").read_text(encoding="utf-8"))["content_hash"])


def test_content_independent_of_engine(criminal_hive: Path, tmp_path: Path) -> None:
    """Dask with two workers writes what two local processes wrote (criminal_hive): the same
    tasks, seeded by partition, whatever schedules them."""
    out = build_criminal(
        BuildOptions(
            seed=7, scale=0.002, years=[2021, 2022], workers=2, engine="dask", layout="hive",
            out=tmp_path / "d",
        )
    )  # fmt: skip
    assert _hash(out) == _hash(criminal_hive)
    assert check_manifest(out) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("workers", "engine"),
    [(2, "local"), (2, "dask")],
)
def test_content_independent_of_workers_and_engine(
    criminal_small: Path, tmp_path: Path, workers: int, engine: str
) -> None:
    """The same at the size of criminal_small (all years, one worker): 12–19 s each, so in
    `make test-slow`; the default tier has the two-year version above and the hive test below."""
    out = build_criminal(
        BuildOptions(seed=7, scale=0.005, workers=workers, engine=engine, out=tmp_path / "b")
    )
    assert _hash(out) == _hash(criminal_small)
    assert check_manifest(out) == []


def test_hive_layout_is_deterministic(criminal_hive: Path, tmp_path: Path) -> None:
    opts = BuildOptions(
        seed=7, scale=0.002, years=[2021, 2022], workers=1, layout="hive", out=tmp_path / "h"
    )
    assert _hash(build_criminal(opts)) == _hash(criminal_hive)
    parts = sorted(
        p.relative_to(criminal_hive).as_posix() for p in criminal_hive.rglob("*.parquet")
    )
    assert "suspects/province_code=33/year=2021/part-0.parquet" in parts


def test_different_seed_differs(criminal_small: Path, tmp_path: Path) -> None:
    out = build_criminal(BuildOptions(seed=8, scale=0.005, years=[2018], out=tmp_path / "s"))
    assert _hash(out) != _hash(criminal_small)


def test_manifest_detects_change(criminal_hive: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(criminal_hive, copy)
    target = next((copy / "suspects").rglob("*.parquet"))
    target.write_bytes(target.read_bytes() + b"\0")
    problems = check_manifest(copy)
    assert any("内容哈希不符" in p for p in problems)
