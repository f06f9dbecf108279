"""Re-estimate the decision models with statsmodels and set the estimates beside the truth.

The DGP's coefficients are conditional on each procuratorate's random intercept, so the fit is a
logit with procuratorate fixed effects (plus year fixed effects): conditioning on the group
recovers the conditional β whatever the intercepts are. Because all six covariates are 0/1, rows
with the same procuratorate, year and covariates are pooled into binomial cells; a binomial GLM
on the cells has exactly the likelihood, estimates and standard errors of the row-level logit at
a fraction of the cost.

Big datasets are fitted on a subset chosen without looking at the outcome, so the conditional
coefficients stay unbiased and only their precision shrinks: the procuratorates with the most
decided reviews up to a group budget, then, if their rows exceed the row budget, the same share
of every one of them, picked by a hash of suspect_id. Thinning rows instead of dropping more
groups keeps enough procuratorates to estimate their spread: at scale 1.0 the row budget alone
would leave fewer than ten.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import statsmodels.api as sm
from scipy.stats import norm

MAX_GROUPS = 300
MAX_ROWS = 300_000

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Selection:
    """Which procuratorates enter the fit, which share of their rows, and how many there were."""

    groups: list[str]
    rows: int  # decided reviews of the chosen groups, before thinning
    total_groups: int
    total_rows: int
    max_groups: int = MAX_GROUPS
    max_rows: int = MAX_ROWS

    @property
    def fraction(self) -> float:
        """Share of the chosen groups' rows kept (by suspect_id hash) to meet the row budget."""
        return min(1.0, self.max_rows / self.rows) if self.rows else 1.0

    @property
    def is_subset(self) -> bool:
        return len(self.groups) < self.total_groups or self.fraction < 1.0


@dataclass(frozen=True)
class CoefRow:
    name: str
    truth: float
    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None

    @property
    def inside(self) -> bool | None:
        if self.ci_low is None or self.ci_high is None:
            return None
        return self.ci_low <= self.truth <= self.ci_high

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "truth": self.truth,
            "estimate": self.estimate,
            "se": self.se,
            "ci95": None if self.ci_low is None else [self.ci_low, self.ci_high],
            "truth_inside_ci": self.inside,
        }


@dataclass
class FitResult:
    model: str
    selection: Selection
    rows: int  # rows fitted (after dropping groups without outcome variation)
    groups: int
    cells: int
    coefficients: list[CoefRow]
    group_sd_truth: float
    group_sd_estimate: float | None
    group_sd_realized: float | None = None  # SD of the true intercepts of the fitted groups
    constant_groups: int = 0  # groups dropped: every decision the same
    rows_without_covariates: int = 0
    converged: bool = True
    iterations: int | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def outside(self) -> int:
        return sum(1 for c in self.coefficients if c.inside is False)

    def as_dict(self) -> dict[str, Any]:
        sel = self.selection
        return {
            "model": self.model,
            "selection": {
                "subset": sel.is_subset,
                "groups_selected": len(sel.groups),
                "rows_in_selected_groups": sel.rows,
                "row_fraction_kept": sel.fraction,
                "groups_total": sel.total_groups,
                "rows_total": sel.total_rows,
                "max_groups": sel.max_groups,
                "max_rows": sel.max_rows,
            },
            "rows_fitted": self.rows,
            "groups_fitted": self.groups,
            "cells": self.cells,
            "constant_outcome_groups_dropped": self.constant_groups,
            "rows_without_covariates": self.rows_without_covariates,
            "coefficients": [c.as_dict() for c in self.coefficients],
            "truth_outside_ci": self.outside,
            "group_sd": {
                "truth": self.group_sd_truth,
                "estimate": self.group_sd_estimate,
                "realized_in_fitted_groups": self.group_sd_realized,
            },
            "converged": self.converged,
            "iterations": self.iterations,
            "warnings": self.warnings,
            "seconds": round(self.seconds, 3),
        }


def select_groups(
    sizes: pd.Series, max_groups: int = MAX_GROUPS, max_rows: int = MAX_ROWS
) -> Selection:
    """The ``max_groups`` largest procuratorates (ties by id); ``sizes`` counts decided reviews
    per procuratorate, whatever their decision."""
    order = pd.DataFrame({"group": sizes.index.astype(str), "n": sizes.to_numpy(np.int64)})
    order = order.sort_values(["n", "group"], ascending=[False, True], kind="stable")
    chosen = order.iloc[:max_groups]
    return Selection(
        groups=chosen["group"].tolist(),
        rows=int(chosen["n"].sum()),
        total_groups=len(order),
        total_rows=int(order["n"].sum()),
        max_groups=max_groups,
        max_rows=max_rows,
    )


