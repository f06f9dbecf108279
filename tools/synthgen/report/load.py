"""Inputs of the calibration report: the truth files and column subsets of the tables.

The report must also run on national builds (tens of millions of rows), so Parquet tables are
scanned with pyarrow datasets: only the needed columns are read and filters are applied batch by
batch. CSV/XLSX extracts (small by construction) are read whole, typed by the codebook.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from synthgen.report.fit import Selection, thinning_mask
from synthgen.store.io import PARTITION_SCHEMA, DatasetError, read_arrow, table_path

MODELS = ("arrest", "prosecution")
REVIEW_TABLES = {"arrest": "arrest_reviews", "prosecution": "prosecution_reviews"}
# (favourable-to-custody decision, the modelled outcome) of each review, as in docs/schema.md
DECISIONS = {"arrest": ("批准逮捕", "不批准逮捕"), "prosecution": ("起诉", "不起诉")}
EFFECTS_TABLE = "_truth/procuratorate_effects"
# covariates read from the review table itself, not from suspects: 已逮捕 enters the 不起诉 model
REVIEW_COVARIATES = {"prosecution": ("arrested",)}


@dataclass(frozen=True)
class Truth:
    """`_truth/dgp.json` (the DGP) and `_truth/dgp_details.json` (targets with their sources)."""

    dgp: dict[str, Any]
    details: dict[str, Any]

    def covariates(self, model: str) -> list[str]:
        return list(self.fit_truth(model)["coefficients"])

    def fit_truth(self, model: str) -> dict[str, Any]:
        """The model as the report fits it: with a year-specific arrested effect, one
        ``arrested`` coefficient whose truth is the mean of the years' effects."""
        block = dict(self.dgp[model])
        gammas = block.get("arrested_effect") or {}
        if gammas:
            mean = float(np.mean([float(v) for v in gammas.values()]))
            block["coefficients"] = {**block["coefficients"], "arrested": mean}
        return block


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise DatasetError(
            f"缺少真值文件 {path}：校准报告需要生成器写出的 _truth/ 目录（学生版数据没有）"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DatasetError(f"真值文件 {path} 不是合法的 UTF-8 JSON：{exc}") from exc
    if not isinstance(data, dict):
        raise DatasetError(f"真值文件 {path} 的顶层必须是对象")
    return data


def load_truth(directory: Path) -> Truth:
    dgp = _read_json(directory / "_truth" / "dgp.json")
    details = _read_json(directory / "_truth" / "dgp_details.json")
    for model in MODELS:
        block = dgp.get(model)
        if not isinstance(block, dict) or not isinstance(block.get("coefficients"), dict):
            raise DatasetError(f"真值文件 _truth/dgp.json 缺少「{model}.coefficients」")
        if "group_sd" not in block:
            raise DatasetError(f"真值文件 _truth/dgp.json 缺少「{model}.group_sd」")
    if not isinstance(details.get("targets"), dict):
        raise DatasetError("真值文件 _truth/dgp_details.json 缺少「targets」")
    return Truth(dgp=dgp, details=details)


def has_table(directory: Path, name: str) -> bool:
    try:
        table_path(directory, name)
    except DatasetError:
        return False
    return True


def scan(
    directory: Path, name: str, columns: list[str], where: pc.Expression | None = None
) -> pa.Table:
    """Columns of one table (any layout), optionally filtered, with contract types."""
    data = _dataset(directory, name, columns)
    if data is not None:
        return data.to_table(columns=columns, filter=where)
    table = read_arrow(directory, name)  # CSV/XLSX extract, typed by the codebook
    _require(table.column_names, columns, directory, name)
    return (table if where is None else table.filter(where)).select(columns)


def _require(present: list[str], columns: list[str], directory: Path, name: str) -> None:
    missing = [c for c in columns if c not in present]
    if missing:
        raise DatasetError(f"数据集 {directory} 的表「{name}」缺少列 {missing}")


def decided(model: str) -> pc.Expression:
    """Reviews whose decision enters the official rate (其他 excluded)."""
    return pc.field("decision").isin(pa.array(list(DECISIONS[model])))


def outcome(table: pa.Table, model: str) -> pa.Array:
    """1 where the decision is the modelled outcome (不批准逮捕 / 不起诉)."""
    hit = pc.equal(table.column("decision"), DECISIONS[model][1])
    return pc.cast(hit, pa.int8()).combine_chunks()


def _dataset(directory: Path, name: str, columns: list[str]) -> ds.Dataset | None:
    """The pyarrow dataset of a Parquet table (single file or hive folder), else None."""
    path = table_path(directory, name)
    if not (path.is_dir() or path.suffix == ".parquet"):
        return None
    partitioning = ds.partitioning(PARTITION_SCHEMA, flavor="hive")
    data = ds.dataset(path, format="parquet", partitioning=partitioning)
    _require(data.schema.names, columns, directory, name)
    return data


def batches(
    directory: Path, name: str, columns: list[str], where: pc.Expression | None = None
) -> Iterator[pa.RecordBatch]:
    """The selected columns piece by piece, so that aggregates keep memory flat at any scale."""
    data = _dataset(directory, name, columns)
    if data is None:
        yield from scan(directory, name, columns, where).to_batches()
        return
    yield from data.to_batches(columns=columns, filter=where)


def value_counts(
    directory: Path, name: str, column: str, where: pc.Expression | None = None
) -> pd.Series:
    """Rows per value of ``column``."""
    total: pd.Series = pd.Series(dtype=np.int64)
    for batch in batches(directory, name, [column], where):
        counts = pc.value_counts(batch.column(0)).flatten()
        part = pd.Series(counts[1].to_numpy(), index=counts[0].to_pylist(), dtype=np.int64)
        total = total.add(part, fill_value=0).astype(np.int64)
    return total


def model_rows(
    directory: Path, model: str, covariates: list[str], selection: Selection
) -> tuple[pd.DataFrame, int]:
    """Decided reviews of the selected procuratorates with the suspects' covariates: columns
    group, year, y and ``covariates``; also the number of reviews without a suspects row."""
    groups = pa.array(selection.groups, type=pa.string())
    where = decided(model) & pc.field("procuratorate_id").isin(groups)
    own = [c for c in covariates if c in REVIEW_COVARIATES.get(model, ())]
    covariates = [c for c in covariates if c not in own]
    columns = ["suspect_id", "procuratorate_id", "year", "decision", *own]
    kept = []
    for batch in batches(directory, REVIEW_TABLES[model], columns, where):
        ids = batch.column(0).to_numpy(zero_copy_only=False)
        kept.append(batch.filter(pa.array(thinning_mask(ids, selection.fraction))))
    if not kept:
        raise DatasetError(f"表「{REVIEW_TABLES[model]}」读不到所选检察院的决定")
    reviews = pa.Table.from_batches(kept)
    ids = reviews.column("suspect_id").combine_chunks()
    suspects = scan(
        directory, "suspects", ["suspect_id", *covariates], pc.field("suspect_id").isin(ids)
    )
    frame = pd.DataFrame(
        {
            "suspect_id": reviews.column("suspect_id").to_numpy(),
            "group": reviews.column("procuratorate_id").to_numpy(),
            "year": reviews.column("year").to_numpy(),
            "y": outcome(reviews, model).to_numpy(),
            **{c: reviews.column(c).to_numpy() for c in own},
        }
    )
    covs = suspects.to_pandas().drop_duplicates("suspect_id")
    rows = frame.merge(covs, on="suspect_id", how="inner")
    rows = rows.dropna(subset=covariates)
    return rows.drop(columns="suspect_id"), len(frame) - len(rows)
