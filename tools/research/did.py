"""Difference-in-differences for a policy adopted on different dates by different units.

Two estimators, because with staggered adoption they answer differently:

* `twfe_logit`: the two-way fixed-effects regression (unit and period dummies plus the adoption
  indicator) on individual decisions. With an effect that is constant on the logit scale, as in
  the criminal generator's DGP (docs/criminal-data.md §3), it recovers that effect.
* `group_time_att`: group-time average effects on the treated, ATT(g, t), in the spirit of
  Callaway & Sant'Anna (2021): each adoption cohort is compared with units not yet treated, on
  long differences from the period before adoption. It never uses an already-treated unit as a
  control, which is what biases TWFE when effects change over time (Goodman-Bacon 2021).
  Each ATT(g, t) is a linear combination of cell means, so its standard error follows from the
  cells' sampling variances.

Inputs are plain DataFrames (one row per decision, or one per unit × period), so the same code
runs on a desensitized release that follows docs/schema.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats


def adoption_indicator(
    dates: pd.Series, units: pd.Series, adoption: Mapping[str, str | pd.Timestamp]
) -> pd.Series:
    """1.0 where the date is on or after the unit's adoption date; a unit without a date
    raises, because silently treating it as never-adopting would bias the comparison."""
    missing = sorted(set(units.astype(str)) - set(map(str, adoption)))
    if missing:
        raise ValueError(f"以下单位没有采纳日期：{', '.join(missing)}")
    start = units.astype(str).map({str(k): pd.Timestamp(v) for k, v in adoption.items()})
    return (pd.to_datetime(dates) >= start).astype(float)


def _dummies(values: pd.Series, prefix: str) -> pd.DataFrame:
    return pd.get_dummies(values.astype(str), prefix=prefix, drop_first=True, dtype=float)


def twfe_logit(
    frame: pd.DataFrame,
    outcome: str,
    treated: str,
    fixed_effects: Sequence[str],
    covariates: Sequence[str] = (),
    cluster: str | None = None,
) -> pd.Series:
    """Logit of `outcome` on `treated`, the covariates and dummies of each fixed-effect column.
    Returns estimate, se, ci_low, ci_high and p_value of `treated`; errors clustered on
    `cluster` (e.g. the procuratorate) when given."""
    parts = [frame[[treated, *covariates]].astype(float)]
    parts += [_dummies(frame[col], col) for col in fixed_effects]
    exog = sm.add_constant(pd.concat(parts, axis=1), has_constant="add")
    model = sm.GLM(frame[outcome].astype(float), exog, family=sm.families.Binomial())
    if cluster is None:
        fit = model.fit()
    else:
        groups = pd.factorize(frame[cluster])[0]
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups})
    low, high = fit.conf_int().loc[treated]
    return pd.Series(
        {
            "estimate": fit.params[treated],
            "se": fit.bse[treated],
            "ci_low": low,
            "ci_high": high,
            "p_value": fit.pvalues[treated],
        }
    )


def monthly_panel(frame: pd.DataFrame, unit: str, date: str, outcome: str) -> pd.DataFrame:
    """One row per unit × calendar month: n, x (sum of the 0/1 outcome), y = x / n and the
    binomial variance of y, var = y (1 − y) / n."""
    month = pd.to_datetime(frame[date]).dt.to_period("M")
    grouped = frame[outcome].astype(float).groupby([frame[unit], month.rename("month")])
    panel = grouped.agg(n="size", x="sum").reset_index()
    panel["y"] = panel["x"] / panel["n"]
    panel["var"] = panel["y"] * (1 - panel["y"]) / panel["n"]
    return panel


def _cell_lookup(panel: pd.DataFrame, unit: str, time: str) -> pd.DataFrame:
    if panel.duplicated([unit, time]).any():
        raise ValueError("面板中同一单位同一时期出现多行")
    return panel.set_index([unit, time])


Cell = tuple[Any, Any]


def _side(cells: pd.DataFrame, units: list[Any], t: Any, base: Any) -> dict[Cell, float]:
    """Coefficients of the n-weighted mean of Y_t − Y_base over `units` on the cell means."""
    n = cells["n"].reindex(pd.MultiIndex.from_tuples([(u, t) for u in units])).to_numpy(float)
    w = n / n.sum()
    coef: dict[Cell, float] = {}
    for u, wu in zip(units, w, strict=True):
        coef[(u, t)] = coef.get((u, t), 0.0) + wu
        coef[(u, base)] = coef.get((u, base), 0.0) - wu
    return coef


def _one_att(
    cells: pd.DataFrame, cohorts: pd.Series, g: Any, t: Any
) -> tuple[dict[str, Any], dict[Cell, float]] | None:
    base = g - 1
    latest = max(t, base)
    have = set(cells.index)
    ok = [u for u in cohorts.index if (u, t) in have and (u, base) in have]
    treated = [u for u in ok if cohorts[u] == g]
    controls = [u for u in ok if pd.isna(cohorts[u]) or (cohorts[u] != g and cohorts[u] > latest)]
    if not treated or not controls:
        return None
    coef = _side(cells, treated, t, base)
    for cell, c in _side(cells, controls, t, base).items():
        coef[cell] = coef.get(cell, 0.0) - c
    at_t = pd.MultiIndex.from_tuples([(u, t) for u in treated])
    n_treated = float(cells["n"].reindex(at_t).sum())
    row = {"cohort": g, "time": t, "event_time": _distance(t, g), "n_treated": n_treated,
           "n_controls": len(controls)}  # fmt: skip
    return row, coef


def _combine(
    cells: pd.DataFrame, coefs: list[dict[Cell, float]], w: np.ndarray
) -> dict[Cell, float]:
    out: dict[Cell, float] = {}
    for weight, coef in zip(w, coefs, strict=True):
        for cell, c in coef.items():
            out[cell] = out.get(cell, 0.0) + weight * c
    return out


def _estimate(cells: pd.DataFrame, coef: dict[Cell, float]) -> tuple[float, float]:
    """Value and standard error of a linear combination of independent cell means."""
    keys = list(coef)
    c = np.array([coef[k] for k in keys])
    sub = cells.reindex(pd.MultiIndex.from_tuples(keys))
    return float(c @ sub["y"].to_numpy(float)), float(np.sqrt(c**2 @ sub["var"].to_numpy(float)))


def group_time_att(
    panel: pd.DataFrame,
    unit: str,
    time: str,
    cohort: Mapping[object, object],
    alpha: float = 0.05,
) -> tuple[pd.DataFrame, pd.Series]:
    """ATT(g, t) for every adoption cohort g and period t with a not-yet-treated control
    (pre-periods t < g − 1 too, as placebo checks), and the overall post-period ATT weighted by
    the treated cells' sizes. `panel` has columns unit, time (a period or an integer, so that
    g − 1 is the period before adoption), n, y and var (the sampling variance of y); `cohort`
    maps each unit to its first treated period (missing = never treated). Standard errors
    treat the cell means as independent, so they are exact for the overall ATT even though
    ATT(g, t) of one cohort share the base period."""
    cells = _cell_lookup(panel, unit, time)
    cohorts = pd.Series({u: cohort.get(u) for u in panel[unit].unique()}, dtype=object)
    periods = sorted(panel[time].unique())
    found = [
        res
        for g in sorted({c for c in cohorts if not pd.isna(c)})
        for t in periods
        if t != g - 1 and (res := _one_att(cells, cohorts, g, t)) is not None
    ]
    if not found:
        raise ValueError("没有可比较的组—时期：每个采纳批次都需要尚未采纳的对照单位")
    z = float(stats.norm.ppf(1 - alpha / 2))
    rows = []
    for row, coef in found:
        att, se = _estimate(cells, coef)
        rows.append({**row, "att": att, "se": se, "ci_low": att - z * se, "ci_high": att + z * se})
    table = pd.DataFrame(rows)
    post = [i for i, (row, _) in enumerate(found) if int(row["event_time"]) >= 0]
    if not post:
        raise ValueError("采纳之后没有可比较的时期（对照单位都已采纳）")
    n = table.loc[post, "n_treated"].to_numpy(float)
    att, se = _estimate(cells, _combine(cells, [found[i][1] for i in post], n / n.sum()))
    overall = pd.Series(
        {
            "att": att,
            "se": se,
            "ci_low": att - z * se,
            "ci_high": att + z * se,
            "cells": float(len(post)),
        }
    )
    return table, overall


def _distance(t: Any, g: Any) -> int:
    diff = t - g
    return int(getattr(diff, "n", diff))
