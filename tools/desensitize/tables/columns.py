"""Per-column desensitization once a column's entity is known (``tables.roles`` decides it)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

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
