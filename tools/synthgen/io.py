"""Reading and writing dataset tables in either layout.

A table is either one file (``persons.parquet``, or ``.csv``/``.xlsx`` for small extracts) or a
hive-partitioned folder (``persons/province_code=33/year=2021/part-0.parquet``). Partition keys
are not stored in the file bodies, so the reader restores them with their contract types
(province_code as a 2-character string, year as an integer) — DuckDB users pass
``hive_types={'province_code': 'VARCHAR'}`` for the same effect.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

PARTITION_SCHEMA = pa.schema([("province_code", pa.string()), ("year", pa.int16())])


class DatasetError(ValueError):
    """A dataset folder or table is missing or malformed (Chinese message)."""


def table_path(dataset: Path, name: str) -> Path:
    for candidate in (
        dataset / name,
        dataset / f"{name}.parquet",
        dataset / f"{name}.csv",
        dataset / f"{name}.xlsx",
    ):
        if candidate.exists():
            return candidate
    raise DatasetError(
        f"数据集 {dataset} 中没有表「{name}」（找过 {name}/、{name}.parquet/.csv/.xlsx）"
    )


def read_arrow(dataset: Path | str, name: str, columns: list[str] | None = None) -> pa.Table:
    path = table_path(Path(dataset), name)
    if path.is_dir():
        part = ds.partitioning(PARTITION_SCHEMA, flavor="hive")
        data = ds.dataset(path, format="parquet", partitioning=part)
        keys = [f for f in PARTITION_SCHEMA.names if f in data.schema.names]
        # Sort by partition keys for a stable row order regardless of file discovery order.
        table = data.to_table(columns=columns)
        if keys and (columns is None or set(keys) <= set(columns)):
            table = table.sort_by([(k, "ascending") for k in keys])
        return table
    if path.suffix == ".parquet":
        return pq.read_table(path, columns=columns)
    frame = read_table(dataset, name)
    return pa.Table.from_pandas(frame if columns is None else frame[columns], preserve_index=False)


def read_table(dataset: Path | str, name: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Load one table of a dataset as a pandas DataFrame, whatever its layout."""
    path = table_path(Path(dataset), name)
    if path.suffix == ".csv":
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        return frame if columns is None else frame[columns]
    if path.suffix == ".xlsx":
        frame = pd.read_excel(path, dtype=str)
        return frame if columns is None else frame[columns]
    return read_arrow(dataset, name, columns).to_pandas(date_as_object=False)


def write_parquet(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    tmp.replace(path)
