"""Interrupted time series by segmented regression (level and slope change at a known date).

Why segmented regression with HAC errors: a monthly series of rates is autocorrelated, so OLS
standard errors are too small; Newey–West (HAC) errors keep the point estimates of OLS and widen
the intervals for serial correlation (Wagner et al. 2002; Bernal, Cummins & Gasparrini 2017).
Seasonality enters as calendar-month dummies, because case flow has a Spring-Festival dip and a
year-end peak. The functions take a plain monthly Series (a rate, a count, a logit), never a
dataset path, so they run on synthetic data and on a desensitized release alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.regression.linear_model import RegressionResultsWrapper

TERMS = ("level_change", "slope_change")


@dataclass(frozen=True)
class ITSResult:
    """Estimates for the pre-period trend and the level / slope change, with HAC intervals."""

    table: pd.DataFrame
    fit: RegressionResultsWrapper
    design: pd.DataFrame

    @property
    def level_change(self) -> float:
        return float(self.table["estimate"].to_numpy()[2])

    @property
    def slope_change(self) -> float:
        return float(self.table["estimate"].to_numpy()[3])

    def counterfactual(self) -> pd.Series:
        """Fitted values with the interruption switched off (the pre-period line extended)."""
        off = self.design.copy()
        off[list(TERMS)] = 0.0
        return pd.Series(self.fit.predict(off), index=self.design.index, name="counterfactual")


def _month_index(series: pd.Series) -> pd.PeriodIndex:
    index = series.index
    if isinstance(index, pd.PeriodIndex):
        return index.asfreq("M")
    return pd.PeriodIndex(pd.to_datetime(index), freq="M")


def its_design(
    series: pd.Series, interruption: str | pd.Period, seasonal: bool = True
) -> pd.DataFrame:
    """Design matrix: const, time (months from the start), level_change (1 from the
    interruption month on), slope_change (months since the interruption, 0 before) and, with
    `seasonal`, eleven calendar-month dummies (January is the reference)."""
    months = _month_index(series)
    if months.has_duplicates or not months.is_monotonic_increasing:
        raise ValueError("时间序列的月份须唯一且按时间递增")
    start = pd.Period(interruption, freq="M")
    offset = np.asarray([(m - months[0]).n for m in months], dtype=float)
    since = np.asarray([(m - start).n for m in months], dtype=float)
    post = (since >= 0).astype(float)
    if post.all() or not post.any():
        raise ValueError(f"中断月份 {start} 前后都须有观测")
    design = pd.DataFrame(
        {"const": 1.0, "time": offset, "level_change": post, "slope_change": post * since},
        index=months,
    )
    if seasonal:
        dummies = pd.get_dummies(months.month, prefix="month", dtype=float)
        dummies.index = months
        design = design.join(dummies.drop(columns="month_1", errors="ignore"))
    return design


def fit_its(
    series: pd.Series,
    interruption: str | pd.Period,
    seasonal: bool = True,
    maxlags: int | None = None,
    alpha: float = 0.05,
) -> ITSResult:
    """OLS segmented regression with Newey–West errors; `maxlags` defaults to the usual rule
    floor(4 (T/100)^(2/9)). Rows with a missing value are dropped."""
    clean = series.dropna().astype(float)
    design = its_design(clean, interruption, seasonal)
    lags = maxlags if maxlags is not None else int(np.floor(4 * (len(clean) / 100) ** (2 / 9)))
    fit = sm.OLS(clean.to_numpy(), design).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    ci = fit.conf_int(alpha=alpha)
    names = ["const", "time", *TERMS]
    table = pd.DataFrame(
        {
            "estimate": fit.params[names],
            "se": fit.bse[names],
            "ci_low": ci.loc[names, 0],
            "ci_high": ci.loc[names, 1],
            "p_value": fit.pvalues[names],
        }
    )
    return ITSResult(table=table, fit=fit, design=design)
