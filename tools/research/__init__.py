"""Research toolkit: the analysis functions that lab solutions and `jianlab data report` share.

One place for rates with Wilson and exact intervals, exact and overdispersion-adjusted funnel
limits, Kaplan–Meier and Cox helpers and odds-ratio tables, so a student, a researcher and the
calibration report compute the same number the same way. The policy-evaluation and simulation
helpers sit beside them: segmented regression for an interrupted time series with Newey–West
errors (`its`), difference-in-differences for a policy adopted on staggered dates, both two-way
fixed effects and group-time effects with not-yet-treated controls (`did`), a random-intercept
logit by adaptive Gauss–Hermite quadrature for procuratorate or court variation (`multilevel`),
and a simulation-study runner reporting bias, coverage and power with Monte Carlo errors
(`simulation`). The functions take plain pandas or NumPy input (counts, durations, fitted
statsmodels results), never a dataset path, so they run unchanged on synthetic data and on a
desensitized release that follows docs/schema.md (docs/research-toolkit.md). Leaf package:
numpy, pandas, scipy and statsmodels only.
"""

from research.did import adoption_indicator, group_time_att, monthly_panel, twfe_logit
from research.funnel import (
    Overdispersion,
    adjusted_limits,
    exact_limits,
    funnel_table,
    overdispersion,
)
from research.its import ITSResult, fit_its, its_design
from research.multilevel import RandomInterceptFit, random_intercept_logit
from research.rates import decision_rates, proportion_interval, rate_table
from research.regression import calibration_table, odds_ratio_table, separation_report
from research.simulation import Scenario, run_replicates, run_study, summarize
from research.survival import cox_table, km_at, km_table, ph_test

__all__ = [
    "ITSResult",
    "Overdispersion",
    "RandomInterceptFit",
    "Scenario",
    "adjusted_limits",
    "adoption_indicator",
    "calibration_table",
    "cox_table",
    "decision_rates",
    "exact_limits",
    "fit_its",
    "funnel_table",
    "group_time_att",
    "its_design",
    "km_at",
    "km_table",
    "monthly_panel",
    "odds_ratio_table",
    "overdispersion",
    "ph_test",
    "proportion_interval",
    "random_intercept_logit",
    "rate_table",
    "run_replicates",
    "run_study",
    "separation_report",
    "summarize",
    "twfe_logit",
]
