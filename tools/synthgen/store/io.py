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

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from synthgen.codebook.files import dataset_codebook
from synthgen.codebook.model import TYPE_LABELS, CodebookError, CodebookMissing, Column
from synthgen.errors import SynthgenError

PARTITION_SCHEMA = pa.schema([("province_code", pa.string()), ("year", pa.int16())])


class DatasetError(SynthgenError):
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
    table = read_office(Path(dataset), name, path)
    return table if columns is None else table.select(columns)


def read_table(dataset: Path | str, name: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Load one table of a dataset as a pandas DataFrame, whatever its layout."""
    return read_arrow(dataset, name, columns).to_pandas(date_as_object=False)


def _office_column(text: pd.Series, column: Column | None, where: str) -> pa.Array:
    """One column of a CSV/XLSX extract in the Arrow type the codebook gives it (strings for
    undocumented columns); empty cells are nulls, as the writer put them."""
    missing = text.isna() | (text == "")
    values = pa.array(
        text.to_numpy(dtype=object), type=pa.string(), mask=missing.to_numpy(), from_pandas=True
    )
    if column is None or column.type == "string":
        return values
    if column.type == "date":
        values = pc.utf8_slice_codeunits(values, 0, 10)  # XLSX cells read as "2021-08-13 00:00:00"
    target = pa.date32() if column.type == "date" else pa.type_for_alias(column.arrow_storage)
    try:
        return pc.cast(values, target)
    except pa.ArrowInvalid:
        row = _first_unparsable(text, missing, column.type, target)
        raise DatasetError(
            f"{where} 第 {row + 2} 行列 {text.name}：「{text.iloc[row]}」不是"
            f"{TYPE_LABELS[column.type]}（应为 {target}）"
        ) from None


def _first_unparsable(text: pd.Series, missing: pd.Series, kind: str, target: pa.DataType) -> int:
    """Row of the first cell that cannot become ``target`` (only on the error path)."""
    if kind == "date":
        dates = pd.to_datetime(text.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
        bad = dates.isna()
    else:
        numbers = pd.to_numeric(text, errors="coerce")
        bad = numbers.isna()
        if kind != "number":
            info = np.iinfo(target.to_pandas_dtype())
            bad |= (numbers % 1 != 0) | (numbers < info.min) | (numbers > info.max)
    rows = np.flatnonzero((bad & ~missing).to_numpy())
    return int(rows[0]) if rows.size else 0


def read_office(dataset: Path, name: str, path: Path) -> pa.Table:
    """A CSV (UTF-8 with BOM) or XLSX extract, typed by the dataset's codebook: dates as dates,
    integers as integers, identifiers and division codes as strings (no lost leading characters)."""
    try:
        spec = dataset_codebook(dataset).tables.get(name)
    except CodebookMissing:
        spec = None
    except CodebookError as exc:
        raise DatasetError(str(exc)) from exc
    if path.suffix == ".csv":
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    else:
        frame = pd.read_excel(path, dtype=str, keep_default_na=False)
    columns = spec.columns if spec else {}
    return pa.table(
        {str(c): _office_column(frame[c], columns.get(str(c)), path.name) for c in frame.columns}
    )


def write_parquet(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    tmp.replace(path)
