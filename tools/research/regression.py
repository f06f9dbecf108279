"""What every logistic model in a lab reports besides its coefficients: odds ratios with
intervals, a separation check and a calibration table.

A logit coefficient is a log odds ratio, which students routinely read as a change in
probability; the table gives exp(β) and its interval instead. Separation (a covariate level in
which every case has the same outcome) makes maximum likelihood diverge and its standard errors
meaningless, so it is checked before the fit is trusted. Calibration compares predicted and
observed rates by decile of the prediction (Hosmer–Lemeshow), the check that a good-looking
model actually predicts the level it claims.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import chi2


def odds_ratio_table(
    result: Any, terms: Sequence[str] | None = None, alpha: float = 0.05
) -> pd.DataFrame:
    """coef, se, odds_ratio, or_low, or_high, p for a fitted statsmodels logit / GLM / GEE."""
    params = pd.Series(result.params)
    names = list(terms) if terms is not None else list(params.index)
    ci = pd.DataFrame(result.conf_int(alpha=alpha)).loc[names]
    return pd.DataFrame(
        {
            "coef": params[names],
            "se": pd.Series(result.bse, index=params.index)[names],
            "odds_ratio": np.exp(params[names]),
            "or_low": np.exp(ci.iloc[:, 0]),
            "or_high": np.exp(ci.iloc[:, 1]),
            "p": pd.Series(result.pvalues, index=params.index)[names],
        }
    )


def separation_report(frame: pd.DataFrame, outcome: str, covariates: Sequence[str]) -> pd.DataFrame:
    """One row per covariate level: n, events and whether the outcome is constant there.

    Only discrete covariates are meaningful here (0/1 flags, categories); a level flagged
    `separated` makes its coefficient run off to ±∞ in an unpenalised logit.
    """
    rows = []
    for name in covariates:
        grouped = frame.groupby(name, observed=True)[outcome].agg(["size", "sum"])
        for level, row in grouped.iterrows():
            n, events = int(row["size"]), int(row["sum"])
            rows.append(
                {
                    "covariate": name,
                    "level": level,
                    "n": n,
                    "events": events,
                    "separated": events in (0, n),
                }
            )
    return pd.DataFrame(rows, columns=["covariate", "level", "n", "events", "separated"])


def calibration_table(
    observed: npt.ArrayLike, predicted: npt.ArrayLike, bins: int = 10
) -> tuple[pd.DataFrame, float, float]:
    """(table by predicted-risk group, Hosmer–Lemeshow χ², its p-value on bins − 2 df)."""
    y = np.asarray(observed, dtype=float)
    p = np.asarray(predicted, dtype=float)
    groups = pd.qcut(p, q=bins, labels=False, duplicates="drop")
    table = (
        pd.DataFrame({"group": groups, "y": y, "p": p})
        .groupby("group")
        .agg(n=("y", "size"), observed=("y", "mean"), predicted=("p", "mean"))
    )
    expected = table["n"] * table["predicted"]
    events = table["n"] * table["observed"]
    denom = expected * (1 - table["predicted"])
    stat = float(((events - expected) ** 2 / denom.where(denom > 0)).sum())
    df = max(len(table) - 2, 1)
    return table, stat, float(chi2.sf(stat, df))
