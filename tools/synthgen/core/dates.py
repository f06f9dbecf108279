"""Vectorised calendar arithmetic on ``datetime64[D]`` arrays (no per-row Python). Month counting
and ``ymd`` come from the leaf package ``legal`` (statutory periods are counted there)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from legal.deadlines import add_months, ymd

Days = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]


def from_ymd(years: Ints, months: Ints, days: Ints) -> Days:
    month_start = (
        (np.asarray(years, dtype=np.int64) - 1970) * 12 + np.asarray(months, dtype=np.int64) - 1
    ).astype("datetime64[M]")
    offset = (np.asarray(days, dtype=np.int64) - 1).astype("timedelta64[D]")
    out: Days = month_start.astype("datetime64[D]") + offset
    return out


def age_on(birth: Days, on: Days) -> Ints:
    """Completed years of age on a date."""
    by, bm, bd = ymd(birth)
    oy, om, od = ymd(on)
    before_birthday = (om < bm) | ((om == bm) & (od < bd))
    return oy - by - before_birthday.astype(np.int64)


def yyyymmdd(dates: Days) -> Ints:
    y, m, d = ymd(dates)
    return y * 10_000 + m * 100 + d


def year_bounds(year: int) -> tuple[np.datetime64, np.datetime64]:
    return np.datetime64(f"{year}-01-01"), np.datetime64(f"{year}-12-31")


__all__ = ["Days", "Ints", "add_months", "age_on", "from_ymd", "year_bounds", "ymd", "yyyymmdd"]
