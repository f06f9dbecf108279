"""Who the suspects of one province × year are and when their decisions fall, before any
decision is made. The partitions and the calibration's Monte Carlo sample both come from here,
so the intercepts are solved for exactly the population the partitions generate.

A partition's window is its year (anchors = 审查起诉 decision dates with the seasonal density), or
— for the spill partition after the last year — the first days of the next year, whose arrest
reviews still fall inside the last year.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from synthgen.criminal.calendar import day, draw_dates, lenient_in_force, year_window
from synthgen.criminal.draws import (
    Cases,
    Covariates,
    CrimeTable,
    Place,
    crime_table,
    draw_cases,
    draw_covariates,
)
from synthgen.criminal.params import COVARIATES, CriminalParams
from synthgen.criminal.referral import referral_probability, start_scales
from synthgen.criminal.timing import Timeline, draw_timeline, with_arrest_requests

FAST_TRACK_SLACK_DAYS = 15  # a 速裁 review is received at most 15 days before its decision


@dataclass(frozen=True)
class Population:
    cases: Cases
    crimes: CrimeTable
    cov: Covariates
    proc: npt.NDArray[np.int64]  # row of the procuratorate table, per suspect
    has_arrest_review: npt.NDArray[np.bool_]
    fast_track: npt.NDArray[np.bool_]
    tl: Timeline
    lenient_arrest: npt.NDArray[np.bool_]  # 少捕慎诉慎押 in force on the arrest decision date
    lenient_prosecution: npt.NDArray[np.bool_]
    u: npt.NDArray[np.float64]  # n × 7 uniforms for the decisions
    u_referral: npt.NDArray[np.float64]  # referred for arrest where below the probability

    def x(self) -> npt.NDArray[np.float64]:
        return self.cov.matrix(list(COVARIATES))


def tail_days(params: CriminalParams) -> int:
    """Longest possible time from an arrest decision to the 审查起诉 decision: the spill
    partition after the last year covers this many days of the next year."""
    t = params.timing
    d = t.prosecution_days
    review = max(d.normal.max, d.complex.max, d.fast_track_long.max)
    longest = 3 * review + 2 * t.investigation_per_return_days.max
    late = 31 + 15 + 1 + t.late_extra_days.max
    return int(t.investigation_gap_days.max + max(longest, late) + 1)


def simulate(
    rng: np.random.Generator,
    params: CriminalParams,
    procs: pd.DataFrame,
    year: int,
    n_suspects: int,
    tail: bool = False,
    scales: dict[int, float] | None = None,
) -> Population:
    """``year`` selects the crime mix and volumes; the anchors fall in ``year`` or, for the
    spill partition (``tail``), in the first days of ``year + 1``. ``scales`` are the referral
    knots (``referral.py``); the calibration starts from their default and re-applies its own
    with ``with_referrals``."""
    crimes = crime_table(params, year)
    cases = draw_cases(rng, crimes, procs["caseload_weight"].to_numpy(float), n_suspects)
    start, n_days = year_window(year + 1, tail_days(params)) if tail else year_window(year)
    anchor = draw_dates(rng, params.seasonality, start, n_days, cases.crime.size)
    sc = cases.suspect_case
    proc = cases.proc[sc]
    crime = cases.crime[sc]
    place = Place(
        prefecture=procs["prefecture_code"].to_numpy(np.int64)[proc],
        province=procs["province_code"].to_numpy(np.int64)[proc],
        urban=procs["urban"].to_numpy(bool)[proc],
    )
    cov = draw_covariates(rng, params, crimes, crime, place, anchor[sc])
    u_referral = rng.random(crime.size)
    revision = day(params.policies.revision_2018.date) + np.timedelta64(FAST_TRACK_SLACK_DAYS, "D")
    fast = cov.plea_leniency & cov.minor_offense & (anchor[sc] >= revision)
    tl = draw_timeline(rng, params.timing, anchor, sc, fast, cov.le_one_year, params.seasonality)
    provinces = procs["province_code"].to_numpy(str)[proc]
    pop = Population(
        cases=cases,
        crimes=crimes,
        cov=cov,
        proc=proc,
        has_arrest_review=np.zeros(crime.size, dtype=bool),
        fast_track=fast,
        tl=tl,
        lenient_arrest=lenient_in_force(params, provinces, tl.arrest_decided),
        lenient_prosecution=lenient_in_force(params, provinces, tl.pros_decided),
        u=rng.random((crime.size, 7)),
        u_referral=u_referral,
    )
    return with_referrals(pop, start_scales(params) if scales is None else scales)


def with_referrals(pop: Population, scales: dict[int, float]) -> Population:
    """Who is referred for arrest under the referral knots ``scales`` (by the arrest decision
    date), and the timeline that follows from it."""
    p = referral_probability(scales, pop.crimes, pop.cov.crime, pop.tl.arrest_decided)
    has = pop.u_referral < p
    return replace(
        pop,
        has_arrest_review=has,
        tl=with_arrest_requests(pop.tl, has, pop.cases.suspect_case),
    )
