"""The decision models: logit with procuratorate random intercepts, a time-varying intercept,
the dated policy effect and (for 不起诉) the effect of having been arrested.

    η = α(t) + xβ + u_procuratorate + δ · 1[t ≥ adoption of 少捕慎诉慎押] + γ_year · arrested

α(t) is linear between knots on 1 July of each year (``year_intercepts``), so rates move through
the year without a step on 1 January. Calibration (``calibrate.py``) solves the knots, γ per year
and β_juvenile on a Monte Carlo sample drawn with the very functions that generate the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq
from scipy.special import expit

from synthgen.criminal.calendar import knot_weights, years_of
from synthgen.criminal.params import COVARIATES, DecisionModel

Floats = npt.NDArray[np.float64]
Days = npt.NDArray[np.datetime64]
Bools = npt.NDArray[np.bool_]


@dataclass
class FittedModel:
    """A decision model with every parameter fixed: what `_truth/dgp.json` records."""

    spec: DecisionModel
    coefficients: dict[str, float]
    policy_effect: float = 0.0
    year_intercepts: dict[int, float] = field(default_factory=dict)
    arrested_effect: dict[int, float] = field(default_factory=dict)

    def beta(self) -> Floats:
        return np.array([self.coefficients[c] for c in COVARIATES])

    def alpha(self, dates: Days) -> Floats:
        years = sorted(self.year_intercepts)
        knots = np.array([self.year_intercepts[y] for y in years])
        return np.asarray(knot_weights(years, dates) @ knots, dtype=np.float64)

    def gamma(self, dates: Days) -> Floats:
        """The arrested effect of each decision's year (the nearest calibrated year outside)."""
        if not self.arrested_effect:
            return np.zeros(dates.size)
        years = np.array(sorted(self.arrested_effect))
        values = np.array([self.arrested_effect[int(y)] for y in years])
        idx = np.searchsorted(years, np.clip(years_of(dates), years[0], years[-1]))
        return np.asarray(values[idx], dtype=np.float64)

    def eta(
        self,
        dates: Days,
        x: Floats,
        u: Floats,
        lenient: Bools,
        arrested: Bools | None = None,
    ) -> Floats:
        out = self.alpha(dates) + x @ self.beta() + u + self.policy_effect * lenient
        if arrested is not None:
            out = out + self.gamma(dates) * arrested
        return np.asarray(out, dtype=np.float64)


def solve_intercept(xb: Floats, target: float) -> float:
    """α such that mean(expit(α + xb)) = target."""

    def gap(alpha: float) -> float:
        return float(expit(alpha + xb).mean()) - target

    return float(brentq(gap, -15.0, 15.0, xtol=1e-7))
