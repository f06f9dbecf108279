"""Calibrate the referral knots (``referral.py``) so that 诉前羁押率 — approved arrests decided
in a year ÷ 起诉 + 不起诉 decided in that year — meets its target in every year.

On the calibration's Monte Carlo sample, with the arrest model fixed, the expected rate of year Y
is smooth in the knots:

    D_Y = Σ_{arrest decided in Y} w·p·approved  ÷  Σ_{prosecution decided in Y} w·(1 − p·dropped)

p is each suspect's referral probability, ``approved`` whether the review would approve the
arrest, ``dropped`` whether it would refuse for 不构成犯罪 (the case then ends before 审查起诉),
w the volume weight of the suspect's partition. The numerator mixes partitions (December's arrests
belong to the next year's cases), which is why the weights follow the build's volumes. Each knot
is solved in turn for its own year (Gauss–Seidel), as the intercept knots are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq

from synthgen.criminal.calendar import knot_weights, years_of
from synthgen.criminal.decisions import FittedModel
from synthgen.criminal.outcomes import arrest_stage
from synthgen.criminal.params import CriminalParams
from synthgen.criminal.population import Population
from synthgen.errors import SynthgenError

Floats = npt.NDArray[np.float64]
TOLERANCE = 2e-4
MAX_SWEEPS = 20
SCALE_BOUNDS = (1e-4, 20.0)


@dataclass
class Side:
    """Rows of one side of D_Y: knot weights, crime propensity and the weighted outcome."""

    weights: Floats  # rows × knots
    propensity: Floats
    mass: Floats  # w·approved (numerator) or w·dropped (denominator)

    def total(self, knots: Floats) -> float:
        p = np.minimum(1.0, (self.weights @ knots) * self.propensity)
        return float((p * self.mass).sum())

    def along(self, knots: Floats, i: int) -> Callable[[float], float]:
        """``total`` as a function of knot ``i`` alone (the others fixed), cut once."""
        column = self.weights[:, i]
        slope = column * self.propensity
        base = (self.weights @ knots) * self.propensity - slope * knots[i]
        return lambda v: float((np.minimum(1.0, base + v * slope) * self.mass).sum())


@dataclass
class YearEquation:
    year: int
    target: float
    arrests: Side
    decided: Side
    decided_total: float  # Σ w over the 审查起诉 decisions of the year

    def rate(self, knots: Floats) -> float:
        return self.arrests.total(knots) / (self.decided_total - self.decided.total(knots))

    def along(self, knots: Floats, i: int) -> Callable[[float], float]:
        """The gap to the target as a function of knot ``i`` alone."""
        num, den = self.arrests.along(knots, i), self.decided.along(knots, i)
        return lambda v: num(v) / (self.decided_total - den(v)) - self.target


def _columns(
    params: CriminalParams,
    pops: list[Population],
    volume: list[float],
    arrest: tuple[FittedModel, Floats],
) -> dict[str, Floats]:
    """One row per sampled suspect: years of both decisions, propensity, weighted outcomes."""
    cols: dict[str, list[npt.NDArray[np.generic]]] = {
        k: [] for k in ("ay", "py", "r", "ok", "drop", "w", "in")
    }
    other_share = params.prosecution.other_decision_share.value
    for i, (pop, w) in enumerate(zip(pops, volume, strict=True)):
        _, other, non_arrest, reason = arrest_stage(params, pop, arrest[0], arrest[1])
        n = pop.cov.crime.size
        cols["ay"].append(years_of(pop.tl.arrest_decided))
        cols["py"].append(years_of(pop.tl.pros_decided))
        cols["r"].append(pop.crimes.arrest_request[pop.cov.crime])
        cols["ok"].append(w * (~other & ~non_arrest))
        cols["drop"].append(w * (non_arrest & (reason == "不构成犯罪")))
        cols["w"].append(np.full(n, w))
        # the spill block has no 审查起诉 in the window; 其他 decisions are not in the denominator
        counted = pop.u[:, 3] >= other_share
        cols["in"].append(counted & (i < len(pops) - 1))
    return {k: np.concatenate(v).astype(np.float64) for k, v in cols.items()}


def equations(
    params: CriminalParams,
    pops: list[Population],
    volume: list[float],
    arrest: tuple[FittedModel, Floats],
) -> list[YearEquation]:
    """``pops`` are the calibration blocks (the spill block last); ``volume`` the weight of one
    sampled suspect of each block, so that blocks count as their partitions do in the build."""
    cols = _columns(params, pops, volume, arrest)
    dates = np.concatenate([p.tl.arrest_decided for p in pops])
    out = []
    for y in params.years:
        a = cols["ay"] == y
        d = (cols["py"] == y) & (cols["in"] > 0)
        out.append(
            YearEquation(
                year=y,
                target=params.targets.detention_rate[y].value,
                arrests=Side(knot_weights(params.years, dates[a]), cols["r"][a], cols["ok"][a]),
                decided=Side(knot_weights(params.years, dates[d]), cols["r"][d], cols["drop"][d]),
                decided_total=float(cols["w"][d].sum()),
            )
        )
    return out


def solve_scales(eqs: list[YearEquation], scales: dict[int, float]) -> dict[int, float]:
    """Gauss–Seidel: each year's knot for its own year's rate, until every rate is within
    TOLERANCE of its target."""
    years = sorted(scales)
    knots = np.array([scales[y] for y in years], dtype=np.float64)
    for _ in range(MAX_SWEEPS):
        for i, eq in enumerate(eqs):
            knots[i] = _solve_knot(eq, knots, i)
        if max(abs(eq.rate(knots) - eq.target) for eq in eqs) < TOLERANCE:
            break
    return {y: float(k) for y, k in zip(years, knots, strict=True)}


def _solve_knot(eq: YearEquation, knots: Floats, i: int) -> float:
    gap = eq.along(knots, i)
    lo, hi = SCALE_BOUNDS
    if gap(hi) < 0:
        reachable = gap(hi) + eq.target
        raise SynthgenError(
            f"{eq.year}年诉前羁押率目标 {eq.target:.1%} 无法达到：即使可以逮捕的嫌疑人全部被提请"
            f"逮捕，也只有 {reachable:.1%}；请检查情景文件中的 targets.detention_rate 与不捕率"
        )
    if gap(lo) > 0:
        return lo
    return float(brentq(gap, lo, hi, xtol=1e-6))
