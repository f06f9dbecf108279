"""Dates of the two reviews, drawn backwards from each case's last decision (the anchor), inside
the legal limits, with the planted late decisions.

The anchor (审查起诉 decision date) follows the seasonal volume of its year; the prosecution review,
any returns for supplementary investigation, the investigation after arrest and the arrest review
are laid out before it. Earlier steps therefore cross into the previous year as they do in
practice, and every table is counted by the year of its own decision date.

Limits (刑事诉讼法): 审查逮捕 ≤ 7 days (Art. 91); 审查起诉 ≤ 1 month, + 15 days only for
cases marked 重大复杂 (Art. 172); 速裁 ≤ 10 days, 15 where the likely sentence exceeds one year
(Art. 172);
at most two returns of at most one month each, the review period restarting after each (Art. 175).
A month is never shorter than 28 days, so a review of ≤ 28 days is within "one month" whatever
the receipt date; planted late reviews (XS-04) take ≥ 47 days, beyond any month + 15 days.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from legal.criminal import FAST_TRACK_DAYS, FAST_TRACK_LONG_DAYS
from legal.deadlines import prosecution_limit
from synthgen.criminal.calendar import holiday_shift
from synthgen.criminal.params_models import Range, Seasonality, Timing

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Days = npt.NDArray[np.datetime64]

SHORTEST_MONTH = 28
LATE_P_MIN = 31 + 15 + 1  # beyond the longest 1 month + 15 days


@dataclass(frozen=True)
class Timeline:
    case_start: Days  # per case: first receipt by the procuratorate
    arrest_received: Days
    arrest_decided: Days
    pros_received: Days
    pros_decided: Days
    returns: Ints
    complex_case: Bools
    late_arrest: Bools
    late_pros: Bools
    pros_limit: Days


def _uniform(rng: np.random.Generator, r: Range, shape: int | tuple[int, int]) -> Ints:
    return rng.integers(r.min, r.max + 1, shape)


def _review_days(
    rng: np.random.Generator, cfg: Timing, fast: Bools, le_one_year: Bools, complex_case: Bools
) -> Ints:
    """Days of each review segment (n × 3: first review and the reviews after each return)."""
    d = cfg.prosecution_days
    n = fast.size
    normal = np.minimum(_uniform(rng, d.normal, (n, 3)), SHORTEST_MONTH)
    cplx = np.minimum(_uniform(rng, d.complex, (n, 3)), SHORTEST_MONTH + 15)
    seg = np.where(complex_case[:, None], cplx, normal)
    quick = np.where(
        le_one_year, np.minimum(_uniform(rng, d.fast_track, n), FAST_TRACK_DAYS),
        np.minimum(_uniform(rng, d.fast_track_long, n), FAST_TRACK_LONG_DAYS),
    )  # fmt: skip
    seg[:, 0] = np.where(fast, quick, seg[:, 0])
    return seg


def draw_timeline(
    rng: np.random.Generator,
    cfg: Timing,
    anchor: Days,
    suspect_case: Ints,
    fast: Bools,
    le_one_year: Bools,
    seasonality: Seasonality,
) -> Timeline:
    """``anchor`` is per case; ``fast`` marks 速裁 suspects (no returns, no extension). The arrest
    review's dates are laid out for every suspect, before it is known who is referred for arrest
    (that depends on the arrest decision date, ``with_arrest_requests``); ``late_arrest`` and
    ``case_start`` are final only after that."""
    n = suspect_case.size
    probs = cfg.arrest_days_probs
    extra = cfg.late_extra_days
    late_a = rng.random(n) < cfg.late_arrest_rate.value
    dur_a = np.where(
        late_a,
        7 + _uniform(rng, extra, n),
        rng.choice(np.array(list(probs), dtype=np.int64), n, p=_norm(list(probs.values()))),
    )
    r_probs = cfg.returned_for_investigation_probs
    returns = rng.choice(
        np.array(list(r_probs), dtype=np.int64), n, p=_norm(list(r_probs.values()))
    )
    returns = np.where(fast, 0, returns)  # the probabilities are those of non-速裁 suspects
    complex_case = ~fast & (rng.random(n) < cfg.complex_share.value)
    seg = _review_days(rng, cfg, fast, le_one_year, complex_case)
    inv = _uniform(rng, cfg.investigation_per_return_days, (n, 2))
    late_p = ~fast & (returns == 0) & (rng.random(n) < cfg.late_prosecution_rate.value)
    late_days = LATE_P_MIN + _uniform(rng, extra, n) - extra.min
    k = np.arange(3)[None, :]
    multi = (seg * (k <= returns[:, None])).sum(axis=1) + (inv * (k[:, :2] < returns[:, None])).sum(
        axis=1
    )
    pros_days = np.where(late_p, late_days, multi)

    p_dec = anchor[suspect_case]
    p_rec = p_dec - pros_days.astype("timedelta64[D]")
    gap = _uniform(rng, cfg.investigation_gap_days, int(anchor.size))[suspect_case]
    a_dec = holiday_shift(rng, seasonality, p_rec - gap.astype("timedelta64[D]"))
    a_rec = a_dec - dur_a.astype("timedelta64[D]")
    return Timeline(
        case_start=_case_min(p_rec, suspect_case, int(anchor.size)),
        arrest_received=a_rec,
        arrest_decided=a_dec,
        pros_received=p_rec,
        pros_decided=p_dec,
        returns=returns,
        complex_case=complex_case,
        late_arrest=late_a,
        late_pros=late_p,
        pros_limit=prosecution_limit(p_rec),
    )


def with_arrest_requests(tl: Timeline, has_arrest: Bools, suspect_case: Ints) -> Timeline:
    """The timeline once it is known who had an arrest review: only they can be planted late
    (XS-03), and a case starts at its first receipt, arrest review included."""
    first = np.where(has_arrest, tl.arrest_received, tl.pros_received)
    return replace(
        tl,
        late_arrest=tl.late_arrest & has_arrest,
        case_start=_case_min(first, suspect_case, int(tl.case_start.size)),
    )


def _norm(values: list[float]) -> npt.NDArray[np.float64]:
    p = np.array(values, dtype=np.float64)
    return p / p.sum()


def _case_min(values: Days, suspect_case: Ints, n_cases: int) -> Days:
    as_int = values.astype("datetime64[D]").astype(np.int64)
    out = np.full(n_cases, np.iinfo(np.int64).max)
    np.minimum.at(out, suspect_case, as_int)
    result: Days = out.astype("datetime64[D]")
    return result
