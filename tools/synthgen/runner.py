"""The partition runner both datasets share: build options, province × year partitions run on
local processes or Dask, per-table files in the hive or single layout, and the staging folder that
replaces OUT only when everything succeeded. Dataset builds live in ``criminal/`` and
``enforcement/``; this module knows neither."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from synthgen.errors import SynthgenError
from synthgen.store.io import write_parquet
from synthgen.store.outdir import check_output_dir, missing_parents, remove_empty

OFFICE_ROW_LIMIT = 1_000_000


class BuildError(SynthgenError):
    """Bad build options or an unusable output folder (Chinese message)."""


@dataclass
class BuildOptions:
    seed: int
    scale: float
    out: Path
    years: list[int] | None = None
    provinces: list[str] | None = None
    workers: int = 1
    engine: str = "local"
    scheduler: str | None = None
    scenario: Path | None = None
    fmt: str = "parquet"
    layout: str = "auto"
    force: bool = False
    casefiles: float | None = None  # enforcement only: share of 终本 cases with case files
    extra_manifest: dict[str, Any] = field(default_factory=dict)


GenerateFn = Callable[[Any, Any], dict[str, pa.Table]]


class PartitionPlan(Protocol):
    """What running partitions needs from a dataset's plan (criminal or enforcement)."""

    @property
    def shared(self) -> Any: ...
    @property
    def tasks(self) -> list[Any]: ...
    @property
    def layout(self) -> str: ...
    @property
    def generate(self) -> GenerateFn: ...
    @property
    def partitioned(self) -> tuple[str, ...]: ...


def check_options(opts: BuildOptions) -> None:
    """Options every dataset's build shares, checked before any work starts."""
    if opts.scale <= 0:
        raise BuildError(f"--scale 必须大于 0（收到 {opts.scale}）")
    if opts.workers < 1:
        raise BuildError(f"--workers 至少为 1（收到 {opts.workers}）")
    if opts.engine not in ("local", "dask"):
        raise BuildError(f"--engine 只能是 local 或 dask（收到 {opts.engine}）")
    if opts.fmt not in ("parquet", "csv", "xlsx"):
        raise BuildError(f"--format 只能是 parquet、csv 或 xlsx（收到 {opts.fmt}）")


def select_provinces(weights: dict[str, float], requested: list[str] | None) -> list[str]:
    provinces = sorted(weights) if requested is None else sorted(set(requested))
    unknown = [p for p in provinces if p not in weights]
    if unknown:
        raise BuildError(f"未知省级代码 {unknown}；可用：{sorted(weights)}")
    return provinces


_SHARED: Any = None


def _init_worker(shared: Any) -> None:
    global _SHARED
    _SHARED = shared


def _run_local(
    task: Any, stage: str, layout: str, generate: GenerateFn, partitioned: tuple[str, ...]
) -> dict[str, int]:
    assert _SHARED is not None
    return run_partition(task, _SHARED, Path(stage), layout, generate, partitioned)


def _chunk(task: Any) -> int:
    """A province × year may be split into numbered chunks (enforcement at large scale)."""
    return int(getattr(task, "part", 0))


def _task_name(task: Any) -> str:
    base = f"{task.province}-{task.year}"
    return f"{base}-{_chunk(task):03d}" if hasattr(task, "part") else base


def run_partition(
    task: Any,
    shared: Any,
    stage: Path,
    layout: str,
    generate: GenerateFn,
    partitioned: tuple[str, ...],
) -> dict[str, int]:
    """Generate one partition and write its files; returns rows per table."""
    tables = generate(task, shared)
    rows: dict[str, int] = {}
    for name, table in tables.items():
        rows[name] = table.num_rows
        if name in partitioned and layout == "hive":
            for year, part in _by_year(table, task.year):
                body = part.drop_columns(
                    [c for c in ("province_code", "year") if c in part.column_names]
                )
                spill = "" if year == task.year else f"-from{task.year}"
                path = (
                    stage
                    / name
                    / f"province_code={task.province}"
                    / f"year={year}"
                    / f"part-{_chunk(task)}{spill}.parquet"
                )
                write_parquet(body, path)
        else:
            write_parquet(table, stage / "_parts" / name / f"{_task_name(task)}.parquet")
    return rows


