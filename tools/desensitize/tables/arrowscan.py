"""Column roles of a table read column by column as Arrow (docs/desensitize.md, 列的角色).

The decisions are those of ``tables.roles`` (same sample, same recognizers, same full-column
check); only the cells come from an Arrow column instead of a pandas frame of the whole table,
so that a national table with a hundred million rows is never turned into Python objects: the
sample is 200 cells, and the full-column check is one Arrow regex pass.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from desensitize.io.sources import TableSource
from desensitize.tables.columns import FREE_TEXT, KEY, ColumnPlan
from desensitize.tables.roles import (
    MIN_SHARE,
    _decide,
    _looks_like_names,
    _whole_entity,
    load_roles,
    scan_column,
)
from desensitize.text.desensitizer import Desensitizer


def is_text(t: pa.DataType) -> bool:
    return bool(pa.types.is_string(t) or pa.types.is_large_string(t))


def plain(t: pa.DataType) -> bool:
    """Types pandas never turns into ``str`` cells: their role is None without a look."""
    return bool(
        pa.types.is_integer(t)
        or pa.types.is_floating(t)
        or pa.types.is_boolean(t)
        or pa.types.is_temporal(t)
        or pa.types.is_null(t)
        or pa.types.is_decimal(t)
    )


def infer_source_columns(
    source: TableSource, des: Desensitizer, sample_rows: int
) -> list[ColumnPlan]:
    """``roles.infer_columns`` for a table read one column at a time."""
    roles = load_roles()
    plans = []
    for name in source.columns:
        hinted = roles.header_entity(source.name, name)
        validate = hinted in (None, KEY)
        type_ = source.schema_type(name)
        if is_text(type_):
            found = scan_arrow(source.arrow(name), des, sample_rows, validate)
        elif plain(type_):
            found = None
        else:  # dictionary, binary, nested: as pandas sees them
            found = scan_column(source.series(name), des, sample_rows, validate)
        plans.append(_decide(name, hinted, found, roles))
    return plans


def scan_arrow(
    column: pa.ChunkedArray, des: Desensitizer, n: int, validate: bool = True
) -> str | None:
    """``roles.scan_column`` for a text column in Arrow."""
    non_null = pc.drop_null(column) if column.null_count else column
    if len(non_null) == 0:
        return None
    cells = (
        take_rows(non_null, sample_positions(len(non_null), n)) if len(non_null) > n else non_null
    )
    sample = pd.Series(cells.to_pylist(), dtype=object)
    entity = _whole_entity(sample, des)
    if entity is None and _looks_like_names(sample, des):
        entity = "PERSON"
    if validate and entity is not None and entity != FREE_TEXT:
        entity = validate_arrow(column, entity)
    return entity


def take_rows(column: pa.ChunkedArray | pa.Array, rows: npt.NDArray[np.int64]) -> pa.Array:
    """``column.take(rows)`` chunk by chunk: ``ChunkedArray.take`` first concatenates the
    chunks, which fails for a text column past 2 GiB (a national column of 138 million IDs)."""
    if isinstance(column, pa.Array):
        return column.take(pa.array(rows))
    ends = np.cumsum([len(c) for c in column.chunks])
    which = np.searchsorted(ends, rows, side="right")
    parts, order = [], []
    for k in np.unique(which).tolist():
        picked = np.flatnonzero(which == k)
        local = rows[picked] - (ends[k] - len(column.chunks[k]))
        parts.append(column.chunks[k].take(pa.array(local)))
        order.append(picked)
    if not parts:
        return pa.array([], type=column.type)
    back = np.empty(len(rows), dtype=np.int64)
    back[np.concatenate(order)] = np.arange(len(rows))
    return pa.concat_arrays(parts).take(pa.array(back))


@lru_cache(maxsize=16)
def sample_positions(size: int, n: int) -> npt.NDArray[np.int64]:
    """The rows pandas' ``sample(n, random_state=0)`` draws from ``size`` rows: the first ``n``
    of ``RandomState(0).permutation(size)`` (what ``RandomState.choice`` without replacement
    does). Shuffling 10^8 positions takes seconds, and every column of a table without nulls
    has the same size, so the draw is made once per size."""
    positions = np.random.RandomState(0).permutation(size)[:n].astype(np.int64)
    positions.flags.writeable = False
    return positions


def validate_arrow(column: pa.ChunkedArray, entity: str) -> str:
    """``roles._validate`` in one Arrow pass over the whole column."""
    pattern = load_roles().patterns.get(entity)
    if pattern is None:
        return entity
    cells = len(column) - column.null_count
    if cells == 0:
        return entity
    hits = 0
    for chunk in column.chunks:  # one chunk at a time: a trimmed copy of the column is GiBs
        trimmed = pc.utf8_trim_whitespace(chunk)
        hits += pc.sum(pc.match_substring_regex(trimmed, pattern)).as_py() or 0
    return entity if hits / cells >= MIN_SHARE else FREE_TEXT


def distinct_text(column: pa.ChunkedArray) -> pa.Array:
    """Distinct non-null values of a column as strings (``astype(str)`` for other types)."""
    if is_text(column.type):
        return pc.unique(pc.drop_null(column).cast(pa.string()))
    values = pa.table({"c": column}).to_pandas()["c"].dropna().astype(str)
    return pc.unique(pa.array(values.to_numpy(dtype=object), type=pa.string()))
