"""Build the criminal-review dataset: calibrate the decision models on the selected region, run
the province × year partitions through the shared runner (local processes or Dask), then write the
procuratorates, the truth, the codebook, the datapackage and the manifest into a staging folder
that replaces OUT only when everything succeeded."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from synthgen.codebook.files import write_codebook
from synthgen.codebook.model import Codebook, load_codebook
from synthgen.codebook.resolve import resolve_codebook
from synthgen.criminal.calendar import window_share
from synthgen.criminal.calibrate import Calibrated, calibrate
from synthgen.criminal.params import CriminalParams, load_criminal_params
from synthgen.criminal.partition import PartitionTask, Shared, generate_partition
from synthgen.criminal.planted import planted_structures
from synthgen.criminal.population import tail_days
from synthgen.criminal.procuratorates import PUBLIC_COLUMNS, build_procuratorates
from synthgen.criminal.truth import dgp_details, dgp_json
from synthgen.package.datapackage import write_datapackage
from synthgen.package.metadata import build_record, manifest_header
from synthgen.runner import (
    OFFICE_ROW_LIMIT,
    BuildError,
    BuildOptions,
    GenerateFn,
    check_options,
    generate_tables,
    select_provinces,
    staging,
    write_fixed_table,
)
from synthgen.store.io import write_parquet
from synthgen.store.manifest import write_manifest
from synthgen.store.tablefiles import present_tables

PARTITIONED = (
    "persons",
    "criminal_cases",
    "suspects",
    "arrest_reviews",
    "prosecution_reviews",
    "_truth/latent",
)
HIVE_THRESHOLD_SUSPECTS = 1_000_000


@dataclass
class Plan:
    params: CriminalParams
    shared: Shared
    tasks: list[PartitionTask]
    layout: str
    procuratorates: Any
    calibrated: Calibrated | None = None
    generate: GenerateFn = generate_partition
    partitioned: tuple[str, ...] = PARTITIONED


def plan_build(opts: BuildOptions) -> Plan:
    check_options(opts)
    params = load_criminal_params(opts.scenario, opts.years)
    weights = {str(k): float(v) for k, v in params.provinces.weights.items()}
    provinces = select_provinces(weights, opts.provinces)
    tasks = _tasks(params, opts, weights, provinces)
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
    cal = calibrate(params, active, opts.seed)
    shared = Shared(
        params=params, procs=active, arrest=cal.arrest, prosecution=cal.prosecution,
        shares=cal.shares, referral=cal.referral,
    )  # fmt: skip
    return Plan(params, shared, tasks, layout, procs[procs["province_code"].isin(provinces)], cal)


def _tasks(
    params: CriminalParams, opts: BuildOptions, weights: dict[str, float], provinces: list[str]
) -> list[PartitionTask]:
    """One task per province × year, plus the spill task after the last year (part 1): the
    first days of the next year, whose arrest reviews fall in the last year."""
    total_w = sum(weights.values())
    last = params.years[-1]
    tail = window_share(params.seasonality, last + 1, tail_days(params))
    tasks = []
    for year in [*params.years, None]:
        base = params.volumes.prosecution_reviews[year or last].value * 10_000 * opts.scale
        volume = base * (tail if year is None else 1.0)
        for prov in provinces:
            n = round(volume * weights[prov] / total_w)
            if n > 0:
                tasks.append(PartitionTask(opts.seed, prov, year or last, n, 0 if year else 1))
    return tasks


def build_criminal(
    opts: BuildOptions, on_progress: Callable[[str, int, int], None] | None = None
) -> Path:
    """Generate the criminal dataset into ``opts.out``; returns the folder."""
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
    effects = procs[
        ["procuratorate_id", "caseload_weight", "context_index", "u_arrest", "u_prosecution"]
    ]
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
    if plan.calibrated is not None:
        planted = planted_structures(plan.params, plan.calibrated, plan.shared.procs)
        (truth / "planted.json").write_text(
            json.dumps(planted, ensure_ascii=False, indent=2), encoding="utf-8"
        )


def dataset_codebook_for(stage: Path, plan: Plan, opts: BuildOptions) -> Codebook:
    """The codebook of this build: numbers and sources resolved from the build's parameters,
    restricted to the tables in the folder; instructor-only parts only when `_truth/` is there."""
    params = plan.params.model_dump()
    default = load_criminal_params(None, plan.params.years).model_dump()
    codebook = resolve_codebook(load_codebook("criminal"), params, default)
    codebook.dataset.build = build_record(opts, plan.params.years, plan.layout)
    present = set(present_tables(stage, list(codebook.tables)))
    return codebook.restricted(present, include_instructor=(stage / "_truth").is_dir())


def write_metadata(stage: Path, plan: Plan, opts: BuildOptions) -> None:
    """Codebook and datapackage first, so that the manifest hashes them too."""
    codebook = dataset_codebook_for(stage, plan, opts)
    write_codebook(stage, codebook)
    write_datapackage(stage, codebook)
    provinces = sorted({t.province for t in plan.tasks})
    header = manifest_header(
        "criminal", opts, plan.params.years, provinces, plan.layout, plan.params.digest()
    )
    write_manifest(stage, header)
