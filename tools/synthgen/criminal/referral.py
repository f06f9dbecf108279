"""Who is referred for arrest (提请逮捕), as a function of the date of the arrest decision.

A suspect of crime c whose arrest review would be decided on day t is referred with probability
min(1, k(t) · r_c): r_c is the crime's relative propensity (0 where the offence cannot carry 徒刑,
so 危险驾驶 is never referred), k(t) the police's overall propensity, linear between knots on
1 July of each year like the intercepts α(t). The knots are solved in calibration
(``detention.py``) so that 诉前羁押率 by year of decision meets its target.

Why by the decision date and not by the year of the case's prosecution: a December arrest of a
case prosecuted in January belongs to December's practice. With a ratio per prosecution year,
those arrests took the next year's propensity and volume, and 诉前羁押率 ran 2–2.5 pp high in
years followed by a higher arrest share (2022 → 2023) and in the last year.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from synthgen.criminal.calendar import knot_weights
from synthgen.criminal.draws import CrimeTable, crime_table
from synthgen.criminal.params import CriminalParams

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Days = npt.NDArray[np.datetime64]
BISECTION_STEPS = 60
MAX_SCALE = 20.0


def start_scale(params: CriminalParams, year: int, crimes: CrimeTable) -> float:
    """The starting knot of ``year``: the scale that gives the expected number of arrest reviews
    per prosecuted person, 诉前羁押率 / ((1 − 不捕率)(1 − other decisions)), for the year's crime
    mix. Calibration then corrects it for the timing of decisions across year ends, the cases
    that end at the arrest stage and the other decisions left out of the denominator."""
    t = params.targets
    approved_share = 1.0 - t.non_arrest_rate[year].value
    other = params.arrest.other_decision_share.value
    target = t.detention_rate[year].value / (approved_share * (1.0 - other))
    lo, hi = 0.0, MAX_SCALE
    for _ in range(BISECTION_STEPS):
        k = (lo + hi) / 2
        share = float((crimes.suspect_share * np.minimum(1.0, k * crimes.arrest_request)).sum())
        lo, hi = (k, hi) if share < target else (lo, k)
    return lo


def start_scales(params: CriminalParams) -> dict[int, float]:
    return {y: start_scale(params, y, crime_table(params, y)) for y in params.years}


def scale_on(scales: dict[int, float], dates: Days) -> Floats:
    """k(t) on each date: linear between the 1 July knots, flat outside them."""
    years = sorted(scales)
    knots = np.array([scales[y] for y in years])
    return np.asarray(knot_weights(years, dates) @ knots, dtype=np.float64)


def referral_probability(
    scales: dict[int, float], crimes: CrimeTable, crime: Ints, dates: Days
) -> Floats:
    return np.minimum(1.0, scale_on(scales, dates) * crimes.arrest_request[crime])
