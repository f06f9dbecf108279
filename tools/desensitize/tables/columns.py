"""Per-column desensitization once a column's entity is known (``tables.roles`` decides it)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from desensitize.operators.pseudonym import Pseudonym, PseudonymParams
from desensitize.operators.registry import get_operator
from desensitize.policy import OperatorConfig
from desensitize.text.desensitizer import Desensitizer

FREE_TEXT = "FREE_TEXT"
KEY = "KEY"
TEXT_BATCH = 5000  # cells desensitized per batch: a batch counts as one document for numbering


@dataclass
class ColumnPlan:
    column: str
    entity: str | None  # None: left as is
    source: str  # "名称提示" / "抽样推断" / "内容识别" / "策略指定"


def apply_column(
    series: pd.Series, entity: str, cfg: OperatorConfig, des: Desensitizer
) -> pd.Series:
    """Vectorized for pseudonyms (hash each distinct value once); per distinct value otherwise."""
    op = get_operator(cfg.operator)
    params = op.validate(cfg.params)
    mask = series.notna()
    if not mask.any():
        return series
    values = series[mask].astype(str)
    if isinstance(op, Pseudonym):
        assert isinstance(params, PseudonymParams)
        mapped = op.map_column(
            entity, pa.array(values.to_numpy(), type=pa.string()), params, des.context
        )
        new = pd.Series(mapped.to_numpy(zero_copy_only=False), index=values.index, dtype=object)
    else:
        uniques = values.unique().tolist()
        op.prepare(entity, uniques, params, des.context)
        lookup = {u: op.operate(entity, u, params, des.context) for u in uniques}
        new = values.map(lookup)
    out = series.astype(object).copy()
    out[mask] = new
    return out


def apply_free_text(
    series: pd.Series, des: Desensitizer
) -> tuple[pd.Series, Counter[tuple[str, str]]]:
    counts: Counter[tuple[str, str]] = Counter()
    new = []
    values = series.dropna().astype(str).tolist()
    for lo in range(0, len(values), TEXT_BATCH):  # batched: one regex pass per batch of cells
        for result in des.text_many(values[lo : lo + TEXT_BATCH]):
            counts.update((i.entity, i.operator) for i in result.items)
            new.append(result.text)
    out = series.astype(object).copy()
    out[series.notna()] = new
    return out, counts


def free_text_arrow(
    column: pa.ChunkedArray, des: Desensitizer
) -> tuple[pa.Array, Counter[tuple[str, str]]]:
    """``apply_free_text`` for an Arrow column, without a Python object per cell.

    Analysis is per text (``text.engine``), so each distinct cell value is analyzed once; a
    batch of ``TEXT_BATCH`` cells none of which has a detection comes out of ``text_many``
    unchanged and touches no operator state, so it is skipped. The other batches are the same
    ``text_many`` calls on the same cells as before: the output and the pseudonym draws are
    those of ``apply_free_text`` (a national column of 60 million short notes holds 38 values).
    """
    counts: Counter[tuple[str, str]] = Counter()
    cells = pc.drop_null(column).cast(pa.string()).combine_chunks()
    encoded = pc.dictionary_encode(cells)
    distinct = encoded.dictionary.to_pylist()
    spanned = np.zeros(len(distinct), dtype=bool)
    for lo in range(0, len(distinct), TEXT_BATCH):
        found = des.analyze_many(distinct[lo : lo + TEXT_BATCH])
        spanned[lo : lo + len(found)] = [bool(f) for f in found]
    hit = spanned[encoded.indices.to_numpy(zero_copy_only=False)]
    where: list[int] = []
    new: list[str] = []
    for lo in range(0, len(cells), TEXT_BATCH):
        if not hit[lo : lo + TEXT_BATCH].any():
            continue
        batch = cells.slice(lo, TEXT_BATCH).to_pylist()
        for j, result in enumerate(des.text_many(batch)):
            counts.update((i.entity, i.operator) for i in result.items)
            where.append(lo + j)
            new.append(result.text)
    if where:
        mask = np.zeros(len(cells), dtype=bool)
        mask[where] = True
        cells = pc.replace_with_mask(cells, pa.array(mask), pa.array(new, type=pa.string()))
    valid = pc.is_valid(column).combine_chunks() if isinstance(column, pa.ChunkedArray) else None
    if valid is None:
        valid = pc.is_valid(column)
    return pc.replace_with_mask(pa.nulls(len(column), pa.string()), valid, cells), counts
