"""The default policy releases a national-scale enforcement year (make bench only; figures in
docs/performance.md): ``jianlab desensitize dataset`` with the ``teaching`` policy on
``data build enforcement --scale 1.0 --years 2023 --workers 2 --casefiles 0`` (about 11 million
cases, 100 million actions and the registries), recording wall time and peak memory summed over
the process tree. Every check of the release must pass (exit 0), and no released person name
equals a real one.

Set ``JIANLAB_BENCH_ENFORCEMENT_DIR`` to an existing build of that command to skip the build
(5 to 13 minutes, by the machine's load); otherwise the build is made in a temporary folder first.

Measured 2026-12-07 (docs/performance.md): 958.9 s and 11.35 GiB for the process tree, every
check passed. The run is stopped when its process tree passes ``MAX_PEAK_GIB`` so the shared
machine is not driven into swap."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pds
import pytest
from measure import run_measured

pytestmark = [pytest.mark.bench, pytest.mark.timeout(5400)]
Recorder = Callable[[str, float, str], None]
JIANLAB = str(Path(sys.executable).with_name("jianlab"))
BUILD = ["enforcement", "--seed", "1", "--scale", "1.0", "--years", "2023", "--workers", "2"]
MAX_WALL_SECONDS = 3600
MAX_PEAK_GIB = 18.0


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("JIANLAB_BENCH_ENFORCEMENT_DIR")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("enf") / "enf"
    run_measured([JIANLAB, "data", "build", *BUILD, "--casefiles", "0", "--out", str(out)])
    return out


def _names(root: Path) -> pa.ChunkedArray:
    """The persons' names of a dataset, whether the table is one file or a hive folder."""
    single = root / "persons.parquet"
    path = single if single.exists() else root / "persons"
    return pds.dataset(str(path), format="parquet", partitioning="hive").to_table(["name"])[0]


def test_teaching_policy_releases_national_enforcement_year(
    national: Path, bench_figures: Recorder, tmp_path: Path
) -> None:
    key, out = tmp_path / "key", tmp_path / "released"
    key.write_text("national-release-bench-key-0123456789\n", encoding="utf-8")
    wall, peak = run_measured(
        [JIANLAB, "desensitize", "dataset", str(national), str(out), "-k", str(key)], MAX_PEAK_GIB
    )
    bench_figures("脱敏发布 执行数据全国规模一年（teaching）墙钟", wall, "秒")
    bench_figures("脱敏发布 执行数据全国规模一年（teaching）峰值内存", peak, "GiB")
    report = json.loads((out / "release_report.json").read_text(encoding="utf-8"))
    assert all(report["checks"].values()), report["checks"]
    real = pc.unique(_names(national))
    released = _names(out)
    assert not pc.any(pc.is_in(released, value_set=real)).as_py()
    assert wall <= MAX_WALL_SECONDS and peak <= MAX_PEAK_GIB, (wall, peak)
