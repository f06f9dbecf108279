"""Research toolkit: the analysis functions that lab solutions and `jianlab data report` share.

This part holds the policy-evaluation and simulation helpers: segmented regression for an
interrupted time series with Newey–West errors (`its`), difference-in-differences for a policy
adopted on staggered dates, both two-way fixed effects and group-time effects with
not-yet-treated controls (`did`), a random-intercept logit by adaptive Gauss–Hermite
quadrature for procuratorate or court variation (`multilevel`), and a simulation-study runner
reporting bias, coverage and power with Monte Carlo errors (`simulation`). The functions take
plain pandas input, never a dataset path, so they run unchanged on synthetic data and on a
desensitized release that follows docs/schema.md. Leaf package: numpy, pandas, scipy and
statsmodels only.
"""

from research.did import adoption_indicator, group_time_att, monthly_panel, twfe_logit
from research.its import ITSResult, fit_its, its_design
from research.multilevel import RandomInterceptFit, random_intercept_logit
from research.simulation import Scenario, run_replicates, run_study, summarize

__all__ = [
    "ITSResult",
    "RandomInterceptFit",
    "Scenario",
    "adoption_indicator",
    "fit_its",
    "group_time_att",
    "its_design",
    "monthly_panel",
    "random_intercept_logit",
    "run_replicates",
    "run_study",
    "summarize",
    "twfe_logit",
]
