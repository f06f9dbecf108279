"""Calibrate both decision models on a Monte Carlo sample of the selected region.

The sample is simulated exactly as the partitions are (``population.simulate``), one block per
year plus the spill block after the last year, and each rate is taken by the year of its own
decision date — the official way of counting — with each block weighted by its partition's
volume (rates by decision year mix adjacent partitions). Unknowns, solved by Gauss–Seidel sweeps
of one-dimensional root finding until every rate is within 0.02 pp of its target:

- the intercept knots (1 July of each year; α(t) is linear between them), for 不捕率 / 不诉率;
- the referral knots k(t) (``referral.py``, ``detention.py``), for 诉前羁押率;
- the arrested effect γ of each year, for 捕后不诉率 (prosecution only);
- β_juvenile, for the juvenile rates of the juvenile-target year.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit, logit

from synthgen.core.seeds import rng_for
from synthgen.criminal.calendar import knot_weights, window_share, years_of
from synthgen.criminal.decisions import FittedModel
from synthgen.criminal.detention import equations as detention_equations
from synthgen.criminal.detention import solve_scales
from synthgen.criminal.outcomes import TypeShares, arrest_stage, conditional_eligible, decide
from synthgen.criminal.params import COVARIATES, CriminalParams
from synthgen.criminal.population import Population, simulate, tail_days, with_referrals
from synthgen.criminal.referral import start_scales

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
_J = list(COVARIATES).index("is_juvenile")
TOLERANCE = 2e-4
MAX_SWEEPS = 15
REFERRAL_ROUNDS = 1


@dataclass
class Rows:
    """The rows one model is calibrated on: η = W·knots + rest + β_j·juvenile + γ_year·arrested;
    ``volume`` weighs each row as its partition counts in the build."""

    weights: Floats
    rest: Floats
    juvenile: Bools
    arrested: Bools
    year: npt.NDArray[np.int64]
    volume: Floats

    def subset(self, mask: Bools) -> Rows:
        return Rows(
            self.weights[mask], self.rest[mask], self.juvenile[mask], self.arrested[mask],
            self.year[mask], self.volume[mask],
        )  # fmt: skip

    def mean(self, p: Floats) -> float:
        return float((p * self.volume).sum() / self.volume.sum())

    def groups(self, goal: Goal) -> dict[tuple[str, int], Rows]:
        """The row subsets each equation reads, cut once (not on every evaluation)."""
        out = {}
        for y in goal.rates:
            year = self.subset(self.year == y)
            out[("knot", y)] = year
            out[("gamma", y)] = year.subset(year.arrested)
        if goal.juvenile is not None:
            year = out.get(("knot", goal.juvenile[0]), self.subset(self.year == goal.juvenile[0]))
            out[("juvenile", 0)] = year.subset(year.juvenile)
        return out


@dataclass(frozen=True)
class Calibrated:
    arrest: FittedModel
    prosecution: FittedModel
    shares: TypeShares
    sample: list[Population]  # the Monte Carlo sample, for the planted-structure estimates
    effects: tuple[Floats, Floats]
    referral: dict[int, float]  # knots of the police's referral propensity k(t)


def sample_populations(params: CriminalParams, procs: pd.DataFrame, seed: int) -> list[Population]:
    n = params.calibration.sample_size
    juv_year = params.targets.juvenile.year
    pops = [
        simulate(rng_for(seed, "calibration", y), params, procs, y, n * (3 if y == juv_year else 1))
        for y in params.years
    ]
    last = params.years[-1]
    n_tail = round(n * window_share(params.seasonality, last + 1, tail_days(params)))
    pops.append(simulate(rng_for(seed, "calibration", "tail"), params, procs, last, n_tail, True))
    return pops


def block_volumes(params: CriminalParams, pops: list[Population]) -> list[float]:
    """Weight of one sampled suspect of each block: the partition's volume (prosecution reviews
    of its year; the spill block's share of the next year) over the block's sample size, scaled
    so the weights average about one. Blocks of unequal size (the juvenile year is sampled three
    times over) then mix across year ends as their partitions do."""
    vol = params.volumes.prosecution_reviews
    last = params.years[-1]
    tail = window_share(params.seasonality, last + 1, tail_days(params))
    totals = [vol[y].value for y in params.years] + [vol[last].value * tail]
    raw = [t / p.cov.crime.size for t, p in zip(totals, pops, strict=True)]
    mean = sum(raw) / len(raw)
    return [r / mean for r in raw]


def _rows(
    model: FittedModel,
    pops: list[Population],
    u_proc: Floats,
    keep: list[Bools],
    stage: str,
    arrested: list[Bools] | None,
    volume: list[float],
) -> Rows:
    years = sorted(model.year_intercepts)
    beta = model.beta().copy()
    beta[_J] = 0.0
    keys = ("w", "r", "j", "a", "y", "v")
    parts: dict[str, list[npt.NDArray[np.generic]]] = {k: [] for k in keys}
    for i, (pop, k) in enumerate(zip(pops, keep, strict=True)):
        dates = pop.tl.arrest_decided if stage == "arrest" else pop.tl.pros_decided
        lenient = pop.lenient_arrest if stage == "arrest" else pop.lenient_prosecution
        rest = pop.x() @ beta + u_proc[pop.proc] + model.policy_effect * lenient
        parts["w"].append(knot_weights(years, dates[k]))
        parts["r"].append(rest[k])
        parts["j"].append(pop.cov.is_juvenile[k])
        parts["a"].append(arrested[i][k] if arrested is not None else np.zeros(int(k.sum()), bool))
        parts["y"].append(years_of(dates[k]))
        parts["v"].append(np.full(int(k.sum()), volume[i]))
    return Rows(*(np.concatenate(parts[key]) for key in keys))


def _eta(model: FittedModel, rows: Rows) -> Floats:
    years = sorted(model.year_intercepts)
    knots = np.array([model.year_intercepts[y] for y in years])
    lookup = np.array([model.arrested_effect.get(y, 0.0) for y in years])
    idx = np.clip(np.searchsorted(years, rows.year), 0, len(years) - 1)
    return np.asarray(
        rows.weights @ knots
        + rows.rest
        + model.coefficients["is_juvenile"] * rows.juvenile
        + lookup[idx] * rows.arrested,
        dtype=np.float64,
    )


def _solve(model: FittedModel, rows: Rows, param: tuple[str, int], target: float) -> None:
    """Set one parameter (a knot, a year's γ or β_juvenile) so that the mean probability of
    ``rows`` meets ``target``; η is linear in it, so only that column moves."""
    kind, year = param
    years = sorted(model.year_intercepts)
    store: dict[Any, float]
    key: Any = year
    if kind == "knot":
        store, column = model.year_intercepts, rows.weights[:, years.index(year)]
    elif kind == "gamma":
        store, column = model.arrested_effect, rows.arrested.astype(float)
    else:
        store, key, column = model.coefficients, "is_juvenile", rows.juvenile.astype(float)
    start = float(store[key])
    eta0 = _eta(model, rows)

    def gap(v: float) -> float:
        return rows.mean(expit(eta0 + (v - start) * column)) - target

    store[key] = float(brentq(gap, -15.0, 15.0, xtol=1e-7))


@dataclass(frozen=True)
class Goal:
    rates: dict[int, float]
    juvenile: tuple[int, float] | None
    post_arrest: dict[int, float] | None

    def equations(self, model: FittedModel) -> list[tuple[tuple[str, int], float]]:
        eqs: list[tuple[tuple[str, int], float]] = []
        for y in sorted(self.rates):
            if model.spec.calibrate_year_intercepts:
                eqs.append((("knot", y), self.rates[y]))
            if self.post_arrest is not None:
                eqs.append((("gamma", y), self.post_arrest[y]))
        if self.juvenile is not None:
            eqs.append((("juvenile", 0), self.juvenile[1]))
        return eqs


def _fit(model: FittedModel, rows: Rows, goal: Goal) -> None:
    """Gauss–Seidel sweeps over the equations until every rate is within TOLERANCE."""
    groups = rows.groups(goal)
    equations = [(k, v) for k, v in goal.equations(model) if groups[k].year.size]
    for _ in range(MAX_SWEEPS):
        for key, target in equations:
            _solve(model, groups[key], key, target)
        gaps = [abs(groups[k].mean(expit(_eta(model, groups[k]))) - v) for k, v in equations]
        if not gaps or max(gaps) < TOLERANCE:
            return


def _start(params: CriminalParams) -> tuple[FittedModel, FittedModel]:
    policy = params.policies.lenient
    arrest = FittedModel(
        params.arrest, params.arrest.coefficient_dict(), policy.effect_arrest.value
    )
    pros = FittedModel(
        params.prosecution, params.prosecution.coefficient_dict(), policy.effect_prosecution.value
    )
    t = params.targets
    for model, rates in ((arrest, t.non_arrest_rate), (pros, t.non_prosecution_rate)):
        if model.spec.calibrate_year_intercepts:
            model.year_intercepts = {y: float(logit(rates[y].value)) - 1.0 for y in params.years}
        else:
            model.year_intercepts = {y: model.spec.year_intercepts[y] for y in params.years}
    spec = params.prosecution.arrested
    if spec is not None:
        pros.arrested_effect = {y: spec.start for y in params.years}
    return arrest, pros


def _fit_arrest(
    params: CriminalParams,
    arrest: FittedModel,
    pops: list[Population],
    u_a: Floats,
    volume: list[float],
) -> None:
    t, juv = params.targets, params.targets.juvenile
    in_years = [np.isin(years_of(p.tl.arrest_decided), params.years) for p in pops]
    keep_a = [p.has_arrest_review & k for p, k in zip(pops, in_years, strict=True)]
    rows_a = _rows(arrest, pops, u_a, keep_a, "arrest", None, volume)
    _fit(arrest, rows_a, Goal(
        {y: t.non_arrest_rate[y].value for y in params.years},
        (juv.year, juv.non_arrest_rate.value)
        if arrest.spec.calibrate_juvenile and juv.year in params.years else None, None,
    ))  # fmt: skip


def _fit_prosecution(
    params: CriminalParams,
    models: tuple[FittedModel, FittedModel],
    pops: list[Population],
    effects: tuple[Floats, Floats],
    volume: list[float],
) -> None:
    arrest, pros = models
    t, juv = params.targets, params.targets.juvenile
    stages = [arrest_stage(params, p, arrest, effects[0]) for p in pops]
    arrested = [p.has_arrest_review & ~s[1] & ~s[2] for p, s in zip(pops, stages, strict=True)]
    in_pros = [
        ~(p.has_arrest_review & s[2] & (s[3] == "不构成犯罪"))
        for p, s in zip(pops, stages, strict=True)
    ]
    keep_p = [k if i < len(pops) - 1 else np.zeros_like(k) for i, k in enumerate(in_pros)]
    rows_p = _rows(pros, pops, effects[1], keep_p, "prosecution", arrested, volume)
    arrested_spec = params.prosecution.arrested
    post = None
    if arrested_spec is not None and arrested_spec.calibrate:
        post = {y: t.post_arrest_non_prosecution_rate[y].value for y in params.years}
    _fit(pros, rows_p, Goal(
        {y: t.non_prosecution_rate[y].value for y in params.years},
        (juv.year, juv.non_prosecution_rate.value)
        if pros.spec.calibrate_juvenile and juv.year in params.years else None, post,
    ))  # fmt: skip


def calibrate(params: CriminalParams, procs: pd.DataFrame, seed: int) -> Calibrated:
    """``procs`` holds the procuratorates that receive cases (weights > 0) with their effects.

    Who is referred for arrest depends on the referral knots, which are solved for 诉前羁押率
    with the arrest model fixed; the arrest model's knots in turn depend on who is referred. One
    round of (arrest model, referral knots) and a last arrest fit settle both inside the
    tolerance, since referral changes the mix of arrest reviews only slightly."""
    arrest, pros = _start(params)
    scales = start_scales(params)
    pops = sample_populations(params, procs, seed)
    volume = block_volumes(params, pops)
    effects = (procs["u_arrest"].to_numpy(float), procs["u_prosecution"].to_numpy(float))
    for _ in range(REFERRAL_ROUNDS):
        _fit_arrest(params, arrest, pops, effects[0], volume)
        eqs = detention_equations(params, pops, volume, (arrest, effects[0]))
        scales = solve_scales(eqs, scales)
        pops = [with_referrals(p, scales) for p in pops]
    _fit_arrest(params, arrest, pops, effects[0], volume)
    _fit_prosecution(params, (arrest, pros), pops, effects, volume)
    shares = _type_shares(params, pops[:-1], (arrest, pros), effects)
    return Calibrated(arrest, pros, shares, pops, effects, scales)


def _type_shares(
    params: CriminalParams,
    pops: list[Population],
    models: tuple[FittedModel, FittedModel],
    effects: tuple[Floats, Floats],
) -> TypeShares:
    """Shares inside the eligible groups that give the published type mix overall."""
    types = params.prosecution.types
    assert types is not None
    probe = TypeShares(1.0, 1.0)
    eligible, juvenile_np, returned, all_np = 0, 0, 0, 0
    for pop in pops:
        d = decide(params, pop, models, effects, probe)
        np_rows = d.in_prosecution & (d.prosecution == "不起诉")
        juv = np_rows & pop.cov.is_juvenile
        eligible += int((juv & conditional_eligible(pop)).sum())
        juvenile_np += int(juv.sum())
        returned += int((np_rows & (pop.tl.returns > 0)).sum())
        all_np += int(np_rows.sum())
    cond = types.juvenile_conditional_share * juvenile_np / max(eligible, 1)
    doubt = float(types.adult["存疑不起诉"]) * all_np / max(returned, 1)
    return TypeShares(conditional_if_eligible=cond, doubt_if_returned=doubt)
