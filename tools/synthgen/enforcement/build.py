"""Build the enforcement dataset: plan province × year partitions, run them through the shared
partition runner of ``synthgen.runner`` (local processes or Dask), then write the courts, the
truth, a datapackage carrying the data's as-of date, and the manifest — all in a staging folder
that replaces OUT only on success."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet

from synthgen.casefiles.build import write_casefiles
from synthgen.codebook.files import write_codebook
from synthgen.codebook.model import Codebook, load_codebook
from synthgen.codebook.resolve import resolve_codebook
from synthgen.core.geo import county_index
from synthgen.criminal.params import default_params_dict
from synthgen.enforcement.courts import PUBLIC_COLUMNS, build_courts
from synthgen.enforcement.outcome import OutcomeModel, court_effects
from synthgen.enforcement.params import EnforcementParams, load_enforcement_params
from synthgen.enforcement.partition import (
    PARTITIONED,
    EnforcementShared,
    EnforcementTask,
    generate_partition,
)
from synthgen.package.datapackage import build_datapackage
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
from synthgen.store.manifest import write_manifest
from synthgen.store.tablefiles import present_tables

# cases per partition task: bounds a worker's memory (about 1.2 GiB at 150k cases)
MAX_CASES_PER_TASK = 150_000
HIVE_THRESHOLD_CASES = 400_000


@dataclass
class EnforcementPlan:
    params: EnforcementParams
    shared: EnforcementShared
    tasks: list[EnforcementTask]
    layout: str
    courts: pd.DataFrame
    generate: GenerateFn = field(default=generate_partition)
    partitioned: tuple[str, ...] = PARTITIONED


def _court_frame(params: EnforcementParams, seed: int) -> pd.DataFrame:
    courts = build_courts(params.data, params.province_weights, seed)
    model = OutcomeModel.from_params(params.data["zhongben_model"])
    courts["zb_effect"] = court_effects(courts, model, seed)
    code = courts["division_code"].astype(np.int64)
    level = courts["level"]
    cty = county_index()
    county = np.where(level == "基层", code, 0)
    pref = np.where(
        level == "基层", cty.prefecture_of(np.where(level == "基层", code, cty.codes[0])), code
    )
    courts["county"] = county
    courts["prefecture"] = pref
    names = courts.set_index("division_code")["name"]
    pref_name = pd.Series(pref.astype(str)).map(lambda c: names.get(c, ""))
    # 北京市第一中级人民法院 → 北京 (municipalities number their intermediate courts)
    courts["place"] = (
        pref_name.str.replace(r"(?:第[一二三四五六七八九十]+)?中级人民法院$", "", regex=True)
        .str.replace(r"(市|地区|自治州|盟)$", "", regex=True)
        .str[:4]
    )
    return courts


def casefiles_share(params: EnforcementParams, requested: float | None) -> float:
    """The share of 终本 cases given case files: the option, else the parameter file."""
    share = float(params.data["casefiles"]["share"]["value"]) if requested is None else requested
    if not 0.0 <= share <= 1.0:
        raise BuildError(
            f"--casefiles 须在 0 到 1 之间（终本案件中生成电子卷宗的比例，收到 {share}）"
        )
    return share


def plan_enforcement(opts: BuildOptions) -> EnforcementPlan:
    check_options(opts)
    params = load_enforcement_params(opts.scenario, opts.years)
    weights = params.province_weights
    provinces = select_provinces(weights, opts.provinces)
    total_w = sum(weights.values())
    tasks = []
    for year in params.years:
        volume = params.volume(year) * 10_000 * opts.scale
        for prov in provinces:
            n = round(volume * weights[prov] / total_w)
            parts = -(-n // MAX_CASES_PER_TASK)
            sizes = [n // parts + (1 if i < n % parts else 0) for i in range(parts)]
            tasks += [
                EnforcementTask(opts.seed, prov, year, size, part, parts)
                for part, size in enumerate(sizes)
                if size > 0
            ]
    if not tasks:
        raise BuildError("按当前 --scale 与省份选择，生成的案件数为 0；请增大 --scale")
    n_total = sum(t.n_cases for t in tasks)
    layout = opts.layout
    if layout == "auto":
        layout = "hive" if n_total > HIVE_THRESHOLD_CASES else "single"
    if opts.fmt != "parquet" and (layout == "hive" or n_total > OFFICE_ROW_LIMIT // 10):
        raise BuildError(
            f"--format {opts.fmt} 只用于小规模抽样（预计 {n_total:,} 件案件，上限 "
            f"{OFFICE_ROW_LIMIT // 10:,}）；请减小 --scale 或使用 parquet"
        )
    courts = _court_frame(params, opts.seed)
    active = courts[courts["province_code"].isin(provinces) & (courts["caseload_weight"] > 0)]
    crim = default_params_dict()
    spec = {"education": crim["suspects"]["education"]["shares"], "ethnicity": crim["ethnicity"]}
    share = casefiles_share(params, opts.casefiles)
    shared = EnforcementShared(
        params=params, courts=active.reset_index(drop=True), person_spec=spec, casefiles_share=share
    )
    return EnforcementPlan(
        params, shared, tasks, layout, courts[courts["province_code"].isin(provinces)]
    )


def build_enforcement(
    opts: BuildOptions, on_progress: Callable[[str, int, int], None] | None = None
) -> Path:
    """Generate the enforcement dataset into ``opts.out``; returns the folder."""
    report = on_progress or (lambda stage, done, total: None)
    with staging(opts.out, opts.force) as stage:
        report("规划", 0, 1)
        plan = plan_enforcement(opts)
        report("规划", 1, 1)
        generate_tables(plan, opts, stage, report)
        report("写入电子卷宗", 0, 1)
        write_casefiles(stage)
        report("写入电子卷宗", 1, 1)
        shutil.rmtree(stage / "_parts", ignore_errors=True)
        courts = pa.Table.from_pandas(plan.courts[PUBLIC_COLUMNS], preserve_index=False)
        write_fixed_table(courts, stage, "courts", opts.fmt)
        report("写入元数据", 0, 1)
        _write_metadata(stage, plan, opts)
        report("写入元数据", 1, 1)
    return opts.out


def _codebook(stage: Path, plan: EnforcementPlan, opts: BuildOptions) -> Codebook:
    """The shipped codebook resolved with this build's parameters, restricted to the tables and
    document sets in the folder (instructor-only parts only while `_truth/` is there)."""
    default = load_enforcement_params(None, plan.params.years).data
    codebook = resolve_codebook(load_codebook("enforcement"), plan.params.data, default)
    codebook.dataset.build = {
        **build_record(opts, plan.params.years, plan.layout),
        "casefiles": plan.shared.casefiles_share,
    }
    present = set(present_tables(stage, list(codebook.tables)))
    documents = codebook.present_documents(stage)
    return codebook.restricted(present, (stage / "_truth").is_dir(), documents)


def _write_model_truth(truth: Path, plan: EnforcementPlan) -> None:
    """The 终本 model's coefficients and each receiving court's random effect (docs/enforcement-
    data.md): what a multilevel model fitted to the data should recover."""
    model = OutcomeModel.from_params(plan.params.data["zhongben_model"])
    (truth / "zhongben_model.json").write_text(
        json.dumps(model.truth(), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    courts = plan.shared.courts[["court_id", "zb_effect"]]
    pa.parquet.write_table(
        pa.Table.from_pandas(courts.rename(columns={"zb_effect": "effect"}), preserve_index=False),
        truth / "court_effects.parquet",
    )


def _write_metadata(stage: Path, plan: EnforcementPlan, opts: BuildOptions) -> None:
    params = plan.params
    truth = stage / "_truth"
    truth.mkdir(exist_ok=True)
    rates = {k: v for k, v in params.data["violations"].items() if k != "source"}
    (truth / "dgp_details.json").write_text(
        json.dumps(
            {
                "seed": opts.seed,
                "planted_violations": rates,
                "params_digest": params.digest(),
                "data_end_date": str(params.data_end),
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    _write_model_truth(truth, plan)
    codebook = _codebook(stage, plan, opts)
    write_codebook(stage, codebook)
    package = build_datapackage(stage, codebook)
    # the rule engine reads the data's as-of date here (deadlines not yet due never fire)
    package = {**package, "as_of_date": str(params.data_end)}
    (stage / "datapackage.json").write_text(
        json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    provinces = sorted({t.province for t in plan.tasks})
    header = manifest_header(
        "enforcement", opts, params.years, provinces, plan.layout, params.digest(),
        as_of_date=str(params.data_end), casefiles_share=plan.shared.casefiles_share,
    )  # fmt: skip
    write_manifest(stage, header)