def _by_year(table: pa.Table, year: int) -> list[tuple[int, pa.Table]]:
    """Rows grouped by their ``year`` column: a partition's decisions may fall in the previous
    year (criminal reviews cross year ends), and each goes to its own year's folder."""
    if "year" not in table.column_names or table.num_rows == 0:
        return [(year, table)]
    values = pc.unique(table["year"]).to_pylist()
    if values == [year]:
        return [(year, table)]
    return [(int(v), table.filter(pc.equal(table["year"], v))) for v in sorted(values)]


def _iter_results(plan: PartitionPlan, opts: BuildOptions, stage: Path) -> Iterator[Any]:
    if opts.engine == "dask":
        yield from _iter_dask(plan, opts, stage)
        return
    if opts.workers == 1:
        for task in plan.tasks:
            run_partition(task, plan.shared, stage, plan.layout, plan.generate, plan.partitioned)
            yield task
        return
    with ProcessPoolExecutor(
        max_workers=opts.workers, initializer=_init_worker, initargs=(plan.shared,)
    ) as pool:
        args = (str(stage), plan.layout, plan.generate, plan.partitioned)
        futures = {pool.submit(_run_local, t, *args): t for t in plan.tasks}
        for fut in as_completed(futures):
            fut.result()
            yield futures[fut]


def _iter_dask(plan: PartitionPlan, opts: BuildOptions, stage: Path) -> Iterator[Any]:
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

    cluster = None
    if opts.scheduler is None:
        cluster = LocalCluster(
            n_workers=opts.workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
    client = Client(opts.scheduler or cluster)
    try:
        shared = client.scatter(plan.shared, broadcast=True)
        futures = [
            client.submit(
                run_partition,
                t,
                shared,
                stage,
                plan.layout,
                plan.generate,
                plan.partitioned,
                key=f"part-{_task_name(t)}",
            )
            for t in plan.tasks
        ]
        by_key = {f.key: t for f, t in zip(futures, plan.tasks, strict=True)}
        for fut in dask_completed(futures):
            fut.result()
            yield by_key[fut.key]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _combine(stage: Path, name: str, fmt: str) -> None:
    parts = sorted((stage / "_parts" / name).glob("*.parquet"))
    if not parts:
        return
    table = pa.concat_tables([pq.read_table(p) for p in parts])
    target = stage / f"{name}.parquet"
    if fmt == "parquet" or name.startswith("_truth/"):
        write_parquet(table, target)
        return
    frame = table.to_pandas()
    out = stage / f"{name}.{fmt}"
    if fmt == "csv":
        frame.to_csv(out, index=False, encoding="utf-8-sig")
    else:
        frame.to_excel(out, index=False, sheet_name=name[:31])


@contextmanager
def staging(out: Path, force: bool) -> Iterator[Path]:
    """A sibling temp folder that becomes OUT on success and vanishes on any failure."""
    check_output_dir(out, force)
    created = missing_parents(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        stage = out.parent / f".{out.name}.tmp-{uuid.uuid4().hex[:8]}"
        stage.mkdir()
    except OSError as exc:
        remove_empty(created)
        raise BuildError(f"无法写入输出目录 {out.parent}：{exc.strerror or exc}") from exc
    done = False
    try:
        yield stage
        old = None
        if out.exists():
            old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
            out.rename(old)
        stage.rename(out)
        done = True
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
        if not done:
            remove_empty(created)


def generate_tables(
    plan: PartitionPlan,
    opts: BuildOptions,
    stage: Path,
    report: Callable[[str, int, int], None],
) -> None:
    """Run every partition; in the single-file layout merge each table's parts (kept under
    `_parts/` for steps that still read them, e.g. case files), and always the violations."""
    report("生成分区", 0, len(plan.tasks))
    for done, _ in enumerate(_iter_results(plan, opts, stage), start=1):
        report("生成分区", done, len(plan.tasks))
    if plan.layout == "single":
        for name in plan.partitioned:
            _combine(stage, name, opts.fmt)
    _combine(stage, "_truth/violations", "parquet")


def write_fixed_table(table: pa.Table, stage: Path, name: str, fmt: str) -> None:
    """A table that is never partitioned (procuratorates, courts), in the build's format."""
    if fmt == "parquet":
        write_parquet(table, stage / f"{name}.parquet")
    else:
        _write_office(table, stage / f"{name}.{fmt}", fmt)


def _write_office(table: pa.Table, path: Path, fmt: str) -> None:
    frame = table.to_pandas()
    if fmt == "csv":
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    else:
        frame.to_excel(path, index=False)
