"""The decision models: logit with procuratorate random intercepts, and the calibration of the
year intercepts (and of the juvenile effect) to the published rates.

Calibration solves E[expit(α_y + xβ + u)] = target on a Monte Carlo sample drawn with the very
functions that generate the data, so a fit on the generated rows recovers β and the rates meet
the targets up to sampling noise only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq
from scipy.special import expit

from synthgen.criminal.params import COVARIATES, DecisionModel

Floats = npt.NDArray[np.float64]


@dataclass
class FittedModel:
    """A decision model with every parameter fixed: what `_truth/dgp.json` records."""

    spec: DecisionModel
    coefficients: dict[str, float]
    year_intercepts: dict[int, float] = field(default_factory=dict)

    def beta(self) -> Floats:
        return np.array([self.coefficients[c] for c in COVARIATES])

    def eta(self, year: int, x: Floats, u: Floats) -> Floats:
        return self.year_intercepts[year] + x @ self.beta() + u


def solve_intercept(xb: Floats, target: float) -> float:
    """α such that mean(expit(α + xb)) = target."""

    def gap(alpha: float) -> float:
        return float(expit(alpha + xb).mean()) - target

    return float(brentq(gap, -15.0, 15.0, xtol=1e-7))


def solve_with_juvenile(
    x: Floats,
    u: Floats,
    juvenile: npt.NDArray[np.bool_],
    beta: Floats,
    j_col: int,
    target: float,
    juvenile_target: float,
) -> tuple[float, float]:
    """(α, β_juvenile) meeting the overall and the juvenile rate of the calibration year."""
    base = x @ beta - x[:, j_col] * beta[j_col] + u

    def juvenile_gap(bj: float) -> float:
        xb = base + bj * x[:, j_col]
        alpha = solve_intercept(xb, target)
        return float(expit(alpha + xb[juvenile]).mean()) - juvenile_target

    bj = float(brentq(juvenile_gap, -4.0, 6.0, xtol=1e-6))
    alpha = solve_intercept(base + bj * x[:, j_col], target)
    return alpha, bj
