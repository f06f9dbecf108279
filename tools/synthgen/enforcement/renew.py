"""续封 while a 终本 case rests. A seal or freeze lapses at the end of its term (民诉法解释第四百
八十五条: deposits one year, movables two, real estate and other property rights three; terms in
legal/enforcement.yaml), so the court renews each measure in force at 终本 5–25 days before it
would lapse, for as long as the case may come back: five years after 终本, the data end, or the
day it is restored. A restored case therefore continues measures that are still in force
(restore.py), never a lapsed one (docs/enforcement-data.md)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from legal import threshold
from synthgen.core.dates import add_months
from synthgen.enforcement.actions import Ctx
from synthgen.enforcement.log import days
from synthgen.enforcement.margins import margins
from synthgen.enforcement.registry import KIND_ASSET_TYPE

Ints = npt.NDArray[np.int64]
MAX_RENEWALS = 12  # five years of one-year deposit freezes, with room


def _term_months(kind: Ints) -> Ints:
    years = threshold("seal_term_years")
    by_kind = np.zeros(max(KIND_ASSET_TYPE) + 1, dtype=np.int64)
    for code, label in KIND_ASSET_TYPE.items():
        by_kind[code] = 12 * int(years.get(label, 0))
    return by_kind[kind]


def _latest_in_force(c: Ctx) -> tuple[Ints, Ints, Ints, Any]:
    """Per (终本 case, asset) the last measure on or before 终本 whose term reaches 终本."""
    zb = np.flatnonzero(c.plan.zb)
    case, kind, index, date = c.log.measure_dates(zb)
    keep = date <= c.d.closing[case]
    case, kind, index, date = case[keep], kind[keep], index[keep], date[keep]
    order = np.lexsort((date, index, kind, case))
    case, kind, index, date = case[order], kind[order], index[order], date[order]
    last = np.r_[(case[1:] != case[:-1]) | (kind[1:] != kind[:-1]) | (index[1:] != index[:-1]),
                 True] if case.size else np.zeros(0, bool)  # fmt: skip
    case, kind, index, date = case[last], kind[last], index[last], date[last]
    months = _term_months(kind)
    alive = np.ones(case.size, bool)
    for m in np.unique(months):
        sel = months == m
        alive[sel] = add_months(date[sel], int(m)) >= c.d.closing[case[sel]]
    return case[alive], kind[alive], index[alive], date[alive]


def renew_while_resting(c: Ctx, restored: Ints, restore_day: Any) -> None:
    """Log the 续封 of every measure in force at 终本 until the case may no longer come back."""
    case, kind, index, date = _latest_in_force(c)
    until = np.minimum(add_months(c.d.closing, margins().query_horizon_months), c.end)
    until[restored] = np.minimum(until[restored], restore_day)
    stop = until[case]
    months = _term_months(kind)
    active = np.ones(case.size, bool)
    for _ in range(MAX_RENEWALS):
        if not active.any():
            break
        lapse = np.empty(case.size, dtype="datetime64[D]")
        for m in np.unique(months):
            sel = months == m
            lapse[sel] = add_months(date[sel], int(m))
        nxt = lapse - days(c.rng.integers(5, 26, case.size))
        active &= nxt <= stop
        c.log.add(case[active], "续封", nxt[active], kind[active], index[active],
                  note="终本期间期限届满前续行查封、冻结")  # fmt: skip
        date = np.where(active, nxt, date)
