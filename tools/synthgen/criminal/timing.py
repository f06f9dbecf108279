"""Dates of the two reviews inside the legal limits, with the planted late decisions.

All of a suspect's decisions fall inside the partition's year (rates are by year of decision),
so a case starts early enough for its longest path: arrest review, investigation, prosecution
review with any returns for supplementary investigation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from legal.deadlines import prosecution_limit
from synthgen.core.dates import Days, year_bounds

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

LATE_P_BOUND = 31 + 15  # the longest 1 month + 15 days


@dataclass(frozen=True)
class Timeline:
    case_start: Days  # per case: received by the procuratorate
    arrest_received: Days
    arrest_decided: Days
    pros_received: Days
    pros_decided: Days
    returns: Ints
    late_arrest: Bools
    late_pros: Bools
    pros_limit: Days


def _case_max(values: Ints, case_start_idx: Ints) -> Ints:
    return np.maximum.reduceat(values, case_start_idx)


def draw_timeline(
    rng: np.random.Generator,
    cfg: dict[str, Any],
    year: int,
    suspect_case: Ints,
    has_arrest: Bools,
    in_prosecution: Bools,
    fast_track: Bools,
) -> Timeline:
    n = suspect_case.size
    probs = cfg["arrest_days_probs"]
    days = np.array(list(probs.keys()), dtype=np.int64)
    p = np.array(list(probs.values()), dtype=np.float64)
    extra = cfg["late_extra_days"]
    late_a = has_arrest & (rng.random(n) < cfg["late_arrest_rate"]["value"])
    dur_a = np.where(
        late_a,
        7 + rng.integers(extra["min"], extra["max"] + 1, n),
        rng.choice(days, n, p=p / p.sum()),
    )
    r_probs = cfg["returned_for_investigation_probs"]
    returns = rng.choice(
        np.array(list(r_probs.keys()), dtype=np.int64), n, p=np.array(list(r_probs.values()))
    )
    returns = np.where(in_prosecution, returns, 0)
    fast, normal = cfg["prosecution_days"]["fast_track"], cfg["prosecution_days"]["normal"]
    review = np.where(
        fast_track[:, None],
        rng.integers(fast["min"], fast["max"] + 1, (n, 3)),
        rng.integers(normal["min"], normal["max"] + 1, (n, 3)),
    )
    inv = cfg["investigation_per_return_days"]
    investigation = rng.integers(inv["min"], inv["max"] + 1, (n, 2))
    late_p = (
        in_prosecution & (returns == 0) & (rng.random(n) < cfg["late_prosecution_rate"]["value"])
    )
    late_extra = rng.integers(extra["min"], extra["max"] + 1, n)
    multi = review.sum(axis=1, where=np.arange(3)[None, :] <= returns[:, None]) + investigation.sum(
        axis=1, where=np.arange(2)[None, :] < returns[:, None]
    )
    p_bound = np.where(
        returns > 0, multi, np.where(late_p, LATE_P_BOUND + extra["max"], int(normal["max"]))
    )

    gap_cfg = cfg["investigation_gap_days"]
    n_cases = int(suspect_case[-1]) + 1
    case_idx = np.flatnonzero(np.r_[True, suspect_case[1:] != suspect_case[:-1]])
    gap = rng.integers(gap_cfg["min"], gap_cfg["max"] + 1, n_cases)
    ar_span = _case_max(np.where(has_arrest, dur_a + gap[suspect_case], 0), case_idx)
    p_span = _case_max(np.where(in_prosecution, p_bound, 0), case_idx)
    start_day, end_day = year_bounds(year)
    year_len = int((end_day - start_day).astype(np.int64)) + 1
    room = year_len - (ar_span + p_span)
    case_start = start_day + (rng.random(n_cases) * room).astype(np.int64)

    s = case_start[suspect_case]
    a_dec = s + dur_a
    p_rec = s + ar_span[suspect_case]
    limit = prosecution_limit(p_rec)
    within = np.minimum(p_rec + review[:, 0], limit)
    p_dec = np.where(returns > 0, p_rec + multi, np.where(late_p, limit + late_extra, within))
    return Timeline(
        case_start=case_start,
        arrest_received=s,
        arrest_decided=a_dec,
        pros_received=p_rec,
        pros_decided=p_dec,
        returns=returns,
        late_arrest=late_a,
        late_pros=late_p,
        pros_limit=limit,
    )