def thinning_mask(ids: npt.NDArray[Any], fraction: float) -> npt.NDArray[np.bool_]:
    """Rows kept when thinning to ``fraction``: a fixed hash of the id (pandas' SipHash with its
    default key), so the choice is the same on every run and in any row order, and unrelated
    to the decision."""
    if fraction >= 1.0:
        return np.ones(len(ids), dtype=bool)
    hashes = pd.util.hash_array(np.asarray(ids, dtype=object))
    return hashes < np.uint64(int(fraction * 2.0**64))


def pool_cells(rows: pd.DataFrame, covariates: list[str]) -> pd.DataFrame:
    """Binomial cells: successes and trials per (group, year, covariate pattern)."""
    keys = ["group", "year", *covariates]
    cells = rows.groupby(keys, observed=True, sort=True)["y"].agg(["sum", "count"])
    return cells.reset_index().rename(columns={"sum": "successes", "count": "trials"})


def _drop_constant_groups(cells: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Groups whose decisions are all alike carry no information on β in a fixed-effects logit
    (their effect runs off to ±∞); dropping them is what the conditional likelihood does."""
    by_group = cells.groupby("group", observed=True)[["successes", "trials"]].sum()
    varied = by_group.index[
        (by_group["successes"] > 0) & (by_group["successes"] < by_group["trials"])
    ]
    kept = cells[cells["group"].isin(varied)]
    return kept, int(len(by_group) - len(varied))


@dataclass(frozen=True)
class Design:
    exog: Floats
    endog: Floats
    names: list[str]
    covariates: list[str]  # covariates that vary (a constant one cannot be estimated)
    group_ids: list[str]
    start: Floats


def build_design(cells: pd.DataFrame, covariates: list[str]) -> Design:
    """Covariates, year dummies (first year as reference) and one dummy per group, no intercept,
    so that each group's fixed effect has its own standard error."""
    varying = [c for c in covariates if cells[c].nunique() > 1]
    years = pd.Categorical(cells["year"])
    groups = pd.Categorical(cells["group"].astype(str))
    n_years, n_groups = len(years.categories), len(groups.categories)
    exog = np.zeros((len(cells), len(varying) + n_years - 1 + n_groups))
    exog[:, : len(varying)] = cells[varying].to_numpy(np.float64)
    year_col = len(varying) + years.codes - 1
    has_year = years.codes > 0
    exog[np.flatnonzero(has_year), year_col[has_year]] = 1.0
    exog[np.arange(len(cells)), len(varying) + n_years - 1 + groups.codes] = 1.0
    successes = cells["successes"].to_numpy(np.float64)
    trials = cells["trials"].to_numpy(np.float64)
    # Newton from the groups' empirical logits converges in a handful of steps.
    by_group = pd.DataFrame({"g": groups.codes, "s": successes, "n": trials}).groupby("g").sum()
    p = ((by_group["s"] + 0.5) / (by_group["n"] + 1.0)).to_numpy()
    start = np.zeros(exog.shape[1])
    start[len(varying) + n_years - 1 :] = np.log(p / (1.0 - p))
    names = [*varying, *(f"year[{y}]" for y in years.categories[1:]), *map(str, groups.categories)]
    return Design(
        exog=exog,
        endog=np.column_stack([successes, trials - successes]),
        names=names,
        covariates=varying,
        group_ids=[str(g) for g in groups.categories],
        start=start,
    )


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """The fit's matrix products are small enough that one BLAS thread loses little on an idle
    machine, while on a busy 2-core machine OpenBLAS's spinning threads made the same fit 3–5×
    slower (measured: 35 s vs 14 s wall, 14 s vs 3 s CPU). threadpoolctl, when installed, caps
    the thread pool for the duration of the fit only."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def fit_cells(design: Design) -> tuple[Any | None, list[str]]:
    """Binomial GLM by Newton; warnings are caught and returned, never printed. A failed fit
    (singular Hessian) gives None and the reason, so the rest of the report is still written."""
    with warnings.catch_warnings(record=True) as caught, _one_blas_thread():
        warnings.simplefilter("always")
        # hasconst: the group dummies span the intercept; saying so skips a costly rank check.
        model = sm.GLM(design.endog, design.exog, family=sm.families.Binomial(), hasconst=True)
        failure = []
        try:
            result = model.fit(method="newton", start_params=design.start, maxiter=100, disp=False)
        except (np.linalg.LinAlgError, ValueError) as exc:
            result, failure = None, [f"拟合失败：{exc}"]
    return result, [*dict.fromkeys(_explain(w) for w in caught), *failure]


WARNING_HINTS = {
    "ConvergenceWarning": "Newton 迭代未收敛（常见原因：某协变量与决定完全分离，或样本太小）",
    "PerfectSeparationWarning": "存在完全分离：某些系数趋于无穷，估计不可信",
    "HessianInversionWarning": "Hessian 矩阵不可逆：标准误不可信",
    "RuntimeWarning": "数值计算出现溢出或无效值",
}


def _explain(caught: warnings.WarningMessage) -> str:
    """A Chinese reading of a statsmodels/numpy warning, keeping the original text for search."""
    category = caught.category.__name__
    hint = WARNING_HINTS.get(category, "拟合过程发出警告")
    return f"{hint}（{category}: {caught.message}）"


def fit_model(
    model: str,
    rows: pd.DataFrame,
    selection: Selection,
    truth: dict[str, Any],
    realized_effects: pd.Series | None = None,
    missing_covariates: int = 0,
) -> FitResult:
    """Fit one decision model on ``rows`` (group, year, y and the covariates of ``truth``)."""
    started = time.perf_counter()
    covariates = list(truth["coefficients"])
    cells, constant = _drop_constant_groups(pool_cells(rows, covariates))
    result = FitResult(
        model=model,
        selection=selection,
        rows=int(cells["trials"].sum()),
        groups=int(cells["group"].nunique()),
        cells=len(cells),
        coefficients=[],
        group_sd_truth=float(truth["group_sd"]),
        group_sd_estimate=None,
        constant_groups=constant,
        rows_without_covariates=missing_covariates,
    )
    if result.groups < 2:
        result.converged = False
        result.warnings.append("可用于拟合的检察院少于 2 个（其余检察院的决定全部相同），无法估计")
        result.coefficients = [_empty(c, truth) for c in covariates]
        return result
    design = build_design(cells, covariates)
    fitted, result.warnings = fit_cells(design)
    if fitted is None:
        result.converged = False
        result.coefficients = [_empty(c, truth) for c in covariates]
        return result
    retvals = getattr(fitted, "mle_retvals", None) or {}
    result.converged = bool(retvals.get("converged", True))
    iterations = retvals.get("iterations")
    result.iterations = None if iterations is None else int(iterations)
    params, bse = np.asarray(fitted.params), np.asarray(fitted.bse)
    result.coefficients = _coefficient_rows(design, params, bse, truth)
    result.warnings += [
        f"协变量 {c.name} 在拟合样本中没有变异，无法估计"
        for c in result.coefficients
        if c.se is None
    ]
    first = len(design.names) - len(design.group_ids)
    result.group_sd_estimate = moment_sd(params[first:], bse[first:])
    if realized_effects is not None:
        chosen = realized_effects.reindex(design.group_ids).dropna()
        result.group_sd_realized = float(chosen.std(ddof=1)) if len(chosen) > 1 else None
    result.seconds = time.perf_counter() - started
    return result


def _coefficient_rows(
    design: Design, params: Floats, bse: Floats, truth: dict[str, Any]
) -> list[CoefRow]:
    """Estimates with normal 95% intervals (as statsmodels' conf_int) beside the truth."""
    z = float(norm.ppf(0.975))
    index = {name: i for i, name in enumerate(design.names)}
    rows = []
    for name in truth["coefficients"]:
        if name not in design.covariates:
            rows.append(_empty(name, truth))
            continue
        est, se = float(params[index[name]]), float(bse[index[name]])
        true_value = float(truth["coefficients"][name])
        rows.append(CoefRow(name, true_value, est, se, est - z * se, est + z * se))
    return rows


def _empty(name: str, truth: dict[str, Any]) -> CoefRow:
    return CoefRow(name, float(truth["coefficients"][name]), None, None, None, None)


def moment_sd(effects: Floats, se: Floats) -> float | None:
    """Method of moments: the spread of the estimated effects minus their sampling noise,
    var(û) − mean(SE²); 0 when the noise explains all of it."""
    if effects.size < 2 or not np.all(np.isfinite(effects)) or not np.all(np.isfinite(se)):
        return None
    return float(np.sqrt(max(float(np.var(effects, ddof=1) - np.mean(se**2)), 0.0)))
