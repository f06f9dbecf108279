"""Proportions with the intervals small counts need: Wilson and exact (Clopper–Pearson).

The normal (Wald) interval collapses to a point at x = 0 or x = n and undercovers when n·p is
small, which is the usual case for one procuratorate or court in one year; Wilson and the exact
interval do not. Both come from statsmodels' `proportion_confint`, so the numbers match what a
student gets by calling it directly. A rate with n = 0 is undefined: its rate and interval are
NaN rather than a fabricated 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

Floats = npt.NDArray[np.float64]
METHODS = {"wilson": "wilson", "exact": "beta"}


def proportion_interval(
    successes: npt.ArrayLike, totals: npt.ArrayLike, alpha: float = 0.05, method: str = "wilson"
) -> tuple[Floats, Floats]:
    """(lower, upper) arrays for `method` "wilson" or "exact"; NaN where the total is 0."""
    if method not in METHODS:
        raise ValueError(f"未知的区间方法：{method}（可用：{'、'.join(METHODS)}）")
    x = np.atleast_1d(np.asarray(successes, dtype=float))
    n = np.atleast_1d(np.asarray(totals, dtype=float))
    if np.any(x < 0) or np.any(x > n):
        raise ValueError("计数应满足 0 ≤ 事件数 ≤ 总数")
    low = np.full(x.shape, np.nan)
    high = np.full(x.shape, np.nan)
    ok = n > 0
    if ok.any():
        lo, hi = proportion_confint(x[ok], n[ok], alpha=alpha, method=METHODS[method])
        low[ok] = np.clip(lo, 0.0, 1.0)
        high[ok] = np.clip(hi, 0.0, 1.0)
    return low, high


def rate_table(
    successes: pd.Series,
    totals: pd.Series,
    alpha: float = 0.05,
    methods: Sequence[str] = ("wilson", "exact"),
) -> pd.DataFrame:
    """Columns x, n, rate and `<method>_low` / `<method>_high` per method, on the input index."""
    x = successes.astype(float)
    n = totals.reindex(x.index).astype(float)
    out = pd.DataFrame({"x": x, "n": n})
    out["rate"] = np.where(n > 0, x / n.where(n > 0, 1.0), np.nan)
    for method in methods:
        low, high = proportion_interval(x.to_numpy(), n.to_numpy(), alpha, method)
        out[f"{method}_low"] = low
        out[f"{method}_high"] = high
    return out


def decision_rates(
    frame: pd.DataFrame,
    by: str | list[str],
    hit: str,
    favourable: str,
    decision: str = "decision",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Official-definition rate per group: hit ÷ (hit + favourable), persons.

    Other decisions (撤回、移送 …) are left out of numerator and denominator, as in the SPP
    definitions of 不捕率 and 不诉率 (docs/schema.md); `n` is therefore hit + favourable.
    """
    decided = frame[frame[decision].isin([hit, favourable])]
    flag = (decided[decision] == hit).astype(float)
    grouped = flag.groupby([decided[k] for k in ([by] if isinstance(by, str) else by)])
    return rate_table(grouped.sum(), grouped.size(), alpha)
