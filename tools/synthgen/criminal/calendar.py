"""Time in the criminal DGP: decision dates with a seasonal pattern (month weights and the Spring
Festival dip), quantities that move with the date rather than the calendar year (the plea share,
the year intercepts as a line through mid-year knots, 少捕慎诉慎押 after each province adopts it).

Everything that varies in time is a function of a date, so rates change smoothly through the
year and jump only on a documented policy date — never on 1 January.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

from synthgen.criminal.params_models import CriminalParams, Seasonality

Days = npt.NDArray[np.datetime64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


def day(value: dt.date) -> np.datetime64:
    return np.datetime64(value.isoformat(), "D")


def daily_weights(cfg: Seasonality, start: np.datetime64, n_days: int) -> Floats:
    """Relative case volume of each day from ``start`` by month weight (the Spring Festival dip
    is applied to each decision separately, by ``holiday_shift``)."""
    days = start + np.arange(n_days).astype("timedelta64[D]")
    months = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    w = np.array([cfg.month_weights[int(m)] for m in range(1, 13)])[months - 1]
    return w.astype(np.float64)


def holiday_shift(rng: np.random.Generator, cfg: Seasonality, dates: Days) -> Days:
    """Move decisions that fall in a Spring Festival dip, with probability 1 − dip, to the days
    just before it (the pre-holiday rush). Applied to each review's decision on its own, so the
    dip shows in every table at the holiday itself and leaves no echo months earlier."""
    out = dates.astype("datetime64[D]").copy()
    move = rng.random(out.size) >= cfg.dip.value
    back = rng.integers(1, 8, out.size).astype("timedelta64[D]")
    for festival in cfg.spring_festival.values():
        lo = day(festival) - np.timedelta64(cfg.dip_before_days, "D")
        hi = day(festival) + np.timedelta64(cfg.dip_after_days, "D")
        hit = move & (out >= lo) & (out <= hi)
        out = np.where(hit, lo - back, out)
    result: Days = out
    return result


def year_window(year: int, tail_days: int | None = None) -> tuple[np.datetime64, int]:
    """First day and length of a partition's anchor window: the year, or its first
    ``tail_days`` days (the spill partition after the last year)."""
    start = np.datetime64(f"{year}-01-01")
    length = int((np.datetime64(f"{year + 1}-01-01") - start).astype(np.int64))
    return start, length if tail_days is None else min(tail_days, length)


def draw_dates(
    rng: np.random.Generator, cfg: Seasonality, start: np.datetime64, n_days: int, n: int
) -> Days:
    """``n`` dates in the window, with the seasonal daily density."""
    w = daily_weights(cfg, start, n_days)
    cdf = np.cumsum(w / w.sum())
    idx = np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), n_days - 1)
    out: Days = holiday_shift(rng, cfg, start + idx.astype("timedelta64[D]"))
    return out


def window_share(cfg: Seasonality, year: int, n_days: int) -> float:
    """Share of a year's seasonal volume that falls in its first ``n_days`` days."""
    start, length = year_window(year)
    w = daily_weights(cfg, start, length)
    return float(w[:n_days].sum() / w.sum())


def _ordinal(dates: Days) -> Floats:
    return dates.astype("datetime64[D]").astype(np.int64).astype(np.float64)


def plea_share(params: CriminalParams, dates: Days) -> Floats:
    """认罪认罚 share on each date: linear between the dated points, flat outside them."""
    points = params.suspects.plea_leniency.points
    xs = np.array([float(day(p.date).astype(np.int64)) for p in points])
    ys = np.array([p.value for p in points])
    return np.interp(_ordinal(dates), xs, ys)


def knot_days(years: list[int]) -> Floats:
    """The year intercepts are knots on 1 July of each year."""
    return np.array([float(np.datetime64(f"{y}-07-01").astype(np.int64)) for y in years])


def knot_weights(years: list[int], dates: Days) -> Floats:
    """Interpolation weights (rows × knots): α(t) = weights @ knot values, linear between the
    1 July knots and flat before the first and after the last."""
    xs = knot_days(years)
    t = np.clip(_ordinal(dates), xs[0], xs[-1])
    w = np.zeros((t.size, xs.size))
    if xs.size == 1:
        w[:, 0] = 1.0
        return w
    k = np.clip(np.searchsorted(xs, t, side="right") - 1, 0, xs.size - 2)
    frac = (t - xs[k]) / (xs[k + 1] - xs[k])
    rows = np.arange(t.size)
    w[rows, k] = 1.0 - frac
    w[rows, k + 1] += frac
    return w


def lenient_in_force(params: CriminalParams, provinces: npt.NDArray[np.str_], dates: Days) -> Bools:
    """Whether 少捕慎诉慎押 applies: the decision date is on or after the province's adoption."""
    policy = params.policies.lenient
    codes = sorted(set(provinces.tolist()))
    adopted = {c: day(policy.adopted_on(c)) for c in codes}
    lookup = np.array([adopted[c] for c in codes], dtype="datetime64[D]")
    idx = np.searchsorted(np.array(codes), provinces)
    result: Bools = dates.astype("datetime64[D]") >= lookup[idx]
    return result


def years_of(dates: Days) -> npt.NDArray[np.int64]:
    return dates.astype("datetime64[Y]").astype(np.int64) + 1970
