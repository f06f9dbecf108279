"""Time-to-event helpers over statsmodels: Kaplan–Meier tables and read-offs, Cox hazard ratios and
the proportional-hazards check.

Enforcement cases end in different ways (执行完毕, 和解, 终本 …) or are still open on the data's
cut-off date; for "time to 终本" every other ending and every open case is right-censored at its
date. A naive share of cases closed by 终本 within t days ignores that censoring; the
Kaplan–Meier estimate does not. The Cox model's hazard ratios assume proportional hazards, so
`ph_test` correlates scaled Schoenfeld residuals with event time (Grambsch–Therneau idea) for
each covariate.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import norm, pearsonr
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight


def _survfunc(durations: npt.ArrayLike, events: npt.ArrayLike) -> SurvfuncRight:
    t = np.asarray(durations, dtype=float)
    e = np.asarray(events, dtype=int)
    if t.size == 0:
        raise ValueError("没有观测，无法估计生存函数")
    if np.any(t < 0) or np.any(~np.isin(e, [0, 1])):
        raise ValueError("时间应非负，事件标志应为 0 或 1")
    return SurvfuncRight(t, e)


def km_table(durations: npt.ArrayLike, events: npt.ArrayLike, alpha: float = 0.05) -> pd.DataFrame:
    """time, at_risk, events, surv, se, lower, upper (pointwise log(−log) interval)."""
    sf = _survfunc(durations, events)
    surv = np.asarray(sf.surv_prob, dtype=float)
    se = np.asarray(sf.surv_prob_se, dtype=float)
    z = norm.ppf(1 - alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_s = np.log(surv)
        spread = z * se / np.abs(surv * log_s)
        centre = np.log(-log_s)
        lower = np.exp(-np.exp(centre + spread))
        upper = np.exp(-np.exp(centre - spread))
    inner = (surv > 0) & (surv < 1)
    return pd.DataFrame(
        {
            "time": sf.surv_times,
            "at_risk": sf.n_risk,
            "events": sf.n_events,
            "surv": surv,
            "se": se,
            "lower": np.where(inner, lower, surv),
            "upper": np.where(inner, upper, surv),
        }
    )


def km_at(
    durations: npt.ArrayLike, events: npt.ArrayLike, times: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Kaplan–Meier cumulative incidence 1 − S(t) at `times` (0 before the first event time)."""
    sf = _survfunc(durations, events)
    grid = np.atleast_1d(np.asarray(times, dtype=float))
    if len(sf.surv_times) == 0:  # no event at all: nobody has reached it yet
        return np.zeros(grid.shape)
    pos = np.searchsorted(sf.surv_times, grid, side="right") - 1
    surv = np.where(pos >= 0, np.asarray(sf.surv_prob)[np.maximum(pos, 0)], 1.0)
    return 1.0 - surv


def cox_table(
    formula: str, data: pd.DataFrame, status: str, alpha: float = 0.05, **kwargs: Any
) -> tuple[Any, pd.DataFrame]:
    """Fit a Cox model (`PHReg.from_formula`, Breslow ties by default); tabulate hazard ratios."""
    result = PHReg.from_formula(formula, data, status=data[status].to_numpy(), **kwargs).fit()
    names = list(result.model.exog_names)
    ci = np.asarray(result.conf_int(alpha=alpha))
    table = pd.DataFrame(
        {
            "coef": result.params,
            "se": result.bse,
            "hazard_ratio": np.exp(result.params),
            "hr_low": np.exp(ci[:, 0]),
            "hr_high": np.exp(ci[:, 1]),
            "p": result.pvalues,
        },
        index=names,
    )
    return result, table


def ph_test(result: Any) -> pd.DataFrame:
    """Per covariate: correlation of its Schoenfeld residuals with the event time, and its p-value.

    A small p-value says the covariate's effect changes with time, so one hazard ratio
    summarises it badly (consider stratifying or splitting time).
    """
    resid = np.asarray(result.schoenfeld_residuals, dtype=float)
    time = np.asarray(result.model.endog, dtype=float)
    rows = []
    for j, name in enumerate(result.model.exog_names):
        ok = ~np.isnan(resid[:, j])
        rho, p = pearsonr(time[ok], resid[ok, j]) if ok.sum() > 2 else (np.nan, np.nan)
        rows.append({"term": name, "rho": float(rho), "p": float(p)})
    return pd.DataFrame(rows).set_index("term")
