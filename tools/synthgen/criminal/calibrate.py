"""Calibrate both decision models on a Monte Carlo sample of the selected region."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

from synthgen.core.seeds import rng_for
from synthgen.criminal.decisions import FittedModel, solve_intercept, solve_with_juvenile
from synthgen.criminal.draws import arrest_request_probs, crime_table, draw_cases, draw_covariates
from synthgen.criminal.params import COVARIATES, CriminalParams

_COVS = list(COVARIATES)
_J = _COVS.index("is_juvenile")


def calibrate(
    params: CriminalParams, procs: pd.DataFrame, seed: int
) -> tuple[FittedModel, FittedModel]:
    """Return the arrest and prosecution models with intercepts (and juvenile effects) solved.

    ``procs`` holds the procuratorates that receive cases (weights > 0) with their effects.
    """
    arrest = FittedModel(params.arrest, dict(params.arrest.coefficients))
    pros = FittedModel(params.prosecution, dict(params.prosecution.coefficients))
    if not params.arrest.calibrate_year_intercepts:
        arrest.year_intercepts = dict(params.arrest.year_intercepts)
    if not params.prosecution.calibrate_year_intercepts:
        pros.year_intercepts = dict(params.prosecution.year_intercepts)
    juv = params.targets["juvenile"]
    years = sorted(params.years, key=lambda y: (y != juv["year"], y))
    for year in years:
        _calibrate_year(params, procs, seed, year, arrest, pros)
    return arrest, pros


def _sample(
    params: CriminalParams, procs: pd.DataFrame, seed: int, year: int, n: int
) -> dict[str, np.ndarray]:
    rng = rng_for(seed, "calibration", year)
    crimes = crime_table(params, year)
    cases = draw_cases(rng, crimes, procs["caseload_weight"].to_numpy(float), n)
    proc = cases.proc[cases.suspect_case]
    crime = cases.crime[cases.suspect_case]
    cov = draw_covariates(
        rng, params, year, crimes, crime,
        procs["prefecture_code"].to_numpy(np.int64)[proc],
        procs["province_code"].to_numpy(np.int64)[proc],
    )  # fmt: skip
    has_ar = rng.random(crime.size) < arrest_request_probs(params, year, crimes)[crime]
    return {
        "x": cov.matrix(_COVS),
        "juvenile": cov.is_juvenile,
        "u_a": procs["u_arrest"].to_numpy(float)[proc],
        "u_p": procs["u_prosecution"].to_numpy(float)[proc],
        "has_ar": has_ar,
        "draw": rng.random(crime.size),
        "reason": rng.random(crime.size),
    }


def _calibrate_year(
    params: CriminalParams,
    procs: pd.DataFrame,
    seed: int,
    year: int,
    arrest: FittedModel,
    pros: FittedModel,
) -> None:
    juv = params.targets["juvenile"]
    is_juv_year = year == juv["year"]
    n = int(params.calibration["sample_size"]) * (3 if is_juv_year else 1)
    s = _sample(params, procs, seed, year, n)
    ar = s["has_ar"]
    rates = params.targets
    _fit_year(
        arrest, year, s["x"][ar], s["u_a"][ar], s["juvenile"][ar],
        float(rates["non_arrest_rate"][year]["value"]),
        float(juv["non_arrest_rate"]["value"]) if is_juv_year else None,
    )  # fmt: skip
    # people released for "不构成犯罪" leave the funnel before prosecution review
    p_a = expit(arrest.eta(year, s["x"], s["u_a"]))
    no_crime_share = float(params.arrest.reasons["shares"]["不构成犯罪"])  # type: ignore[index]
    keep = ~(ar & (s["draw"] < p_a) & (s["reason"] < no_crime_share))
    _fit_year(
        pros, year, s["x"][keep], s["u_p"][keep], s["juvenile"][keep],
        float(rates["non_prosecution_rate"][year]["value"]),
        float(juv["non_prosecution_rate"]["value"]) if is_juv_year else None,
    )  # fmt: skip


def _fit_year(
    model: FittedModel,
    year: int,
    x: np.ndarray,
    u: np.ndarray,
    juvenile: np.ndarray,
    target: float,
    juvenile_target: float | None,
) -> None:
    """Solve the model's intercept for ``year`` (and its juvenile effect in the juvenile
    calibration year), unless the scenario fixed them."""
    if not model.spec.calibrate_year_intercepts:
        return
    if juvenile_target is not None and model.spec.calibrate_juvenile:
        alpha, bj = solve_with_juvenile(x, u, juvenile, model.beta(), _J, target, juvenile_target)
        model.coefficients["is_juvenile"] = bj
    else:
        alpha = solve_intercept(x @ model.beta() + u, target)
    model.year_intercepts[year] = alpha
