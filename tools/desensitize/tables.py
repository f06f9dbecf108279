"""Column → entity mapping (inferred by sampling, overridable) and per-column desensitization.

Following presidio-structured: sample non-null cells, run the analyzer, and call a column an
entity when most sampled cells are entirely that entity. Names of the data contract
(``schema.md``) are used as hints first, because a sample of synthetic names has no anchors.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from desensitize.desensitizer import Desensitizer
from desensitize.operators.pseudonym import Pseudonym, PseudonymParams
from desensitize.operators.registry import get_operator
from desensitize.policy import OperatorConfig

NAME_HINTS: dict[str, str] = {
    "id_number": "ID_CARD",
    "phone": "PHONE",
    "mobile": "PHONE",
    "plate": "PLATE",
    "account_number": "BANK_CARD",
    "certificate_number": "PROPERTY_CERT",
    "address": "ADDRESS",
    "uscc": "USCC",
    "email": "EMAIL",
    "passport": "PASSPORT",
    "policy_number": "ACCOUNT_NUMBER",
}
PERSON_NAME_TABLES = {"persons"}
FREE_TEXT = "FREE_TEXT"
KEY = "KEY"
MIN_SHARE = 0.6
TEXT_BATCH = 5000  # cells desensitized per batch: a batch counts as one document for numbering


@dataclass
class ColumnPlan:
    column: str
    entity: str | None  # None: left as is
    source: str  # "名称提示" / "抽样推断" / "策略指定"


def infer_columns(
    table: str, df: pd.DataFrame, des: Desensitizer, sample_rows: int, overrides: dict[str, str]
) -> list[ColumnPlan]:
    plans = []
    for col in df.columns:
        name = str(col)
        if name in overrides:
            plans.append(ColumnPlan(name, overrides[name], "策略指定"))
        elif name.endswith("_id") or name == "id":
            plans.append(ColumnPlan(name, KEY, "名称提示"))
        elif name in NAME_HINTS:
            plans.append(ColumnPlan(name, NAME_HINTS[name], "名称提示"))
        elif name == "name" and table in PERSON_NAME_TABLES:
            plans.append(ColumnPlan(name, "PERSON", "名称提示"))
        else:
            plans.append(ColumnPlan(name, _sample_entity(df[col], des, sample_rows), "抽样推断"))
    return plans


def _sample_entity(series: pd.Series, des: Desensitizer, n: int) -> str | None:
    if not (pd.api.types.is_string_dtype(series) or series.dtype == object):
        return None
    non_null = series.dropna()
    if non_null.empty or not isinstance(non_null.iloc[0], str):
        return None
    sample = non_null.astype(str)
    sample = sample.sample(min(n, len(sample)), random_state=0) if len(sample) > n else sample
    if sample.empty:
        return None
    whole: Counter[str] = Counter()
    any_pii = 0
    values = sample.tolist()
    for value, found in zip(values, des.analyze_many(values), strict=True):
        spans = [s for s in found if des.policy.operator_for(s.entity).operator != "keep"]
        if len(spans) == 1 and spans[0].start == 0 and spans[0].end == len(value):
            whole[spans[0].entity] += 1
        elif spans:
            any_pii += 1
    if whole and whole.most_common(1)[0][1] >= MIN_SHARE * len(sample):
        entity = whole.most_common(1)[0][0]
        return None if entity == "DATE" else entity
    if any_pii or sample.str.len().mean() > 20:
        return FREE_TEXT
    return None


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
