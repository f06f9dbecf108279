"""Generated 不捕率 / 不诉率 by year of decision beside the published targets.

Rates follow the official definitions (docs/schema.md): outcome / (favourable + outcome), persons,
"其他" outside the denominator. Wilson intervals show how much of a gap to the target is
sampling noise; the ±1 pp band is the issue's acceptance rule at scale ≥ 0.1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from research import proportion_interval
from synthgen.report.load import DECISIONS, MODELS, REVIEW_TABLES, Truth, batches, scan
from synthgen.store.io import DatasetError

TOLERANCE_PP = 1.0
TARGET_KEYS = {"arrest": "non_arrest_rate", "prosecution": "non_prosecution_rate"}
RATE_NAMES = {"arrest": "不捕率", "prosecution": "不诉率"}
POPULATIONS = {"all": "全部", "juvenile": "未成年人"}
_LABEL = re.compile(r"^\s*\[([A-Z])\]")


@dataclass(frozen=True)
class RateRow:
    model: str  # arrest | prosecution
    population: str  # all | juvenile
    year: int
    outcome: int  # 不批准逮捕 / 不起诉 persons
    favourable: int  # 批准逮捕 / 起诉 persons
    other: int  # 其他 (outside the official denominator)
    rate: float
    ci_low: float
    ci_high: float
    target: float | None
    source: str | None
    label: str | None  # S / D / K

    @property
    def decided(self) -> int:
        return self.outcome + self.favourable

    @property
    def diff_pp(self) -> float | None:
        return None if self.target is None else 100.0 * (self.rate - self.target)

    @property
    def within_tolerance(self) -> bool | None:
        diff = self.diff_pp
        return None if diff is None else abs(diff) <= TOLERANCE_PP

    @property
    def target_in_ci(self) -> bool | None:
        return None if self.target is None else self.ci_low <= self.target <= self.ci_high

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "rate_name": RATE_NAMES[self.model],
            "population": self.population,
            "year": self.year,
            "outcome": self.outcome,
            "favourable": self.favourable,
            "other": self.other,
            "decided": self.decided,
            "rate": self.rate,
            "ci95": [self.ci_low, self.ci_high],
            "target": self.target,
            "target_source": self.source,
            "source_label": self.label,
            "diff_pp": self.diff_pp,
            "within_1pp": self.within_tolerance,
            "target_in_ci": self.target_in_ci,
        }


def source_label(source: str | None) -> str | None:
    """The [S]/[D]/[K] label that opens every source text of the parameter file."""
    if source is None:
        return None
    match = _LABEL.match(source)
    return match.group(1) if match else None


def decision_counts(pieces: Iterable[pa.RecordBatch], model: str) -> pd.DataFrame:
    """Persons per year of decision: columns outcome, favourable, other (index: year)."""
    favourable, hit = DECISIONS[model]
    total = pd.DataFrame(columns=[hit, favourable], dtype=np.int64)
    for piece in pieces:
        dates = piece.column(piece.schema.get_field_index("decision_date"))
        if dates.null_count:
            raise DatasetError(
                f"表「{REVIEW_TABLES[model]}」有决定日期为空的行，无法按决定年度统计"
            )
        frame = pd.DataFrame(
            {
                "year": pc.year(dates).to_numpy(zero_copy_only=False),
                "decision": piece.column(piece.schema.get_field_index("decision")).to_numpy(
                    zero_copy_only=False
                ),
            }
        )
        counts = pd.crosstab(frame["year"], frame["decision"])
        total = total.add(counts, fill_value=0)
    total = total.fillna(0).astype(np.int64)
    total.index = total.index.astype(int)
    return pd.DataFrame(
        {
            "outcome": total[hit],
            "favourable": total[favourable],
            "other": total.drop(columns=[hit, favourable]).sum(axis=1),
        }
    ).sort_index()


def rate_rows(
    counts: pd.DataFrame, model: str, population: str, targets: dict[str, Any]
) -> list[RateRow]:
    """One row per year with its Wilson 95% interval and the target of that year (if any)."""
    counts = counts[(counts["outcome"] + counts["favourable"]) > 0]
    nobs = (counts["outcome"] + counts["favourable"]).to_numpy()
    low, high = proportion_interval(counts["outcome"].to_numpy(), nobs, alpha=0.05, method="wilson")
    rows = []
    for i, (year, row) in enumerate(counts.iterrows()):
        target = targets.get(str(year))
        source = None if target is None else str(target.get("source"))
        rows.append(
            RateRow(
                model=model,
                population=population,
                year=int(str(year)),
                outcome=int(row["outcome"]),
                favourable=int(row["favourable"]),
                other=int(row["other"]),
                rate=float(row["outcome"] / nobs[i]),
                ci_low=float(low[i]),
                ci_high=float(high[i]),
                target=None if target is None else float(target["value"]),
                source=source,
                label=source_label(source),
            )
        )
    return rows


def _juvenile_ids(directory: Path) -> pa.Array:
    table = scan(directory, "suspects", ["suspect_id"], pc.field("is_juvenile") == 1)
    return table.column("suspect_id").combine_chunks()


def compute_rates(directory: Path, truth: Truth) -> list[RateRow]:
    """Rates of every year present, then the juvenile rates of the juvenile target's year."""
    targets = truth.details["targets"]
    juvenile = targets.get("juvenile")
    juvenile_ids = _juvenile_ids(directory) if juvenile else None
    rows: list[RateRow] = []
    for model in MODELS:
        pieces = batches(directory, REVIEW_TABLES[model], ["decision", "decision_date"])
        rows += rate_rows(decision_counts(pieces, model), model, "all", targets[TARGET_KEYS[model]])
    for model in MODELS if juvenile else ():
        year = int(juvenile["year"])
        where = (pc.year(pc.field("decision_date")) == year) & pc.field("suspect_id").isin(
            juvenile_ids
        )
        pieces = batches(directory, REVIEW_TABLES[model], ["decision", "decision_date"], where)
        target = {str(year): juvenile[TARGET_KEYS[model]]}
        rows += rate_rows(decision_counts(pieces, model), model, "juvenile", target)
    return rows
