"""A released table written column by column, the same file the whole-table path writes
(docs/desensitize.md, 全国规模的发布).

Why this shape: the release used to hold every table in pandas and write each with
``pq.write_table(pa.Table.from_pandas(df))``. Its output types follow pandas (an integer column
with a null anywhere becomes float64, a replaced column becomes ``string``, an untouched text
column ``large_string``) and its Parquet file has row groups of 1,048,576 rows. Each column is
now produced alone (pandas types depend on the column only), spilled to an Arrow IPC file in
slices of that row-group size, and the table is written one row group at a time from those
files, with the schema and pandas metadata of a two-row probe frame converted the same way.
Peak memory is about one column, not one dataset.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from desensitize.tables.arrowscan import take_rows

ROW_GROUP = 1024 * 1024  # pyarrow's default row-group size for write_table
_IPC = ipc.IpcWriteOptions(compression="lz4")


@dataclass
class OutColumn:
    """One released column, spilled: its IPC file and a two-row probe with its pandas dtype."""

    name: str
    path: Path
    probe: pd.Series


def _probe_positions(column: pa.ChunkedArray) -> list[int]:
    """First non-null and first null row (the cells that decide pandas' dtype and type)."""
    valid = pc.is_valid(column)
    first_valid = pc.index(valid, True).as_py()
    first_null = pc.index(valid, False).as_py()
    picks = [p for p in (first_valid, first_null) if p is not None and p >= 0]
    return (picks * 2)[:2] if picks else []


def _spill(column: pa.ChunkedArray | pa.Array, name: str, path: Path) -> None:
    schema = pa.schema([pa.field(name, column.type)])
    with ipc.new_file(str(path), schema, options=_IPC) as writer:
        for lo in range(0, len(column), ROW_GROUP):
            part = column.slice(lo, ROW_GROUP)
            arr = part.combine_chunks() if isinstance(part, pa.ChunkedArray) else part
            writer.write_batch(pa.record_batch([arr], schema=schema))


class _Spiller:
    """Arrays of any lengths in, IPC batches of exactly ``ROW_GROUP`` rows out."""

    def __init__(self, name: str, type_: pa.DataType, path: Path) -> None:
        self.schema = pa.schema([pa.field(name, type_)])
        self.writer = ipc.new_file(str(path), self.schema, options=_IPC)
        self.pending: list[pa.Array] = []
        self.size = 0

    def add(self, arr: pa.Array) -> None:
        self.pending.append(arr)
        self.size += len(arr)
        if self.size >= ROW_GROUP:
            whole = pa.concat_arrays(self.pending)
            cut = len(whole) - len(whole) % ROW_GROUP
            for lo in range(0, cut, ROW_GROUP):
                self._write(whole.slice(lo, ROW_GROUP))
            rest = whole.slice(cut)
            self.pending, self.size = ([rest] if len(rest) else []), len(rest)

    def _write(self, arr: pa.Array) -> None:
        self.writer.write_batch(pa.record_batch([arr], schema=self.schema))

    def close(self) -> None:
        if self.pending:
            self._write(pa.concat_arrays(self.pending))
        self.writer.close()


def untouched(name: str, type_: pa.DataType, pieces: Iterable[pa.Array], path: Path) -> OutColumn:
    """A column the release keeps, a record batch at a time: spilled in its own type and cast
    when written to the type pandas gives it (Arrow → pandas → Arrow without the trip). The
    two-row probe (first non-null value, and a null if there is one) gets the dtype and type
    the whole column gets."""
    spill = _Spiller(name, type_, path)
    first: pa.Array | None = None
    nulls = False
    for arr in pieces:
        if first is None and arr.null_count < len(arr):
            first = arr.slice(pc.index(pc.is_valid(arr), True).as_py(), 1)
        nulls = nulls or arr.null_count > 0
        spill.add(arr)
    spill.close()
    cells = ([first] if first is not None else []) + ([pa.nulls(1, type_)] if nulls else [])
    small = pa.concat_arrays((cells * 2)[:2]) if cells else pa.array([], type=type_)
    probe = pa.table({name: small}).to_pandas()[name]
    return OutColumn(name, path, probe)


def from_series(series: pd.Series, path: Path) -> OutColumn:
    """A column produced in pandas (a transformed column, or any column of a CSV table)."""
    name = str(series.name)
    table = pa.Table.from_pandas(series.to_frame(), preserve_index=False)
    valid = series.notna().to_numpy()
    picks = [int(np.argmax(v)) for v in (valid, ~valid) if v.any()]
    _spill(table.column(0), name, path)
    return OutColumn(name, path, series.iloc[(picks * 2)[:2]].reset_index(drop=True))


def from_arrow_text(name: str, column: pa.Array | pa.ChunkedArray, path: Path) -> OutColumn:
    """A column replaced in Arrow whose pandas twin is an object column of ``str``."""
    chunked = column if isinstance(column, pa.ChunkedArray) else pa.chunked_array([column])
    picks = _probe_positions(chunked)
    values = take_rows(chunked, np.array(picks, dtype=np.int64)).to_pylist()
    _spill(column.cast(pa.string()), name, path)
    return OutColumn(name, path, pd.Series(values, dtype=object))


def _schema(columns: list[OutColumn]) -> pa.Schema:
    """Types and pandas metadata of the whole table: those of the probe frame, whose columns
    have the dtype and the kind of cells (null or not) of the whole columns."""
    frame = pd.DataFrame({c.name: c.probe.reset_index(drop=True) for c in columns})
    return pa.Table.from_pandas(frame, preserve_index=False).schema


def write_parquet(path: Path, columns: list[OutColumn], num_rows: int) -> None:
    """The table one row group at a time from the spilled columns."""
    schema = _schema(columns)
    readers = [ipc.open_file(pa.memory_map(str(c.path))) for c in columns]
    with pq.ParquetWriter(str(path), schema) as writer:
        if num_rows == 0 or not readers:
            writer.write_table(schema.empty_table())
            return
        for i in range(readers[0].num_record_batches):
            arrays = [
                _as(r.get_batch(i).column(0), schema.field(j).type) for j, r in enumerate(readers)
            ]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))


def _as(arr: pa.Array, target: pa.DataType) -> pa.Array:
    return arr if arr.type == target else arr.cast(target)
