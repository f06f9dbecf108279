"""Rule id → check function, so the engine iterates the catalog instead of an if-chain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from review.catalog import Rule
from review.dataset import OpenDataset

FINDING_COLUMNS = ["case_id", "asset_id", "suspect_id", "detail"]


@dataclass(frozen=True)
class RuleContext:
    ds: OpenDataset
    rule: Rule

    def param(self, name: str) -> Any:
        return self.rule.param(name)

    @property
    def as_of(self) -> dt.date:
        if self.ds.as_of is None:
            raise ValueError("执行数据集没有可用的截止日期（数据中没有任何日期）")
        return self.ds.as_of

    def sql(self, query: str) -> pa.Table:
        """Run a check query; every check selects case_id, asset_id, detail (and suspect_id).
        Results stay in Arrow so millions of findings never become Python objects."""
        rel = self.ds.con.sql(query)
        cols = [c if c in rel.columns else f"CAST(NULL AS VARCHAR) AS {c}" for c in FINDING_COLUMNS]
        return (
            rel.select(", ".join(f"CAST({c} AS VARCHAR)" if c in rel.columns else c for c in cols))
            .to_arrow_table()
            .rename_columns(FINDING_COLUMNS)
        )


def from_frame(frame: pd.DataFrame) -> pa.Table:
    """A pandas result of a check in the common finding layout."""
    out = {c: pa.array(frame[c].astype(object), type=pa.string()) if c in frame else
           pa.nulls(len(frame), pa.string()) for c in FINDING_COLUMNS}  # fmt: skip
    return pa.table(out)


Check = Callable[[RuleContext], pa.Table]
REGISTRY: dict[str, Check] = {}


def register(rule_id: str) -> Callable[[Check], Check]:
    def wrap(fn: Check) -> Check:
        if rule_id in REGISTRY:
            raise ValueError(f"规则 {rule_id} 重复注册")
        REGISTRY[rule_id] = fn
        return fn

    return wrap
