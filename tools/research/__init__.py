"""Research toolkit: the analysis functions that lab solutions and `jianlab data report` share.

One place for rates with Wilson and exact intervals, exact and overdispersion-adjusted funnel
limits, Kaplan–Meier and Cox helpers and odds-ratio tables, so a student, a researcher and the
calibration report compute the same number the same way. The functions take plain pandas or
NumPy input (counts, durations, fitted statsmodels results), never a dataset path, so they run
unchanged on synthetic data and on a desensitized release that follows docs/schema.md
(docs/research-toolkit.md). Leaf package: numpy, pandas, scipy and statsmodels only.
"""

from research.funnel import (
    Overdispersion,
    adjusted_limits,
    exact_limits,
    funnel_table,
    overdispersion,
)
from research.rates import decision_rates, proportion_interval, rate_table
from research.regression import calibration_table, odds_ratio_table, separation_report
from research.survival import cox_table, km_at, km_table, ph_test

__all__ = [
    "Overdispersion",
    "adjusted_limits",
    "calibration_table",
    "cox_table",
    "decision_rates",
    "exact_limits",
    "funnel_table",
    "km_at",
    "km_table",
    "odds_ratio_table",
    "overdispersion",
    "ph_test",
    "proportion_interval",
    "rate_table",
    "separation_report",
]
