"""Tables of a dataset opened without reading them: a release reads one column at a time
(docs/desensitize.md, 全国规模的发布).

Why: a national enforcement year holds 13 GiB of uncompressed tables; reading them all into
pandas at once does not fit in memory. A Parquet table (one file or a hive folder of
partitions) is opened as an Arrow dataset and read column by column, in the row order
``read_table`` gives. CSV and XLSX tables come from people, not from the generator, and are
small: they are read whole with ``read_table`` (its encoding and shape checks) and served from
memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as pds

from desensitize.io.decoding import InputError
from desensitize.io.readers import read_table


@dataclass
class TableSource:
    """One input table: its columns and row count now, its cells column by column."""

    name: str
    path: Path
    encoding: str
    columns: list[str]
    num_rows: int
    dataset: pds.Dataset | None = None
    frame: pd.DataFrame | None = None

    def arrow(self, column: str) -> pa.ChunkedArray:
        """A whole column as Arrow (the same values and row order as ``read_table``)."""
        if self.frame is not None:
            table = pa.Table.from_pandas(self.frame[[column]], preserve_index=False)
            return table.column(0)
        assert self.dataset is not None
        try:
            return self.dataset.to_table(columns=[column]).column(0)
        except (OSError, pa.ArrowException) as exc:
            raise InputError(f"{self.path}：无法读取 Parquet 列 {column}（{exc}）") from exc

    def schema_type(self, column: str) -> pa.DataType:
        if self.frame is not None:
            return self.arrow(column).type
        assert self.dataset is not None
        return self.dataset.schema.field(column).type

    def pieces(self, column: str) -> Iterator[pa.Array]:
        """A column a record batch at a time, partition after partition, in the row order of
        ``arrow`` (a hundred-million-row column is never in memory at once)."""
        if self.frame is not None:
            yield from self.arrow(column).chunks
            return
        assert self.dataset is not None
        try:
            for fragment in self.dataset.get_fragments():
                for batch in fragment.to_batches(columns=[column], schema=self.dataset.schema):
                    yield batch.column(0)
        except (OSError, pa.ArrowException) as exc:
            raise InputError(f"{self.path}：无法读取 Parquet 列 {column}（{exc}）") from exc

    def whole(self) -> pa.Table:
        """Every column at once (only for the small tables of a dataset with case files)."""
        if self.frame is not None:
            return pa.Table.from_pandas(self.frame, preserve_index=False)
        assert self.dataset is not None
        return self.dataset.to_table()

    def series(self, column: str) -> pd.Series:
        """A whole column as pandas, typed as ``read_table`` would type it."""
        if self.frame is not None:
            return self.frame[column]
        return pa.table({column: self.arrow(column)}).to_pandas()[column]


def open_table(name: str, path: Path) -> TableSource:
    if path.is_dir() or path.suffix.lower() == ".parquet":
        try:
            ds = pds.dataset(str(path), format="parquet", partitioning="hive")
            rows = ds.count_rows()
        except (OSError, pa.ArrowException) as exc:
            raise InputError(f"{path}：无法读取 Parquet（{exc}）") from exc
        return TableSource(name, path, "Parquet", list(ds.schema.names), rows, dataset=ds)
    frame, encoding = read_table(path)
    columns = [str(c) for c in frame.columns]
    return TableSource(name, path, encoding, columns, len(frame), frame=frame)
