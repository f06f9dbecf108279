"""Vectorised calendar arithmetic on ``datetime64[D]`` arrays (no per-row Python)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Days = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]


def ymd(dates: Days) -> tuple[Ints, Ints, Ints]:
    d = dates.astype("datetime64[D]")
    years = d.astype("datetime64[Y]").astype(np.int64) + 1970
    months_since = d.astype("datetime64[M]")
    months = months_since.astype(np.int64) % 12 + 1
    days = (d - months_since.astype("datetime64[D]")).astype(np.int64) + 1
    return years, months, days


def from_ymd(years: Ints, months: Ints, days: Ints) -> Days:
    month_start = (
        (np.asarray(years, dtype=np.int64) - 1970) * 12 + np.asarray(months, dtype=np.int64) - 1
    ).astype("datetime64[M]")
    offset = (np.asarray(days, dtype=np.int64) - 1).astype("timedelta64[D]")
    out: Days = month_start.astype("datetime64[D]") + offset
    return out


def add_months(dates: Days, months: int) -> Days:
    """Calendar month addition clamped to month end (1月31日 + 1个月 = 2月28/29日)."""
    y, m, d = ymd(dates)
    total = (y - 1970) * 12 + (m - 1) + months
    start = total.astype("datetime64[M]")
    next_start = (total + 1).astype("datetime64[M]")
    month_len = (next_start.astype("datetime64[D]") - start.astype("datetime64[D]")).astype(
        np.int64
    )
    return start.astype("datetime64[D]") + (np.minimum(d, month_len) - 1)


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
