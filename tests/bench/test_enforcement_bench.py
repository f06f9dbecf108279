"""Enforcement generator speed and memory (make bench only), target in docs/performance.md:
national scale (--scale 1.0, about 10 million 首次执行 cases plus 执恢, ~100 million actions and
the registries) for one year on 2 workers in ≤ 15 minutes and ≤ 6 GiB peak memory summed over
the process tree. The target is about the tables, so the build is run with ``--casefiles 0``:
the default 5 % share of 终本 cases would write some 200,000 case folders at this scale, a
text corpus nobody reads whole (case files are measured at teaching scale in the tests)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.dataset as pds
import pyarrow.parquet as pq
import pytest
from measure import run_measured

from desensitize import (
    OperatorContext,
    Pseudonym,
    PseudonymParams,
    embeds_original_arrow,
    forbid_originals,
)

# a national build takes ~10 minutes: lift the suite-wide 600 s pytest-timeout for these
pytestmark = [pytest.mark.bench, pytest.mark.timeout(2400)]
Recorder = Callable[[str, float, str], None]
JIANLAB = str(Path(sys.executable).with_name("jianlab"))


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float, float]:
    out = tmp_path_factory.mktemp("enf") / "enf"
    wall, peak = run_measured(
        [JIANLAB, "data", "build", "enforcement", "--seed", "1", "--scale", "1.0", "--years",
         "2023", "--workers", "2", "--casefiles", "0", "--out", str(out)]
    )  # fmt: skip
    return out, wall, peak


def row_counts(data: Path) -> dict[str, int]:
    """Rows per table, from the Parquet footers (a table may be one file or a hive folder)."""
    counts: dict[str, int] = {}
    for path in sorted(data.rglob("*.parquet")):
        rel = path.relative_to(data)
        if rel.parts[0].startswith("_"):
            continue
        table = rel.parts[0].removesuffix(".parquet")
        counts[table] = counts.get(table, 0) + pq.ParquetFile(path).metadata.num_rows
    return counts


def test_enforcement_national_scale_one_year(
    national: tuple[Path, float, float], bench_figures: Recorder
) -> None:
    data, wall, peak = national
    counts = row_counts(data)
    for table, n in counts.items():
        bench_figures(f"执行数据 全国规模一年 {table} 行数", n, "行")
    bench_figures("执行数据 全国规模一年（2023，2 进程）墙钟", wall, "秒")
    bench_figures("执行数据 全国规模一年 峰值内存（进程树合计）", peak, "GiB")
    # "about 10 million cases" (docs/performance.md): 首次执行 plus 执恢 filed in the year
    assert 8e6 <= counts["enforcement_cases"] <= 14e6
    assert wall <= 15 * 60
    assert peak <= 6


def test_rule_engine_over_national_scale(
    national: tuple[Path, float, float], bench_figures: Recorder, tmp_path: Path
) -> None:
    data, _, _ = national
    wall, peak = run_measured(
        [JIANLAB, "review", "run", str(data), "--out", str(tmp_path / "findings.parquet")]
    )
    bench_figures("规则引擎 全国规模一年 墙钟", wall, "秒")
    bench_figures("规则引擎 全国规模一年 峰值内存", peak, "GiB")
    assert wall <= 5 * 60


def test_teaching_surrogate_names_over_national_scale(
    national: tuple[Path, float, float], bench_figures: Recorder
) -> None:
    """Issue 11: the default (teaching) policy's surrogate names for every person of a
    national-scale enforcement year, under the rule that no surrogate equals or holds a real
    name of the dataset (the common name space alone ran out of re-draws at scale 0.005)."""
    data, _, _ = national
    names = (
        (
            pds.dataset(str(data / "persons"), format="parquet", partitioning="hive")
            if (data / "persons").is_dir()
            else pds.dataset(str(data / "persons.parquet"), format="parquet")
        )
        .to_table(columns=["name"])
        .column("name")
        .combine_chunks()
    )
    distinct = pc.unique(names.drop_null())
    start = time.perf_counter()
    ctx = OperatorContext(key=b"national-scale-bench-key-0123456789")
    forbid_originals(ctx, "PERSON", distinct.to_pylist())
    out = Pseudonym().map_column("PERSON", names, PseudonymParams(style="surrogate"), ctx)
    wall = time.perf_counter() - start
    new = pc.unique(out)
    bench_figures("教学策略 全国规模一年 人员姓名行数", len(names), "行")
    bench_figures("教学策略 全国规模一年 不同姓名数", len(distinct), "个")
    bench_figures("教学策略 全国规模一年 姓名假名墙钟", wall, "秒")
    assert len(new) == len(distinct)  # one surrogate per real name, none shared
    assert not pc.any(pc.is_in(new, value_set=distinct)).as_py()
    assert not embeds_original_arrow(new, distinct).any()
