"""Build a whole dataset: plan partitions, run them on local processes or Dask, then write the
tables, the truth, the codebook, the datapackage and the manifest — into a staging folder that
replaces OUT only when everything succeeded.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from synthgen.calibrate import calibrate
from synthgen.criminal_partition import PartitionTask, Shared, generate_partition
from synthgen.io import write_parquet
from synthgen.outdir import check_output_dir, missing_parents, remove_empty
from synthgen.params import CriminalParams, load_criminal_params
from synthgen.procuratorates import PUBLIC_COLUMNS, build_procuratorates
from synthgen.truth import dgp_details, dgp_json

PARTITIONED = (
    "persons",
    "criminal_cases",
    "suspects",
    "arrest_reviews",
    "prosecution_reviews",
    "_truth/latent",
)
HIVE_THRESHOLD_SUSPECTS = 1_000_000
OFFICE_ROW_LIMIT = 1_000_000


class BuildError(ValueError):
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


@dataclass
class Plan:
    params: CriminalParams
    shared: Shared
    tasks: list[PartitionTask]
    layout: str
    procuratorates: Any
    generate: GenerateFn = generate_partition
    partitioned: tuple[str, ...] = PARTITIONED


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


def plan_build(opts: BuildOptions) -> Plan:
    check_options(opts)
    params = load_criminal_params(opts.scenario, opts.years)
    weights = {str(k): float(v) for k, v in params.provinces["weights"].items()}
    provinces = select_provinces(weights, opts.provinces)
    total_w = sum(weights.values())
    tasks = []
    for year in params.years:
        volume = params.volumes["prosecution_reviews"][year].value * 10_000 * opts.scale
        for prov in provinces:
            n = round(volume * weights[prov] / total_w)
            if n > 0:
                tasks.append(PartitionTask(opts.seed, prov, year, n))
    if not tasks:
        raise BuildError("按当前 --scale 与省份选择，生成的嫌疑人数为 0；请增大 --scale")
    n_total = sum(t.n_suspects for t in tasks)
    layout = opts.layout
    if layout == "auto":
        layout = "hive" if n_total > HIVE_THRESHOLD_SUSPECTS else "single"
    if opts.fmt != "parquet" and (layout == "hive" or n_total > OFFICE_ROW_LIMIT):
        raise BuildError(
            f"--format {opts.fmt} 只用于小规模抽样（预计 {n_total:,} 名嫌疑人，上限 "
            f"{OFFICE_ROW_LIMIT:,}）；请减小 --scale 或使用 parquet"
        )
    procs = build_procuratorates(params, opts.seed)
    active = procs[procs["province_code"].isin(provinces) & (procs["caseload_weight"] > 0)]
    arrest, prosecution = calibrate(params, active, opts.seed)
    shared = Shared(params=params, procs=active, arrest=arrest, prosecution=prosecution)
    return Plan(params, shared, tasks, layout, procs[procs["province_code"].isin(provinces)])


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
    generate: GenerateFn = generate_partition,
    partitioned: tuple[str, ...] = PARTITIONED,
) -> dict[str, int]:
    """Generate one partition and write its files; returns rows per table."""
    tables = generate(task, shared)
    rows: dict[str, int] = {}
    for name, table in tables.items():
        rows[name] = table.num_rows
        if name in partitioned and layout == "hive":
            body = table.drop_columns(
                [c for c in ("province_code", "year") if c in table.column_names]
            )
            path = (
                stage
                / name
                / f"province_code={task.province}"
                / f"year={task.year}"
                / f"part-{_chunk(task)}.parquet"
            )
        else:
            path = stage / "_parts" / name / f"{_task_name(task)}.parquet"
            body = table
        write_parquet(body, path)
    return rows


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


def build_criminal(
    opts: BuildOptions, on_progress: Callable[[str, int, int], None] | None = None
) -> Path:
    """Generate the criminal dataset into ``opts.out``; returns the folder."""
    from synthgen.package import write_metadata

    report = on_progress or (lambda stage, done, total: None)
    with staging(opts.out, opts.force) as stage:
        report("校准", 0, 1)
        plan = plan_build(opts)
        report("校准", 1, 1)
        generate_tables(plan, opts, stage, report)
        shutil.rmtree(stage / "_parts", ignore_errors=True)
        _write_fixed_tables(stage, plan, opts)
        report("写入元数据", 0, 1)
        write_metadata(stage, plan, opts)
        report("写入元数据", 1, 1)
    return opts.out


def _write_fixed_tables(stage: Path, plan: Plan, opts: BuildOptions) -> None:
    procs = plan.procuratorates
    table = pa.Table.from_pandas(procs[PUBLIC_COLUMNS], preserve_index=False)
    write_fixed_table(table, stage, "procuratorates", opts.fmt)
    effects = procs[["procuratorate_id", "caseload_weight", "u_arrest", "u_prosecution"]]
    write_parquet(
        pa.Table.from_pandas(effects, preserve_index=False),
        stage / "_truth" / "procuratorate_effects.parquet",
    )
    truth = stage / "_truth"
    (truth / "dgp.json").write_text(
        json.dumps(dgp_json(plan.shared), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    (truth / "dgp_details.json").write_text(
        json.dumps(dgp_details(plan.shared, opts.seed), ensure_ascii=False, indent=2),
        encoding="utf-8",
    )


def _write_office(table: pa.Table, path: Path, fmt: str) -> None:
    frame = table.to_pandas()
    if fmt == "csv":
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    else:
        frame.to_excel(path, index=False)
